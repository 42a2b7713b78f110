import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MqttSettings } from '@wyze-nvr/config';
import { createLogger } from '@wyze-nvr/log';
import type { EventRecord, StoredCamera } from '../index/recorder-store';
import { FakeClock, settle } from '../testing/fake-clock';
import type { MqttConnectionOptions } from './mqtt-connection';
import { MqttPublisher, type MqttRecorderView } from './mqtt-publisher';

const SETTINGS: MqttSettings = { url: 'mqtt://b', displayUrl: 'mqtt://b', username: undefined, password: undefined, caFile: undefined, topicPrefix: 'nvr', discoveryPrefix: 'ha', apiPublicUrl: undefined };
const S = 1_000_000;
const T0 = 1_796_000_000 * S;

const camera = (id: number, enabled = true): StoredCamera => ({ id, name: `cam ${id}`, uid: 'U'.repeat(20), enrEncrypted: 'x', mac: 'M', ip: '127.0.0.1', port: 1, model: 'HL_CAM4', quality: 'hd', enabled });

/** A broker connection that is up or down as the test says: what it sent while up, in order. */
class FakeConnection {
  up = false;
  sent: { topic: string; payload: string; retain: boolean }[] = [];
  dropped = 0;
  connects = 0;
  constructor(readonly o: MqttConnectionOptions) {}
  publish(topic: string, payload: string | Uint8Array, opts: { retain?: boolean } = {}): void {
    if (!this.up) {
      this.dropped++;
      return;
    }
    this.sent.push({ topic, payload: typeof payload === 'string' ? payload : `<${payload.length} bytes>`, retain: !!opts.retain });
  }
  async close(): Promise<void> {}
  connect(): void {
    this.up = true;
    this.connects++;
    this.o.onConnect();
  }
  on(topic: string): string[] {
    return this.sent.filter((m) => m.topic === topic).map((m) => m.payload);
  }
}

function setup(view: Partial<MqttRecorderView> = {}) {
  const clock = new FakeClock(T0);
  let conn!: FakeConnection;
  const status = new Map<number, { state: string; reason: string | null }>();
  const enabled: [number, boolean][] = [];
  const publisher = new MqttPublisher({
    settings: SETTINGS,
    apiBaseUrl: 'http://nvr:8080',
    clock,
    logger: createLogger({ level: 'silent' }),
    view: {
      cameraStatus: (id) => status.get(id),
      controls: () => undefined,
      snapshot: async () => undefined,
      setRecording: async (id, on) => {
        enabled.push([id, on]);
        return true;
      },
      holds: () => true,
      leads: () => true,
      ...view,
    },
    connect: (o) => (conn = new FakeConnection(o)),
  });
  publisher.start();
  return { publisher, conn, clock, status, enabled };
}

const event = (o: Partial<EventRecord> = {}): EventRecord => ({ cameraId: 1, openedStartUs: T0, startUs: T0, endUs: null, peakScore: 0, preRollUs: 0, postRollUs: 0, ...o });

