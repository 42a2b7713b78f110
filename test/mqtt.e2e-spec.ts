// MQTT and Home Assistant against the real Mosquitto on 127.0.0.1:1883 (a unique topic prefix per run): an
// emulated camera streams the labelled `objects` motion fixture into `wyze-nvr record` with MQTT_URL set, a
// second one streams plain video for the recording switch and the controls, and the API serves the URLs the
// event messages carry. A private mosquitto (another port) is killed and restarted for the reconnect test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startCameraSim, type CameraSim } from '@wyze-nvr/camera-sim';
import { SecretBox } from '@wyze-nvr/config';
import { PTZ_STEP_DEGREES } from '@wyze-nvr/tutk';
import { FIXTURES } from '../apps/recorder/src/testing/fixture-media';
import { startTestApi, type TestApi } from './support/api';
import { CliProcess, freePort, repoRoot } from './support/cli';
import { emulatedCamera, eventually, recorderEnv, recorderTestEnv, SECRET_KEY_HEX, startRecorder, type EmulatedCamera, type RecorderTestEnv } from './support/recorder-harness';
import { insertTestCamera } from './support/recorder-api';
import { makeTlsFiles, MqttListener, startMosquitto, stopMosquitto, uniquePrefixes } from './support/mqtt-listener';

const S = 1_000_000;
const MOTION_FIXTURE = join(repoRoot, 'bench', 'media', 'motion', 'objects.h264-cbr.264');
const LABELS = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'motion', 'labels.json'), 'utf8')) as { fixtures: { name: string; objects: unknown[] }[] };
const OBJECTS = LABELS.fixtures.find((f) => f.name === 'objects')!.objects.length;
const MQTT_PASSWORD = `mqtt-pw-${randomBytes(6).toString('hex')}`;
/** Discovery keys every config must have (Home Assistant MQTT discovery). */
const REQUIRED_KEYS = ['name', 'unique_id', 'device', 'availability'];
const COMMAND_OR_STATE = ['state_topic', 'command_topic', 'image_topic'];

interface Recorder {
  proc: CliProcess;
}

async function stopRecorder(r: Recorder | undefined): Promise<void> {
  if (r) assert.equal(await r.proc.stop('SIGTERM'), 0, r.proc.output.slice(-3000));
}

const decryptEnr = async (env: RecorderTestEnv, id: number): Promise<string> => {
  const [row]: { enr_encrypted: string }[] = await env.ds.query(`SELECT enr_encrypted FROM cameras WHERE id = $1`, [id]);
  return new SecretBox(Buffer.from(SECRET_KEY_HEX, 'hex')).decrypt(row.enr_encrypted);
};

