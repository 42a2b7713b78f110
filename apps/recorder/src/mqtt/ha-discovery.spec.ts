import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { controlStateOf, controlValueOf, discoveryConfigs, entityControls } from './ha-discovery';
import { cameraStateOf, eventMessage } from './mqtt-payloads';
import { MqttTopics } from './mqtt-topics';

const topics = new MqttTopics('home/nvr', 'homeassistant');
const byObject = (model: string) => new Map(discoveryConfigs({ id: 7, name: 'Porch', model }, topics).map((c) => [c.topic.split('/')[3], c]));

describe('Home Assistant discovery', () => {
  it('a Cam v4: the five camera entities and its controls, each with a unique id, the device and availability', () => {
    const configs = byObject('HL_CAM4');
    assert.deepEqual([...configs.keys()].sort(), ['ir_led', 'motion', 'motion_event', 'night_vision', 'recording', 'siren', 'snapshot', 'spotlight', 'state', 'status_light', 'sync_clock']);
    for (const [object, c] of configs) {
      assert.equal(c.topic, `homeassistant/${c.component}/home_nvr_cam7/${object}/config`);
      assert.equal(c.payload.unique_id, `home_nvr_cam7_${object}`);
      assert.deepEqual(c.payload.device, { identifiers: ['home_nvr_cam7'], name: 'Porch', manufacturer: 'Wyze', model: 'HL_CAM4' });
      assert.deepEqual(c.payload.availability, [{ topic: 'home/nvr/available', payload_available: 'online', payload_not_available: 'offline' }]);
    }
    assert.equal(configs.get('motion')!.payload.state_topic, 'home/nvr/7/motion');
    assert.equal(configs.get('snapshot')!.payload.image_topic, 'home/nvr/7/snapshot');
    assert.equal(configs.get('recording')!.payload.command_topic, 'home/nvr/7/recording/set');
    assert.deepEqual(configs.get('night_vision')!.payload.options, ['on', 'off', 'auto']);
    assert.equal(configs.get('night_vision')!.component, 'select');
    assert.equal(configs.get('siren')!.payload.state_topic, 'home/nvr/7/control/siren');
  });

  it('a pan camera gets PTZ buttons, pan scan and motion tracking; a floodlight camera an optimistic floodlight switch (it cannot be read)', () => {
    const pan = byObject('HL_PAN3');
    for (const b of ['ptz_left', 'ptz_right', 'ptz_up', 'ptz_down']) assert.equal(pan.get(b)!.component, 'button');
    assert.equal(pan.get('ptz_up')!.payload.payload_press, 'up');
    assert.ok(pan.has('pan_scan') && pan.has('motion_tracking'));
    assert.ok(!pan.has('spotlight'));
    const flood = byObject('HL_CFL2').get('floodlight')!;
    assert.equal(flood.payload.optimistic, true);
    assert.equal(flood.payload.state_topic, undefined);
    assert.deepEqual(entityControls('WYZEC1'), ['night-vision', 'status-light', 'camera-time']);
  });

  it('command payloads become control values, and values become state payloads', () => {
    assert.equal(controlValueOf('siren', 'ON'), true);
    assert.equal(controlValueOf('siren', 'OFF'), false);
    assert.equal(controlValueOf('siren', 'maybe'), 'maybe', 'left for the control to refuse');
    assert.deepEqual(controlValueOf('ptz', 'left'), { action: 'step', direction: 'left' });
    assert.equal(controlValueOf('night-vision', ' auto '), 'auto');
    assert.equal(controlStateOf('ir-led', false), 'OFF');
    assert.equal(controlStateOf('night-vision', 'on'), 'on');
    assert.equal(controlStateOf('ir-led', null), undefined);
  });
});

describe('MQTT topics', () => {
  it('parses the commands it subscribes to and nothing else', () => {
    assert.deepEqual(topics.parseCommand('home/nvr/7/recording/set'), { cameraId: 7, command: 'recording' });
    assert.deepEqual(topics.parseCommand('home/nvr/12/snapshot/get'), { cameraId: 12, command: 'snapshot' });
    assert.deepEqual(topics.parseCommand('home/nvr/3/control/night-vision/set'), { cameraId: 3, command: 'control', control: 'night-vision' });
    for (const t of ['home/nvr/7/recording', 'home/nvr/x/recording/set', 'other/7/recording/set', 'home/nvr/7/control/a/b/set']) assert.equal(topics.parseCommand(t), undefined, t);
  });
});

describe('MQTT payloads', () => {
  const T = 1_796_000_000_000_000;
  it('state: since is kept while the state word stays, and an unchanged state is the same object (not republished)', () => {
    const a = cameraStateOf({ state: 'connecting', reason: null }, true, undefined, T);
    assert.deepEqual(a, { state: 'offline', reason: 'connecting', since: new Date(T / 1000).toISOString() });
    assert.equal(cameraStateOf({ state: 'connecting', reason: null }, true, a, T + 5e6), a);
    const b = cameraStateOf({ state: 'backoff', reason: 'connect timeout' }, true, a, T + 6e6);
    assert.deepEqual(b, { state: 'offline', reason: 'connect timeout', since: a.since });
    const c = cameraStateOf({ state: 'recording', reason: 'connect timeout' }, true, b, T + 9e6);
    assert.deepEqual(c, { state: 'recording', reason: null, since: new Date((T + 9e6) / 1000).toISOString() });
    assert.equal(cameraStateOf(undefined, false, c, T + 10e6).state, 'disabled');
  });

  it('event: ISO times, rounded score, clip and snapshot URLs on the API', () => {
    const m = eventMessage('end', { cameraId: 4, openedStartUs: T, startUs: T, endUs: T + 2_500_000, peakScore: 2.3456, preRollUs: 0, postRollUs: 0 }, 99, 'Porch', 'https://nvr.lan');
    assert.deepEqual(m, {
      type: 'end',
      event: {
        id: 99,
        camera: 4,
        cameraName: 'Porch',
        start: '2026-11-30T00:53:20.000Z',
        end: '2026-11-30T00:53:22.500Z',
        score: 2.35,
        clipUrl: 'https://nvr.lan/events/99/clip.mp4',
        snapshotUrl: 'https://nvr.lan/cameras/4/frame.jpg?at=2026-11-30T00%3A53%3A20.000Z',
      },
    });
  });
});