describe('MqttPublisher', () => {
  it('motion while the broker is away is not replayed: the reconnect publishes the current motion state only', async () => {
    const { publisher, conn } = setup();
    conn.connect();
    publisher.cameraRows([camera(1)]);
    assert.deepEqual(conn.on('nvr/1/motion'), ['OFF']);
    conn.up = false;
    publisher.motion({ type: 'start', event: event(), decidedAtUs: T0 });
    publisher.motion({ type: 'end', event: event({ endUs: T0 + 5 * S }), decidedAtUs: T0 + 9 * S });
    publisher.motion({ type: 'start', event: event({ openedStartUs: T0 + 20 * S, startUs: T0 + 20 * S }), decidedAtUs: T0 + 22 * S });
    conn.sent = [];
    conn.connect();
    assert.deepEqual(conn.on('nvr/1/motion'), ['ON'], 'the motion now, once');
    assert.ok(conn.on('ha/binary_sensor/nvr_cam1/motion/config').length === 1, 'discovery republished');
    assert.deepEqual(conn.on('nvr/1/recording'), ['ON']);
  });

  it('state is published when it changes (not every poll), and says disabled for a disabled camera', async () => {
    const { publisher, conn, clock, status } = setup();
    conn.connect();
    status.set(1, { state: 'connecting', reason: null });
    publisher.cameraRows([camera(1)]);
    await clock.advance(3000);
    assert.deepEqual(conn.on('nvr/1/state').map((p) => (JSON.parse(p) as { state: string }).state), ['offline']);
    status.set(1, { state: 'recording', reason: null });
    await clock.advance(1000);
    await clock.advance(3000);
    assert.deepEqual(conn.on('nvr/1/state').map((p) => (JSON.parse(p) as { state: string }).state), ['offline', 'recording']);
    publisher.cameraRows([camera(1)]);
    assert.deepEqual(conn.on('nvr/1/recording'), ['ON'], 'an unchanged row (the 30 s poll) publishes nothing again');
    publisher.cameraRows([camera(1, false)]);
    assert.equal((JSON.parse(conn.on('nvr/1/state').at(-1)!) as { state: string }).state, 'disabled');
    assert.deepEqual(conn.on('nvr/1/recording'), ['ON', 'OFF']);
  });

  it('events: new once the row is written, end when it ends (new first when both come together), with the API URLs', () => {
    const { publisher, conn } = setup();
    conn.connect();
    publisher.cameraRows([camera(1)]);
    publisher.eventWritten(event(), 41);
    publisher.eventWritten(event({ endUs: T0 + 3 * S, peakScore: 2 }), 41);
    publisher.eventWritten(event({ openedStartUs: T0 + 60 * S, startUs: T0 + 60 * S, endUs: T0 + 62 * S }), 42);
    const events = conn.on('nvr/events').map((p) => JSON.parse(p) as { type: string; event: { id: number; clipUrl: string } });
    assert.deepEqual(events.map((e) => `${e.type} ${e.event.id}`), ['new 41', 'end 41', 'new 42', 'end 42']);
    assert.equal(events[0].event.clipUrl, 'http://nvr:8080/events/41/clip.mp4');
    assert.deepEqual(conn.on('nvr/1/event').map((p) => (JSON.parse(p) as { event_type: string }).event_type), ['new', 'end', 'new', 'end']);
  });

  it('commands: recording/set ON|OFF asks the recorder; anything else is ignored; Home Assistant online republishes discovery', async () => {
    const { publisher, conn, enabled } = setup();
    conn.connect();
    publisher.cameraRows([camera(1)]);
    conn.o.onMessage('nvr/1/recording/set', Buffer.from('OFF'));
    conn.o.onMessage('nvr/1/recording/set', Buffer.from('maybe'));
    conn.o.onMessage('nvr/9/recording/set', Buffer.from('ON'));
    await settle();
    assert.deepEqual(enabled, [[1, false]]);
    const before = conn.on('ha/switch/nvr_cam1/recording/config').length;
    conn.o.onMessage('ha/status', Buffer.from('online'));
    assert.equal(conn.on('ha/switch/nvr_cam1/recording/config').length, before + 1);
  });

  it('a deleted camera: empty retained configs and topics', () => {
    const { publisher, conn } = setup();
    conn.connect();
    publisher.cameraRows([camera(1), camera(2)]);
    const configs = conn.sent.filter((m) => m.topic.startsWith('ha/') && m.topic.includes('nvr_cam2/')).map((m) => m.topic);
    publisher.cameraRows([camera(1)]);
    for (const t of configs) assert.equal(conn.on(t).at(-1), '', t);
    assert.equal(conn.on('nvr/2/state').at(-1), '');
    assert.ok(conn.sent.filter((m) => m.payload === '').every((m) => m.retain));
    assert.ok(!conn.sent.some((m) => m.topic.includes('nvr_cam1/') && m.payload === ''));
  });

  it('several recorders: only the cameras this node holds are published and commanded; a takeover announces them again', async () => {
    const held = new Set([1]);
    const { publisher, conn, clock, status, enabled } = setup({ holds: (id) => held.has(id), leads: () => false });
    conn.connect();
    status.set(1, { state: 'recording', reason: null });
    publisher.cameraRows([camera(1), camera(2)]);
    await clock.advance(1000);
    assert.equal(conn.on('ha/switch/nvr_cam1/recording/config').length, 1);
    assert.ok(!conn.sent.some((m) => m.topic.startsWith('nvr/2/') || m.topic.includes('nvr_cam2/')), 'nothing of camera 2, another node’s');
    conn.o.onMessage('nvr/2/recording/set', Buffer.from('OFF'));
    conn.o.onMessage('nvr/1/recording/set', Buffer.from('OFF'));
    await settle();
    assert.deepEqual(enabled, [[1, false]], 'only the held camera’s command is acted on');
    publisher.eventWritten(event({ cameraId: 2 }), 7);
    assert.deepEqual(conn.on('nvr/events'), []);

    // Camera 1 handed over, camera 2 taken over: 2 is announced (configs, motion, recording, state), 1 goes quiet.
    held.clear();
    held.add(2);
    publisher.cameraRows([camera(1), camera(2)]);
    await clock.advance(2000);
    assert.equal(conn.on('ha/switch/nvr_cam2/recording/config').length, 1);
    assert.deepEqual(conn.on('nvr/2/recording'), ['ON']);
    assert.deepEqual(conn.on('nvr/2/motion'), ['OFF']);
    assert.deepEqual(conn.on('nvr/2/state').map((p) => (JSON.parse(p) as { state: string }).state), ['offline']);
    status.set(1, { state: 'stopped', reason: null });
    await clock.advance(2000);
    assert.deepEqual(conn.on('nvr/1/state').map((p) => (JSON.parse(p) as { state: string }).state), ['recording'], 'no state for a camera handed over');
    conn.sent = [];
    conn.connect();
    assert.ok(!conn.sent.some((m) => m.topic.startsWith('nvr/1/') || m.topic.includes('nvr_cam1/')), 'a reconnect republishes only held cameras');
    // Held again (a second takeover): announced again, the state included.
    held.add(1);
    publisher.cameraRows([camera(1), camera(2)]);
    assert.equal(conn.on('ha/switch/nvr_cam1/recording/config').length, 1);
    assert.equal(conn.on('nvr/1/state').length, 1);
  });

  it('several recorders: disabled cameras (no lease) and deletions are the lead node’s alone', () => {
    const lead = setup({ holds: () => false, leads: () => true });
    const other = setup({ holds: () => false, leads: () => false });
    for (const n of [lead, other]) {
      n.conn.connect();
      n.publisher.cameraRows([camera(1, false), camera(2)]);
    }
    assert.equal((JSON.parse(lead.conn.on('nvr/1/state').at(-1)!) as { state: string }).state, 'disabled');
    assert.deepEqual(lead.conn.on('nvr/1/recording'), ['OFF']);
    assert.ok(!lead.conn.sent.some((m) => m.topic.startsWith('nvr/2/')), 'an enabled camera is its lease holder’s');
    assert.deepEqual(other.conn.sent, []);
    for (const n of [lead, other]) n.publisher.cameraRows([camera(1, false)]);
    assert.equal(lead.conn.on('ha/switch/nvr_cam2/recording/config').at(-1), '', 'the lead clears a deleted camera');
    assert.deepEqual(other.conn.sent, [], 'once: the other nodes do not');
  });
});
