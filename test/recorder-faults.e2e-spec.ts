// Faults around one camera's recorder (in this process, on a real emulated camera over loopback UDP, real
// files and PostgreSQL): a full disk (ENOSPC from the file system for a while) and a camera whose stream
// stalls while its session stays up. Neither may crash the recorder; each must leave a gap row saying why
// footage is missing, and recording must resume by itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createLogger } from '@wyze-nvr/log';
import { CameraDevice, connect, FrameBufferPool, type MediaSource } from '@wyze-nvr/tutk';
import { IndexQueue } from '../apps/recorder/src/index/index-queue';
import { PgRecorderStore } from '../apps/recorder/src/index/recorder-store';
import { NodeSegmentFileSystem, type SegmentFile, type SegmentFileSystem } from '../apps/recorder/src/segment/segment-file';
import { CameraSupervisor } from '../apps/recorder/src/supervisor/camera-supervisor';
import { fixtureMedia, pacedSource } from '../apps/recorder/src/testing/fixture-media';
import { eventually, recorderTestEnv, segmentRows, decodeErrors, type RecorderTestEnv } from './support/recorder-harness';

/** The real file system, except that while `full` every create and write fails as a full disk does. */
class FillableFiles implements SegmentFileSystem {
  full = false;
  failures = 0;
  private readonly real = new NodeSegmentFileSystem();

  private enospc(): Error {
    this.failures++;
    return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
  }

  async create(path: string): Promise<SegmentFile> {
    if (this.full) throw this.enospc();
    const f = await this.real.create(path);
    return {
      write: async (chunks, n) => {
        if (this.full) throw this.enospc();
        await f.write(chunks, n);
      },
      close: () => f.close(),
      abandon: () => f.abandon(),
    };
  }
}

/** The first session's stream stops after `frames` frames (the session itself stays up); later sessions stream normally. */
function stallingOnce(inner: MediaSource, frames: number): MediaSource & { stalledAt: number; restartedAt: number } {
  let sessions = 0;
  const src = {
    stalledAt: 0,
    restartedAt: 0,
    async *frames(signal: AbortSignal) {
      const first = sessions++ === 0;
      if (!first && !src.restartedAt) src.restartedAt = Date.now();
      let n = 0;
      for await (const f of inner.frames(signal)) {
        if (first && n++ >= frames) {
          src.stalledAt = Date.now();
          await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
          return;
        }
        yield f;
      }
    },
  };
  return src;
}

