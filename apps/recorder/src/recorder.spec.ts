import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { loadRecorderSettings, SecretBox, type AppConfig } from '@wyze-nvr/config';
import { createLogger, type Logger } from '@wyze-nvr/log';
import type { CameraSession, ConnectOptions } from '@wyze-nvr/tutk';
import { Recorder } from './recorder';
import { segmentPath } from './segment/segment-path';
import type { SegmentRecord } from './segment/segmenter';
import { MemoryLeaseStore } from './testing/memory-lease-store';
import { FakeCameraSession, fixtureVideo, videoFrame } from './testing/fake-camera-session';
import { MemoryRecorderStore } from './testing/memory-recorder-store';

const SECRET = new Uint8Array(32).fill(7);
const ENR = 'Qm9ndXNFbnJLZXkh'; // 16 characters, as a camera's ENR is; not a real one
const CAMERA = 4;
const LAST_END_US = 1_790_000_060_000_000;

let root: string;
let n = 0;
/** Every recorder a test starts; stopped after each test, so a failed assertion fails instead of leaving timers that keep the run alive. */
const started: Recorder[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.stop()));
});
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'recorder-spec-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

function config(recordingsDir: string): AppConfig {
  return {
    databaseUrl: undefined,
    redisUrl: undefined,
    dataDir: recordingsDir,
    recordingsDir,
    apiHost: '127.0.0.1',
    apiPort: 0,
    apiToken: undefined,
    sessionIdleSeconds: 604_800,
    secretKey: SECRET,
    logLevel: 'trace',
    segmentSeconds: 5,
  };
}

/**
 * A Recorder over the in-memory store with one camera; with `footage`, one closed segment on disk that
 * ends at LAST_END_US (a file whose size matches its row, which reconcile leaves alone).
 */
async function setup(o: { footage: boolean; logger?: Logger }) {
  const dir = join(root, String(n++));
  const store = new MemoryRecorderStore();
  store.cameras.push({
    id: CAMERA,
    name: 'garage',
    uid: 'UEDT9GKXHT01HRICYSV8',
    enrEncrypted: new SecretBox(SECRET).encrypt(ENR),
    mac: '35E02A2F08E1',
    ip: '127.0.0.1',
    port: 32761,
    model: 'WYZE_CAKP2JFUS',
    quality: 'hd',
    enabled: true,
  });
  if (o.footage) {
    const startUs = LAST_END_US - 60_000_000;
    const path = segmentPath(dir, CAMERA, startUs);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, new Uint8Array(1000));
    const row: SegmentRecord = {
      cameraId: CAMERA, path, startUs, endUs: LAST_END_US, bytes: 1000, videoFrames: 900, audioFrames: 0,
      keyframes: 15, videoCodec: 'avc1.640028', audioCodec: null, width: 1920, height: 1080, state: 'closed',
    };
    await store.upsertSegment(row);
  }
  const sessions: FakeCameraSession[] = [];
  const connects: ConnectOptions[] = [];
  const recorder = new Recorder({
    config: config(dir),
    secretKey: SECRET,
    dataSource: undefined as never, // reached only through the store
    logger: o.logger ?? createLogger({ level: 'silent' }),
    settings: loadRecorderSettings({ RECORDER_MOTION: 'off' }),
    store,
    leaseStore: new MemoryLeaseStore(() => store.cameras),
    connect: async (opts): Promise<CameraSession> => {
      connects.push(opts);
      const s = new FakeCameraSession();
      sessions.push(s);
      return s.asSession();
    },
  });
  started.push(recorder);
  return { store, recorder, sessions, connects };
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Recorder', () => {
  it('resumes a camera with footage into a recorder_down gap from the end of its last footage, closed when frames are written', async () => {
    const { store, recorder, sessions } = await setup({ footage: true });
    await recorder.start();
    const opened = [...store.gaps.values()];
    assert.deepEqual(opened, [{ cameraId: CAMERA, startUs: LAST_END_US, endUs: null, reason: 'recorder_down' }]);

    await until(() => sessions.length === 1, 'the camera session');
    const video = fixtureVideo();
    for (let i = 0; i < 40; i++) sessions[0].deliver(videoFrame(video[i % video.length].data, Date.now() * 1000 + i * 66_667));
    await until(() => [...store.gaps.values()].every((g) => g.endUs !== null), 'the gap to close');
    const [gap] = [...store.gaps.values()];
    assert.equal(gap.reason, 'recorder_down');
    assert.equal(gap.startUs, LAST_END_US);
    assert.ok(gap.endUs! > LAST_END_US, 'the gap ends where the new footage starts');
    await recorder.stop();
  });

  it('resumes into the gap left open in the database rather than opening a second one', async () => {
    const { store, recorder } = await setup({ footage: true });
    await store.upsertGap({ cameraId: CAMERA, startUs: LAST_END_US + 5_000_000, endUs: null, reason: 'network_loss' });
    await recorder.start();
    assert.deepEqual([...store.gaps.values()].map((g) => [g.startUs, g.reason]), [[LAST_END_US + 5_000_000, 'network_loss']]);
    await recorder.stop();
  });

  it('writes the status row as soon as a session opens (with the internal URL), not at the next 5 s interval', async () => {
    const { store, recorder, sessions } = await setup({ footage: false });
    await recorder.start();
    await until(() => sessions.length === 1, 'the camera session');
    const opened = Date.now();
    await until(() => store.status.get(CAMERA)?.state === 'recording', 'a recording status row', 2000);
    assert.ok(Date.now() - opened < 2000);
    assert.match(store.status.get(CAMERA)!.recorderUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    await recorder.stop();
  });

  it('opens no gap for a camera that has never recorded', async () => {
    const { store, recorder } = await setup({ footage: false });
    await recorder.start();
    assert.equal(store.gaps.size, 0);
    await recorder.stop();
  });

  it('never hands the ENR to its logger, at trace level, from start to stop (no key-name or registry redaction here)', async () => {
    const lines: string[] = [];
    // A bare pino logger: nothing is redacted, so a secret passed to it would be in these lines.
    const logger = pino({ level: 'trace' }, { write: (l: string) => void lines.push(l) });
    const { recorder, sessions, connects } = await setup({ footage: true, logger });
    await recorder.start();
    await until(() => sessions.length === 1, 'the camera session');
    assert.equal(connects[0].enr, ENR, 'the session itself is given the decrypted ENR');
    sessions[0].end(new Error('camera lost'));
    await until(() => lines.some((l) => l.includes('camera session ended')), 'the session end to be logged');
    await recorder.stop();
    assert.ok(lines.length >= 5, `expected the recorder to log its work, got ${lines.length} lines`);
    assert.ok(lines.some((l) => l.includes('camera loaded')), 'the camera-loaded line is among them');
    for (const l of lines) {
      assert.ok(!l.includes(ENR), `ENR in a log line: ${l}`);
      assert.ok(!/"enr"\s*:/i.test(l), `an enr field in a log line: ${l}`);
    }
  });
});
