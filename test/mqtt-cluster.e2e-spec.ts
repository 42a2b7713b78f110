// MQTT with two recorder processes on one database and the real Mosquitto on 127.0.0.1:1883 (a unique topic
// prefix per run): each camera's state is published by exactly the node holding its lease; after one node
// stops (SIGTERM) its cameras are announced by the other, and `<prefix>/available` never says offline; a node
// killed (-9) leaves its last will `offline`, which the live node overwrites with `online`; the last node's
// stop says `offline`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { emulatedCamera, eventually, recorderTestEnv, type EmulatedCamera, type RecorderTestEnv } from './support/recorder-harness';
import { owners, startNode, type RecorderNode } from './support/recorder-cluster';
import { MqttListener, uniquePrefixes } from './support/mqtt-listener';

const CAMERAS = 4;

/** What a node that does not run the camera said of it when every node published every camera. */
const NOT_HERE = 'not running on this recorder';

/** The states published for camera `id` since `fromMs`, as `state` or `state (reason)`. */
const statesSince = (l: MqttListener, prefix: string, id: number, fromMs: number): string[] =>
  l
    .on(`${prefix}/${id}/state`)
    .filter((m) => m.atMs >= fromMs && m.payload.length > 0)
    .map((m) => JSON.parse(m.payload.toString('utf8')) as { state: string; reason: string | null })
    .map((m) => (m.reason ? `${m.state} (${m.reason})` : m.state));

describe('MQTT with several recorders', { timeout: 300_000 }, () => {
  it('each camera is published by its lease holder alone; a stopped node’s cameras are announced by the other; available online while a node is up', async (t) => {
    const { prefix, discovery } = uniquePrefixes();
    const env: RecorderTestEnv = await recorderTestEnv();
    const cams: EmulatedCamera[] = [];
    const nodes = new Map<string, RecorderNode>();
    const listener = await MqttListener.connect([`${prefix}/#`, `${discovery}/#`]);
    t.after(async () => {
      for (const n of nodes.values()) await n.proc.stop('SIGKILL').catch(() => undefined);
      await listener.close().catch(() => undefined);
      cams.forEach((c) => c.close());
      await env.close();
    });
    for (let i = 0; i < CAMERAS; i++) cams.push(await emulatedCamera(env, { video: 'h264', videoFile: 'h264-360p20.h264', audio: 'none' }, { durationUs: 3_600_000_000 }));
    const settings = { SEGMENT_SECONDS: '2', RECORDER_MOTION: 'off', RECORDER_CAMERA_CLOCK_SYNC_SECONDS: '0', MQTT_URL: 'mqtt://127.0.0.1:1883', MQTT_TOPIC_PREFIX: prefix, MQTT_DISCOVERY_PREFIX: discovery };
    for (const name of ['node-a', 'node-b']) nodes.set(name, await startNode(env, name, settings));

    const split = await eventually(async () => {
      const o = await owners(env.ds);
      const a = [...o].filter(([, n]) => n === 'node-a').map(([id]) => id);
      return o.size === CAMERAS && a.length === CAMERAS / 2 && o;
    }, 60_000, 'the cameras split 2/2');
    await eventually(() => cams.every((c) => statesSince(listener, prefix, c.id, 0).at(-1) === 'recording'), 60_000, 'every camera recording on MQTT');
    // Every node reads every camera row; only the lease holder says anything of a camera.
    for (const c of cams) {
      const states = statesSince(listener, prefix, c.id, 0);
      assert.ok(!states.some((x) => x.includes(NOT_HERE)), `camera ${c.id} (owner ${split.get(c.id)}): never "${NOT_HERE}" from the other node: ${states.join(', ')}`);
    }

    const moved = [...split].filter(([, n]) => n === 'node-b').map(([id]) => id);
    const stopMs = Date.now();
    const b = nodes.get('node-b')!;
    assert.equal(await b.proc.stop('SIGTERM'), 0, b.proc.output.slice(-3000));
    nodes.delete('node-b');
    await eventually(async () => [...(await owners(env.ds)).values()].filter((n) => n === 'node-a').length === CAMERAS, 30_000, 'node-a took node-b’s cameras');
    for (const id of moved) {
      const config = `${discovery}/switch/${prefix}_cam${id}/recording/config`;
      await eventually(() => listener.on(config).some((m) => m.atMs >= stopMs && m.payload.length > 0), 30_000, `camera ${id} announced again by node-a`);
      await eventually(() => statesSince(listener, prefix, id, stopMs).at(-1) === 'recording', 30_000, `camera ${id} recording on node-a, on MQTT`);
    }
    assert.deepEqual(listener.text(`${prefix}/available`).filter((p) => p !== 'online'), [], 'available never said offline while node-a was up');
    const late = await MqttListener.connect([`${prefix}/available`]);
    t.after(() => late.close());
    await late.waitFor(`${prefix}/available`, (p) => p === 'online', 5000, 'retained online');

    // A node killed: its last will says offline, and the live node answers online at once.
    const c = await startNode(env, 'node-c', settings);
    nodes.set('node-c', c);
    await eventually(async () => [...(await owners(env.ds)).values()].filter((n) => n === 'node-c').length === CAMERAS / 2, 60_000, 'node-c took its share');
    c.proc.child.kill('SIGKILL');
    await c.proc.exited;
    nodes.delete('node-c');
    const will = await listener.waitFor(`${prefix}/available`, (p) => p === 'offline', 30_000, 'node-c’s last will');
    await eventually(() => listener.on(`${prefix}/available`).some((m) => m.atMs >= will.atMs && m.payload.toString() === 'online' && m !== will), 10_000, 'online again from node-a');
    const after = await MqttListener.connect([`${prefix}/available`]);
    t.after(() => after.close());
    await after.waitFor(`${prefix}/available`, (p) => p === 'online', 5000, 'retained online after the kill');

    // The last node stopping says offline.
    const a = nodes.get('node-a')!;
    const lastStopMs = Date.now();
    assert.equal(await a.proc.stop('SIGTERM'), 0, a.proc.output.slice(-3000));
    nodes.delete('node-a');
    await eventually(() => listener.on(`${prefix}/available`).some((m) => m.atMs >= lastStopMs && m.payload.toString() === 'offline'), 10_000, 'offline once no recorder is up');
    const end = await MqttListener.connect([`${prefix}/available`]);
    t.after(() => end.close());
    await end.waitFor(`${prefix}/available`, (p) => p === 'offline', 5000, 'retained offline');
  });
});