describe('recorder: faults around one camera', { timeout: 120_000 }, () => {
  let env: RecorderTestEnv;
  let device: CameraDevice;
  let stallDevice: CameraDevice;
  before(async () => {
    env = await recorderTestEnv();
  });
  after(async () => {
    device?.close();
    stallDevice?.close();
    await env?.close();
  });

  it('marks the camera degraded with a disk_full gap, does not crash, and records again when writes work', async () => {
    const uid = `DISKFULL${randomBytes(6).toString('hex').toUpperCase()}`;
    const enr = randomBytes(16).toString('hex');
    const mac = `aabbcc${randomBytes(3).toString('hex')}`;
    const { frames, periodUs } = fixtureMedia({ video: 'h264', audio: 'aac' });
    device = new CameraDevice({ uid, enr, mac, model: 'HL_CAM4', port: 0, host: '127.0.0.1', keepaliveIntervalMs: 1000, sources: { hd: pacedSource(frames, periodUs, { speed: 4, durationUs: 3_600_000_000 }) } });
    await device.start();
    const rows: { id: number }[] = await env.ds.query(
      `INSERT INTO cameras (name, uid, enr_encrypted, mac, ip, port, model) VALUES ('disk', $1, 'unused', $2, '127.0.0.1', $3, 'HL_CAM4') RETURNING id`,
      [uid, mac, device.port],
    );
    const cameraId = rows[0].id;
    const logger = createLogger({ name: 'disk-full-test', level: 'silent' });
    const files = new FillableFiles();
    const index = new IndexQueue(new PgRecorderStore(env.ds), logger);
    const rec = new CameraSupervisor({
      camera: { id: cameraId, name: 'disk', uid, enr, mac, ip: '127.0.0.1', port: device.port, model: 'HL_CAM4', quality: 'hd' },
      recordingsDir: env.recordings,
      segmentUs: 5_000_000,
      files,
      index,
      logger,
      connect,
      framePool: new FrameBufferPool(),
    });
    rec.start();
    try {
      await eventually(() => rec.snapshot().segments >= 2 && rec.snapshot().state === 'recording', 30_000, 'two segments recorded');
      assert.ok((rec.snapshot().receiveBufferBytes ?? 0) > 0, 'the UDP receive buffer granted is reported');

      files.full = true;
      await eventually(() => rec.snapshot().state === 'degraded', 15_000, 'the camera marked degraded');
      const gap = await eventually(async () => {
        const g: { reason: string; end_us: number | null }[] = await env.ds.query(`SELECT reason, end_us FROM gaps WHERE camera_id = $1`, [cameraId]);
        return g.length === 1 && g[0];
      }, 15_000, 'a gap row');
      assert.equal(gap.reason, 'disk_full');
      assert.equal(gap.end_us, null, 'open while the disk is full');
      // It keeps trying at each keyframe, without a crash or a reconnect.
      const tries = files.failures;
      await eventually(() => files.failures > tries + 1, 15_000, 'retries at later keyframes');
      assert.equal(rec.snapshot().state, 'degraded');
      assert.equal(rec.snapshot().reconnects, 0);

      const segmentsBefore = rec.snapshot().segments;
      files.full = false;
      await eventually(() => rec.snapshot().state === 'recording' && rec.snapshot().segments > segmentsBefore, 15_000, 'recording resumed');
      const closed = await eventually(async () => {
        const g: { reason: string; start_us: number; end_us: number | null }[] = await env.ds.query(`SELECT reason, start_us, end_us FROM gaps WHERE camera_id = $1`, [cameraId]);
        return g.length === 1 && g[0].end_us !== null && g[0];
      }, 15_000, 'the gap closed');
      assert.ok(closed.end_us! > closed.start_us, JSON.stringify(closed));
    } finally {
      await rec.stop();
      assert.ok(await index.drain(10_000), 'index writes drained');
      index.stop();
    }
    // Every file written before and after decodes; the one cut short by the full disk is marked damaged.
    const segs = await eventually(async () => {
      const r = await segmentRows(env.ds, cameraId);
      return r.length > 0 && r.every((x) => x.state !== 'open') && r;
    }, 15_000, 'every segment row final');
    // In time order: footage before, the file the full disk cut short (damaged), footage after.
    const states = segs.map((s) => s.state);
    const damaged = states.indexOf('damaged');
    assert.ok(damaged > 0 && states.slice(0, damaged).every((x) => x === 'closed') && states.slice(damaged + 1).every((x) => x === 'closed') && damaged < states.length - 1, JSON.stringify(states));
    for (const s of segs.filter((x) => x.state === 'closed')) assert.equal(decodeErrors(s.path), '', s.path);
    const m = rec.snapshot();
    assert.match(m.lastError ?? '', /ENOSPC/);
  });

  it('a stream that stalls with its session up is restarted after the stall time, with a stalled gap', async () => {
    const uid = `STALL${randomBytes(7).toString('hex').toUpperCase()}`;
    const enr = randomBytes(16).toString('hex');
    const mac = `aabbcc${randomBytes(3).toString('hex')}`;
    const { frames, periodUs } = fixtureMedia({ video: 'h264', audio: 'aac' });
    const source = stallingOnce(pacedSource(frames, periodUs, { speed: 2, durationUs: 3_600_000_000 }), 200);
    stallDevice = new CameraDevice({ uid, enr, mac, model: 'HL_CAM4', port: 0, host: '127.0.0.1', keepaliveIntervalMs: 500, sources: { hd: source } });
    await stallDevice.start();
    const rows: { id: number }[] = await env.ds.query(
      `INSERT INTO cameras (name, uid, enr_encrypted, mac, ip, port, model) VALUES ('stall', $1, 'unused', $2, '127.0.0.1', $3, 'HL_CAM4') RETURNING id`,
      [uid, mac, stallDevice.port],
    );
    const cameraId = rows[0].id;
    const logger = createLogger({ name: 'stall-test', level: 'silent' });
    const index = new IndexQueue(new PgRecorderStore(env.ds), logger);
    const rec = new CameraSupervisor({
      camera: { id: cameraId, name: 'stall', uid, enr, mac, ip: '127.0.0.1', port: stallDevice.port, model: 'HL_CAM4', quality: 'hd' },
      recordingsDir: env.recordings,
      segmentUs: 60_000_000,
      files: new NodeSegmentFileSystem(),
      index,
      logger,
      connect,
      stallMs: 2000,
    });
    const t0 = Date.now();
    rec.start();
    try {
      const gap = await eventually(async () => {
        const g: { reason: string; start_us: number; end_us: number | null }[] = await env.ds.query(`SELECT reason, start_us, end_us FROM gaps WHERE camera_id = $1`, [cameraId]);
        return g.length === 1 && g[0].end_us !== null && g[0];
      }, 40_000, 'a closed gap: the stall, then footage again');
      assert.equal(gap.reason, 'stalled');
      const m = rec.snapshot();
      assert.equal(m.reconnects, 1, 'one new session after the stall');
      assert.equal(m.state, 'recording');
      // Restarted after the stall time, not before; then within the watchdog tick, the backoff and a handshake.
      const waited = source.restartedAt - source.stalledAt;
      assert.ok(source.stalledAt > t0 && waited >= 2000 && waited < 12_000, `restarted ${waited} ms after the stream stalled`);
    } finally {
      await rec.stop();
      assert.ok(await index.drain(10_000), 'index writes drained');
      index.stop();
    }
  });
});