describe('MQTT and Home Assistant', { timeout: 300_000 }, () => {
  const { prefix, discovery } = uniquePrefixes();
  let env: RecorderTestEnv;
  let motionCam: EmulatedCamera;
  let plainCam: EmulatedCamera;
  /** A Cam Pan v3 (camera-sim's own media): PTZ buttons. */
  let pan: { sim: CameraSim; id: number };
  let api: TestApi;
  let recorder: Recorder | undefined;
  let listener: MqttListener;
  const listeners: MqttListener[] = [];

  before(async () => {
    if (!existsSync(MOTION_FIXTURE)) {
      const r = spawnSync('bash', ['scripts/make-motion-fixtures.sh', 'objects'], { cwd: repoRoot, encoding: 'utf8', timeout: 600_000 });
      assert.equal(r.status, 0, r.stderr);
    }
    env = await recorderTestEnv();
    motionCam = await emulatedCamera(env, { video: 'h264', videoFile: relative(FIXTURES, MOTION_FIXTURE), audio: 'none' }, { speed: 3, durationUs: 66 * S });
    plainCam = await emulatedCamera(env, { video: 'h264', audio: 'none' }, { speed: 1, durationUs: 900 * S });
    const panSim = await startCameraSim({ port: 0, host: '127.0.0.1', speed: 1, model: 'HL_PAN3' });
    pan = { sim: panSim, id: await insertTestCamera(env, 'pan', panSim.port, panSim.credentials) };
    api = await startTestApi({ existing: { db: env.db, dataDir: join(env.dir, 'data'), recordingsDir: env.recordings }, secretKey: Buffer.from(SECRET_KEY_HEX, 'hex') });
    listener = await MqttListener.connect([`${prefix}/#`, `${discovery}/#`]);
    listeners.push(listener);
    recorder = await startRecorder(
      recorderEnv(env, env.db.url, {
        MQTT_URL: `mqtt://nvr:${MQTT_PASSWORD}@127.0.0.1:1883`,
        MQTT_TOPIC_PREFIX: prefix,
        MQTT_DISCOVERY_PREFIX: discovery,
        API_PUBLIC_URL: api.url,
        // Camera time follows media time (3× real time for the motion camera), trusted by the clock.
        RECORDER_CLOCK_MAX_SKEW_SECONDS: '3600',
        RECORDER_STALL_SECONDS: '600',
        SEGMENT_SECONDS: '4',
      }),
    );
  });

  after(async () => {
    await stopRecorder(recorder).catch(() => undefined);
    for (const l of listeners) await l.close().catch(() => undefined);
    await api?.close().catch(() => undefined);
    motionCam?.close();
    plainCam?.close();
    pan?.sim.close();
    await env?.close();
  });

  test('discovery configs of each camera are retained, valid, and tied to <prefix>/available', async () => {
    await listener.waitFor(`${prefix}/available`, (p) => p === 'online', 20_000, 'online');
    await eventually(() => listener.messages.some((m) => m.topic.startsWith(`${discovery}/`) && m.topic.includes(`_cam${plainCam.id}/`)), 20_000, 'discovery');
    // A client that connects now gets them as retained messages.
    const late = await MqttListener.connect([`${discovery}/#`, `${prefix}/available`]);
    listeners.push(late);
    const configs = await eventually(() => {
      const c = late.messages.filter((m) => m.topic.startsWith(`${discovery}/`) && m.topic.includes(`_cam${motionCam.id}/`));
      return c.length >= 10 && c;
    }, 10_000, 'retained discovery configs');
    assert.ok(configs.every((m) => m.retain), 'every config is retained');
    assert.equal(late.last(`${prefix}/available`), 'online');
    const components = new Map<string, number>();
    const uniqueIds = new Set<string>();
    for (const m of configs) {
      const [, component, node, , last] = m.topic.split('/');
      assert.equal(last, 'config', m.topic);
      assert.match(node, /^[a-zA-Z0-9_-]+$/, 'a valid node id');
      const cfg = JSON.parse(m.payload.toString('utf8')) as Record<string, unknown>;
      for (const k of REQUIRED_KEYS) assert.ok(k in cfg, `${m.topic} has ${k}`);
      assert.ok(COMMAND_OR_STATE.some((k) => typeof cfg[k] === 'string' && (cfg[k] as string).startsWith(`${prefix}/${motionCam.id}/`)), `${m.topic} reads or writes under the camera's topics`);
      const device = cfg.device as { identifiers: string[]; name: string; manufacturer: string; model: string };
      assert.deepEqual(device.identifiers, [node]);
      assert.match(device.name, /^cam \d+$/, 'the device is named after the camera');
      assert.equal(device.model, 'HL_CAM4');
      assert.deepEqual(cfg.availability, [{ topic: `${prefix}/available`, payload_available: 'online', payload_not_available: 'offline' }]);
      assert.ok(!uniqueIds.has(cfg.unique_id as string), `unique_id ${String(cfg.unique_id)} is unique`);
      uniqueIds.add(cfg.unique_id as string);
      components.set(component, (components.get(component) ?? 0) + 1);
    }
    // binary_sensor motion, image snapshot, sensor state, switch recording, event; Cam v4 controls: night vision
    // select, IR light / status light / siren / spotlight switches, and the clock button.
    assert.deepEqual(Object.fromEntries([...components].sort()), { binary_sensor: 1, button: 1, event: 1, image: 1, select: 1, sensor: 1, switch: 5 });
  });

  test('motion ON/OFF follows the scripted motion; each event is announced new and end with a clip URL and a snapshot URL the API serves', async () => {
    const id = motionCam.id;
    await eventually(() => motionCam.sent.video === motionCam.expected.video, 120_000, 'the camera to send the fixture');
    const events = await eventually(async () => {
      const rows: { id: number; end_us: number | null }[] = await env.ds.query(`SELECT id, end_us FROM events WHERE camera_id = $1 ORDER BY start_us`, [id]);
      // The last object's event cannot end: no keyframe far enough past it is sent (as in motion.e2e-spec).
      return rows.length === OBJECTS && rows.slice(0, -1).every((r) => r.end_us !== null) && rows;
    }, 60_000, `${OBJECTS} events, all but the last ended`).catch(async (e: Error) => {
      const rows: unknown[] = await env.ds.query(`SELECT id, start_us, end_us FROM events WHERE camera_id = $1 ORDER BY start_us`, [id]);
      assert.fail(`${e.message}: ${JSON.stringify(rows)}\n${recorder!.proc.output.split('\n').filter((l) => l.includes('motion')).join('\n').slice(-3000)}`);
    });
    const motion = listener.on(`${prefix}/${id}/motion`).filter((m) => !m.retain || m.payload.toString() !== 'OFF');
    const transitions = await eventually(() => {
      const t = listener.text(`${prefix}/${id}/motion`);
      // The camera's first announcement publishes its current motion, OFF.
      const after = t.slice(t.indexOf('OFF') + 1);
      return after.length >= 2 * OBJECTS - 1 && after;
    }, 10_000, 'motion transitions');
    assert.deepEqual(transitions, Array.from({ length: 2 * OBJECTS - 1 }, (_, i) => (i % 2 === 0 ? 'ON' : 'OFF')), JSON.stringify(motion.map((m) => m.payload.toString())));

    const messages = listener.text(`${prefix}/events`).map((p) => JSON.parse(p) as { type: string; event: { id: number; camera: number; start: string; end: string | null; clipUrl: string; snapshotUrl: string } });
    const mine = messages.filter((m) => m.event.camera === id);
    for (const [i, e] of events.entries()) {
      assert.deepEqual(mine.filter((m) => m.event.id === e.id).map((m) => m.type), i < OBJECTS - 1 ? ['new', 'end'] : ['new'], `event ${e.id}`);
    }
    const end = mine.find((m) => m.type === 'end')!;
    assert.match(end.event.start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(end.event.clipUrl, `${api.url}/events/${end.event.id}/clip.mp4`);
    const clip = await api.request('GET', new URL(end.event.clipUrl).pathname);
    assert.equal(clip.status, 200);
    assert.equal(clip.headers.get('content-type'), 'video/mp4');
    assert.ok((await clip.arrayBuffer()).byteLength > 10_000);
    const snap = await api.request('GET', `${new URL(end.event.snapshotUrl).pathname}${new URL(end.event.snapshotUrl).search}`);
    assert.equal(snap.status, 200, await snap.clone().text());
    assert.equal(snap.headers.get('content-type'), 'image/jpeg');
    // Without the API token, the URLs are refused like every API URL.
    assert.equal((await fetch(end.event.clipUrl)).status, 401);

    const jpeg = listener.on(`${prefix}/${id}/snapshot`).at(-1);
    assert.ok(jpeg, 'a snapshot was published');
    assert.equal(jpeg.payload.subarray(0, 2).toString('hex'), 'ffd8', 'a JPEG');
    // Home Assistant's event entity gets the same events on the camera's own topic.
    assert.deepEqual(listener.text(`${prefix}/${id}/event`).map((p) => (JSON.parse(p) as { event_type: string }).event_type).slice(0, 2), ['new', 'end']);
  });

  test('a control entity command changes the emulator and its state topic follows', async () => {
    const id = plainCam.id;
    await listener.waitFor(`${prefix}/${id}/state`, (p) => (JSON.parse(p) as { state: string }).state === 'recording', 30_000, 'recording');
    await listener.waitFor(`${prefix}/${id}/control/night-vision`, (p) => p === 'auto', 15_000, 'the night vision read from the camera');
    await listener.publish(`${prefix}/${id}/control/night-vision/set`, 'off');
    await eventually(() => plainCam.device.controls.nightVision === 2, 10_000, 'the emulator to turn night vision off');
    await listener.waitFor(`${prefix}/${id}/control/night-vision`, (p) => p === 'off', 10_000, 'the state topic to say off');
    await listener.publish(`${prefix}/${id}/control/status-light/set`, 'OFF');
    await eventually(() => plainCam.device.controls.statusLight === 2, 10_000, 'the status light off');
    await listener.waitFor(`${prefix}/${id}/control/status-light`, (p) => p === 'OFF', 10_000, 'the status light state OFF');
  });

  test('the PTZ buttons of a pan camera move the emulator', async () => {
    const cfg = await listener.waitFor(`${discovery}/button/${prefix}_cam${pan.id}/ptz_right/config`, () => true, 20_000, 'the PTZ right button');
    const button = JSON.parse(cfg.payload.toString()) as { command_topic: string; payload_press: string };
    await listener.waitFor(`${prefix}/${pan.id}/state`, (p) => (JSON.parse(p) as { state: string }).state === 'recording', 30_000, 'the pan camera recording');
    const pos = pan.sim.device.controls.position;
    const start = { ...pos };
    await listener.publish(button.command_topic, button.payload_press);
    await eventually(() => pos.horizontal === start.horizontal + PTZ_STEP_DEGREES.horizontal, 10_000, 'a step right');
    assert.equal(pos.vertical, start.vertical);
  });

  test('snapshot/get publishes a fresh JPEG of the camera', async () => {
    const topic = `${prefix}/${plainCam.id}/snapshot`;
    const before = listener.on(topic).length;
    await listener.publish(`${topic}/get`, '');
    const jpeg = await eventually(() => listener.on(topic).length > before && listener.on(topic).at(-1), 15_000, 'a snapshot on request');
    assert.equal(jpeg.payload.subarray(0, 2).toString('hex'), 'ffd8');
    assert.ok(jpeg.payload.length > 5000, `${jpeg.payload.length} bytes`);
  });

  test('recording/set OFF disables the camera with a disabled gap; ON resumes and the first footage closes the gap', async () => {
    const id = plainCam.id;
    await listener.publish(`${prefix}/${id}/recording/set`, 'OFF');
    await eventually(async () => ((await env.ds.query(`SELECT enabled FROM cameras WHERE id = $1`, [id])) as { enabled: boolean }[])[0].enabled === false, 10_000, 'the camera disabled');
    const gap = await eventually(async () => {
      const g: { start_us: number; end_us: number | null; reason: string }[] = await env.ds.query(`SELECT start_us, end_us, reason FROM gaps WHERE camera_id = $1 AND reason = 'disabled'`, [id]);
      return g[0];
    }, 15_000, 'a disabled gap');
    assert.equal(gap.end_us, null);
    await listener.waitFor(`${prefix}/${id}/state`, (p) => (JSON.parse(p) as { state: string }).state === 'disabled', 10_000, 'state disabled');
    await listener.waitFor(`${prefix}/${id}/recording`, (p) => p === 'OFF', 10_000, 'the recording switch OFF');
    const sentWhileOff = plainCam.sent.video;

    await listener.publish(`${prefix}/${id}/recording/set`, 'ON');
    await listener.waitFor(`${prefix}/${id}/recording`, (p) => p === 'ON', 10_000, 'the recording switch ON');
    const closed = await eventually(async () => {
      const g: { start_us: number; end_us: number | null }[] = await env.ds.query(`SELECT start_us, end_us FROM gaps WHERE camera_id = $1 AND reason = 'disabled'`, [id]);
      return g[0]?.end_us !== null && g[0];
    }, 30_000, 'the gap closed by new footage');
    assert.ok(closed.end_us! > closed.start_us);
    assert.ok(plainCam.sent.video > sentWhileOff, 'the camera streams again');
    await eventually(() => {
      const states = listener.text(`${prefix}/${id}/state`).map((p) => (JSON.parse(p) as { state: string }).state);
      return states.slice(states.lastIndexOf('disabled')).includes('recording');
    }, 15_000, 'state recording again');
  });

  test("a deleted camera's discovery configs are cleared (empty retained)", async () => {
    const box = new SecretBox(Buffer.from(SECRET_KEY_HEX, 'hex'));
    const [{ id }]: { id: number }[] = await env.ds.query(
      `INSERT INTO cameras (name, uid, enr_encrypted, mac, ip, port, model, enabled) VALUES ('doomed', 'DOOMED00000000000001', $1, 'AABBCCDD0001', '127.0.0.1', 9, 'HL_PAN3', false) RETURNING id`,
      [box.encrypt('doomed-enr-000000')],
    );
    const mine = (m: { topic: string }) => m.topic.startsWith(`${discovery}/`) && m.topic.includes(`_cam${id}/`);
    const announced = await eventually(() => {
      const c = listener.messages.filter(mine);
      return c.length >= 10 && c;
    }, 10_000, 'the new camera announced');
    assert.ok(announced.some((m) => m.topic.includes('/button/') && m.topic.includes('ptz_left')), 'a pan camera gets PTZ buttons');
    await env.ds.query(`DELETE FROM cameras WHERE id = $1`, [id]);
    const topics = new Set(announced.map((m) => m.topic));
    await eventually(() => [...topics].every((t) => listener.last(t) === ''), 10_000, 'every config emptied');
    const late = await MqttListener.connect([`${discovery}/#`]);
    listeners.push(late);
    await eventually(() => late.messages.some((m) => m.topic.includes(`_cam${plainCam.id}/`)), 10_000, 'retained configs of the others');
    assert.equal(late.messages.filter(mine).length, 0, 'no retained config of the deleted camera remains');
  });

  test('no ENR, token, key or MQTT password in any payload or in the recorder log', async () => {
    const secrets = [await decryptEnr(env, motionCam.id), await decryptEnr(env, plainCam.id), pan.sim.credentials.enr, api.token, SECRET_KEY_HEX, MQTT_PASSWORD];
    assert.ok(listener.messages.length > 50, `${listener.messages.length} messages scanned`);
    for (const m of listener.messages) {
      const text = m.payload.toString('latin1');
      for (const s of secrets) assert.ok(!text.includes(s), `a secret in ${m.topic}`);
    }
    assert.ok(recorder!.proc.output.includes('MQTT connected'));
    assert.ok(!recorder!.proc.output.includes(MQTT_PASSWORD), 'the MQTT password is not logged');
  });
});

describe('MQTT broker restart', { timeout: 120_000 }, () => {
  const { prefix, discovery } = uniquePrefixes();
  let env: RecorderTestEnv;
  let cam: EmulatedCamera;
  let broker: ChildProcess | undefined;
  let recorder: Recorder | undefined;
  let port: number;

  before(async () => {
    env = await recorderTestEnv();
    cam = await emulatedCamera(env, { video: 'h264', audio: 'none' }, { speed: 1, durationUs: 600 * S });
    port = await freePort();
    broker = await startMosquitto(port);
  });
  after(async () => {
    await stopRecorder(recorder).catch(() => undefined);
    if (broker) await stopMosquitto(broker);
    cam?.close();
    await env?.close();
  });

  test('recording goes on while the broker is down; after its restart the recorder is online again and republishes its state', async () => {
    recorder = await startRecorder(recorderEnv(env, env.db.url, { MQTT_URL: `mqtt://127.0.0.1:${port}`, MQTT_TOPIC_PREFIX: prefix, MQTT_DISCOVERY_PREFIX: discovery, RECORDER_MOTION: 'off' }));
    const first = await MqttListener.connect([`${prefix}/#`, `${discovery}/#`], `mqtt://127.0.0.1:${port}`);
    await first.waitFor(`${prefix}/${cam.id}/state`, (p) => (JSON.parse(p) as { state: string }).state === 'recording', 30_000, 'recording');
    await first.close();

    await stopMosquitto(broker!);
    broker = undefined;
    const framesAtStop = cam.sent.video;
    const bytes = async () => ((await env.ds.query(`SELECT coalesce(sum(bytes), 0)::bigint AS b FROM segments WHERE camera_id = $1`, [cam.id])) as { b: number }[])[0].b;
    const bytesAtStop = await bytes();
    await eventually(() => /MQTT connection lost/.test(recorder!.proc.output), 10_000, 'the loss logged');
    await eventually(async () => cam.sent.video > framesAtStop + 60 && (await bytes()) > bytesAtStop, 30_000, 'recording to go on without the broker');

    // A fresh broker (nothing retained): the recorder's reconnect republishes everything.
    broker = await startMosquitto(port);
    const second = await MqttListener.connect([`${prefix}/#`, `${discovery}/#`], `mqtt://127.0.0.1:${port}`);
    try {
      await second.waitFor(`${prefix}/available`, (p) => p === 'online', 70_000, 'online again');
      const state = await second.waitFor(`${prefix}/${cam.id}/state`, () => true, 10_000, 'the state republished');
      assert.equal((JSON.parse(state.payload.toString()) as { state: string }).state, 'recording');
      await eventually(() => second.messages.filter((m) => m.topic.startsWith(`${discovery}/`)).length >= 10, 10_000, 'discovery republished');
      assert.deepEqual(second.text(`${prefix}/${cam.id}/motion`), ['OFF'], 'the current motion state, no replayed transitions');
    } finally {
      await second.close();
    }
  });

  test('mqtts:// with MQTT_CA_FILE connects to a broker whose certificate that CA signed; without it the certificate is refused', async () => {
    await stopRecorder(recorder);
    recorder = undefined;
    // Under /tmp: a mosquitto started as root reads them as its own user, which cannot enter the test's 0700 directory.
    const tls = makeTlsFiles(tmpdir());
    const tlsPort = await freePort();
    const tlsBroker = await startMosquitto(tlsPort, tls);
    try {
      const url = `mqtts://localhost:${tlsPort}`;
      const sub = await MqttListener.connect([`${prefix}/available`], url, readFileSync(tls.ca));
      try {
        recorder = await startRecorder(recorderEnv(env, env.db.url, { MQTT_URL: url, MQTT_TOPIC_PREFIX: prefix, MQTT_DISCOVERY_PREFIX: discovery, RECORDER_MOTION: 'off', MQTT_CA_FILE: tls.ca }));
        await eventually(() => sub.text(`${prefix}/available`).includes('online') && sub.messages.some((m) => !m.retain), 20_000, 'online over TLS');
        // SIGTERM is handled once start() is done (MQTT may connect before that).
        await recorder.proc.waitFor(/recorder started/, 20_000);
        await stopRecorder(recorder);
        recorder = await startRecorder(recorderEnv(env, env.db.url, { MQTT_URL: url, MQTT_TOPIC_PREFIX: prefix, MQTT_DISCOVERY_PREFIX: discovery, RECORDER_MOTION: 'off' }));
        await eventually(() => /MQTT broker not reachable/.test(recorder!.proc.output), 20_000, 'the untrusted certificate refused');
        assert.ok(!/MQTT connected/.test(recorder.proc.output));
        await recorder.proc.waitFor(/recorder started/, 20_000);
      } finally {
        await sub.close();
      }
    } finally {
      await stopMosquitto(tlsBroker);
      rmSync(tls.dir, { recursive: true, force: true });
    }
  });
});

describe('MQTT in demo', { timeout: 120_000 }, () => {
  const { prefix, discovery } = uniquePrefixes();
  const dataDir = mkdtempSync(join(tmpdir(), 'wyze-demo-mqtt-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('the demo camera is announced in the one process; disabling it through the API shows on MQTT; a stop leaves offline', async () => {
    const port = await freePort();
    const demo = new CliProcess(['demo'], { DATA_DIR: dataDir, API_PORT: String(port), MQTT_URL: 'mqtt://127.0.0.1:1883', MQTT_TOPIC_PREFIX: prefix, MQTT_DISCOVERY_PREFIX: discovery });
    let stopped = false;
    try {
      const [, url] = await demo.waitFor(/API:\s+(http:\/\/\S+)/, 60_000);
      const [, cameraId] = await demo.waitFor(/camera:\s+#(\d+)/);
      const sub = await MqttListener.connect([`${prefix}/#`, `${discovery}/#`]);
      try {
        const mine = (m: { topic: string }) => m.topic.startsWith(`${discovery}/`) && m.topic.includes(`_cam${cameraId}/`);
        await eventually(() => sub.messages.filter(mine).length >= 5, 20_000, 'discovery of the demo camera');
        // A client that connects now gets them as retained messages.
        const late = await MqttListener.connect([`${discovery}/#`]);
        const configs = await eventually(() => {
          const c = late.messages.filter(mine);
          return c.length >= 5 && c;
        }, 10_000, 'retained discovery configs of the demo camera').finally(() => late.close());
        for (const m of configs) {
          assert.ok(m.retain, m.topic);
          const cfg = JSON.parse(m.payload.toString()) as Record<string, unknown>;
          for (const k of REQUIRED_KEYS) assert.ok(k in cfg, `${m.topic} has ${k}`);
        }
        await sub.waitFor(`${prefix}/${cameraId}/state`, (p) => (JSON.parse(p) as { state: string }).state === 'recording', 30_000, 'the demo camera recording');
        const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
        const r = await fetch(`${url}/cameras/${cameraId}/disable`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
        assert.ok(r.ok, await r.clone().text());
        await sub.waitFor(`${prefix}/${cameraId}/recording`, (p) => p === 'OFF', 10_000, 'the recording switch OFF');
        await sub.waitFor(`${prefix}/${cameraId}/state`, (p) => (JSON.parse(p) as { state: string }).state === 'disabled', 10_000, 'state disabled');
        assert.equal(await demo.stop('SIGTERM'), 0);
        stopped = true;
        await sub.waitFor(`${prefix}/available`, (p) => p === 'offline', 10_000, 'offline at the stop');
      } finally {
        await sub.close();
      }
    } finally {
      if (!stopped) await demo.stop('SIGTERM');
    }
  });
});
