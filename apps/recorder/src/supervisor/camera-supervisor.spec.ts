import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@wyze-nvr/log';
import { TutkSessionError, type CameraSession, type ConnectOptions } from '@wyze-nvr/tutk';
import { renderPrometheus } from '../metrics/prometheus';
import { IndexQueue } from '../index/index-queue';
import { FakeCameraSession, MemorySegmentFiles, fixtureVideo, videoFrame } from '../testing/fake-camera-session';
import { FakeClock } from '../testing/fake-clock';
import { MemoryRecorderStore } from '../testing/memory-recorder-store';
import { Backoff } from './backoff';
import { CameraSupervisor } from './camera-supervisor';

const log = createLogger({ level: 'silent' });
const camera = { id: 1, name: 'porch', uid: 'UID', enr: 'enr-not-used-here', mac: 'AA', ip: '10.0.0.9', port: null, model: 'WYZE_CAKP2JFUS', quality: 'hd' as const };

function setup(connect: (o: ConnectOptions) => Promise<CameraSession>) {
  const clock = new FakeClock();
  const store = new MemoryRecorderStore(() => clock.monotonicMs());
  const index = new IndexQueue(store, log, 5000, clock);
  // No jitter, so the delays are Backoff's exact doubling.
  const sup = new CameraSupervisor({ camera, recordingsDir: '/rec', segmentUs: 5_000_000, files: new MemorySegmentFiles(), index, logger: log, connect, clock, stallMs: 10_000, backoff: new Backoff(1000, 60_000, 0, () => 0) });
  return { clock, store, sup };
}

/** A supervisor whose every connect opens a FakeCameraSession (`prepare` may set its stats), kept in `sessions`. */
function setupSessions(prepare?: (s: FakeCameraSession) => void) {
  const sessions: FakeCameraSession[] = [];
  const parts = setup(async () => {
    const s = new FakeCameraSession();
    prepare?.(s);
    sessions.push(s);
    return s.asSession();
  });
  return { ...parts, sessions };
}

describe('CameraSupervisor', () => {
  for (const [code, reason] of [['discovery-timeout', 'discovery_timeout'], ['auth-refused', 'auth_refused'], ['wrong-key', 'auth_refused'], ['camera-lost', 'network_loss']] as const) {
    it(`backs off 1, 2, 4 s after ${code} and opens one ${reason} gap`, async () => {
      let attempts = 0;
      const { clock, store, sup } = setup(async () => {
        attempts++;
        throw new TutkSessionError('connect' as never, code, 'spec');
      });
      sup.start();
      await clock.advance(0);
      const delays: number[] = [];
      for (let i = 0; i < 3; i++) {
        delays.push(clock.pendingTimeouts[0]);
        await clock.advance(clock.pendingTimeouts[0]);
      }
      assert.deepEqual(delays, [1000, 2000, 4000]);
      assert.equal(attempts, 4);
      assert.deepEqual([...store.gaps.values()].map((g) => g.reason), [reason]);
      await sup.stop();
      assert.equal(sup.snapshot().state, 'stopped');
    });
  }

  it('closes a session that stops delivering frames, opens a stalled gap and reconnects exactly once', async () => {
    const { clock, store, sup, sessions } = setupSessions();
    sup.start();
    await clock.advance(11_000);
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0].closed, true);
    assert.deepEqual([...store.gaps.values()].map((g) => g.reason), ['stalled']);
    await clock.advance(1000); // the first backoff delay
    assert.equal(sessions.length, 2);
    assert.equal(sup.snapshot().reconnects, 1);
    await sup.stop();
    assert.equal(sessions[1].closed, true, 'stop closes the running session');
    assert.equal(sup.snapshot().state, 'stopped');
  });
  /**
   * Two failed connects build the backoff up to 4 s; then a session delivers frames for `flowMs` and the
   * camera is lost. The delay before the next connect says whether the supervisor reset its backoff.
   */
  async function delayAfterSession(flowMs: number): Promise<number> {
    const sessions: FakeCameraSession[] = [];
    let attempts = 0;
    const { clock, sup } = setup(async () => {
      if (++attempts <= 2) throw new TutkSessionError('connect' as never, 'discovery-timeout', 'spec');
      const s = new FakeCameraSession();
      sessions.push(s);
      return s.asSession();
    });
    sup.start();
    await clock.advance(0);
    await clock.advance(clock.pendingTimeouts[0]); // 1 s
    await clock.advance(clock.pendingTimeouts[0]); // 2 s, then the third connect opens a session
    assert.equal(sessions.length, 1);
    const video = fixtureVideo();
    for (let t = 0, i = 0; t < flowMs; t += 500, i++) {
      sessions[0].deliver(videoFrame(video[i % video.length].data, clock.nowUs()));
      await clock.advance(500);
    }
    sessions[0].end();
    await clock.advance(0);
    assert.equal(sup.snapshot().state, 'backoff');
    const delay = clock.pendingTimeouts[0];
    await sup.stop();
    return delay;
  }

  it('resets the backoff once frames have flowed for 60 s: the next failure waits 1 s again', async () => {
    assert.equal(await delayAfterSession(61_000), 1000);
  });

  it('keeps backing off after a session that ends before 60 s of frames (a flapping camera)', async () => {
    assert.equal(await delayAfterSession(30_000), 4000);
  });

  it('a keyframe after a network loss: the segment ends where footage stopped, a closed network_loss gap runs to the keyframe, the next segment starts there', async () => {
    const { clock, store, sup, sessions } = setupSessions();
    sup.start();
    await clock.advance(0);
    const video = fixtureVideo();
    assert.ok(video[0].keyframe && video[40].keyframe && video[80].keyframe, 'GOPs of 40 frames');
    const t0 = clock.nowUs();
    const send = async (i: number, afterLoss = false) => {
      sessions[0].deliver(videoFrame(video[i].data, t0 + i * 50_000, afterLoss));
      await clock.advance(50);
    };
    for (let i = 0; i < 50; i++) await send(i);
    await clock.advance(1500); // frames 50..79 are lost on the way
    await send(80, true);
    for (let i = 81; i < 90; i++) await send(i);
    await sup.stop();
    await clock.advance(0);

    const hole = { startUs: t0 + 50 * 50_000, endUs: t0 + 80 * 50_000 };
    assert.deepEqual([...store.gaps.values()], [{ cameraId: 1, ...hole, reason: 'network_loss' }]);
    const segments = [...store.segments.values()].sort((a, b) => a.startUs - b.startUs).map((x) => [x.startUs, x.endUs, x.state]);
    assert.deepEqual(segments, [
      [t0, hole.startUs, 'closed'],
      [hole.endUs, t0 + 90 * 50_000, 'closed'],
    ]);
    assert.equal(sup.snapshot().lossGaps, 1);
    assert.equal(sup.snapshot().segments, 2);
  });

  it('no answer to a resend = 1 AV login: the next attempt asks for resend = 0, which stays once it connects', async () => {
    const asked: (0 | 1 | undefined)[] = [];
    const sessions: FakeCameraSession[] = [];
    const { clock, sup } = setup(async (o) => {
      asked.push(o.resend);
      if (o.resend === 1) throw new TutkSessionError('av-login', 'login-timeout', 'spec');
      const s = new FakeCameraSession();
      sessions.push(s);
      return s.asSession();
    });
    sup.start();
    await clock.advance(0);
    await clock.advance(clock.pendingTimeouts[0]);
    assert.equal(sessions.length, 1);
    sessions[0].end();
    await clock.advance(0);
    await clock.advance(clock.pendingTimeouts[0]);
    assert.deepEqual(asked, [1, 0, 0]);
    await sup.stop();
  });

  it('resend = 0 that fails as well: the loss was not about resend, resend = 1 is asked again', async () => {
    const asked: (0 | 1 | undefined)[] = [];
    const { clock, sup } = setup(async (o) => {
      asked.push(o.resend);
      throw new TutkSessionError(o.resend === 1 ? 'av-login' : 'discovery', o.resend === 1 ? 'login-timeout' : 'discovery-timeout', 'spec');
    });
    sup.start();
    await clock.advance(0);
    await clock.advance(clock.pendingTimeouts[0]);
    await clock.advance(clock.pendingTimeouts[0]);
    assert.deepEqual(asked, [1, 0, 1]);
    await sup.stop();
  });

  it('loss figures of past and current sessions add up in the metrics and /metrics', async () => {
    const { clock, sup, sessions } = setupSessions((s) => {
      s.stats.retransmission.requested = 5;
      s.stats.retransmission.recovered = 4;
      s.stats.assembler.framesDropped.incomplete = 2;
      s.stats.assembler.loss.framesMissing = 1;
      s.stats.assembler.loss.framesWithheld = 3;
    });
    sup.start();
    await clock.advance(0);
    sessions[0].end();
    await clock.advance(0);
    await clock.advance(clock.pendingTimeouts[0]);
    assert.equal(sessions.length, 2);
    const m = sup.snapshot();
    assert.deepEqual([m.resendRequests, m.packetsRecovered, m.framesLostToLoss], [10, 8, 12]);
    const text = renderPrometheus([m], { indexFailures: 0 });
    for (const line of ['wyze_nvr_camera_resend_requests_total{camera="1",name="porch"} 10', 'wyze_nvr_camera_packets_recovered_total{camera="1",name="porch"} 8', 'wyze_nvr_camera_video_frames_lost_total{camera="1",name="porch"} 12', 'wyze_nvr_camera_loss_gaps_total{camera="1",name="porch"} 0']) {
      assert.ok(text.includes(line), line);
    }
    await sup.stop();
  });
});
