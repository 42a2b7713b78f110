// The camera emulator (libs/camera-sim) against the real client (libs/tutk connect()), over UDP on
// loopback: file media arrive byte-identical with their FRAMEINFO in every protocol variant, survive
// injected faults, and failures are reported in the right phase.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { connect, Codec, FaultyTransport, TutkSessionError, UdpTransport, type CameraSession, type ConnectOptions, type Frame, type SentFrame } from '@wyze-nvr/tutk';
import { loadFileMedia, startCameraSim, type CameraSim, type CameraSimOptions, type FileMedia } from '@wyze-nvr/camera-sim';

const HOST = '127.0.0.1';
const FIX = join(__dirname, 'fixtures', 'media');
const H264 = join(FIX, 'h264-720p20.h264');
const H265 = join(FIX, 'h265-720p20.h265');
const AAC = join(FIX, 'aac-16k-mono.aac');
const ULAW = join(FIX, 'ulaw-8k-mono.ulaw');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const open: { close(): void }[] = [];
after(() => open.forEach((x) => x.close()));

async function sim(o: CameraSimOptions): Promise<CameraSim> {
  const s = await startCameraSim({ port: 0, host: HOST, keepaliveIntervalMs: 200, ...o });
  open.push(s);
  return s;
}

async function dial(cam: CameraSim, o: Partial<ConnectOptions> = {}): Promise<CameraSession> {
  const { uid, enr, mac, model } = cam.credentials;
  const s = await connect({ uid, enr, mac, model, host: HOST, port: cam.port, keepaliveTimeoutMs: 2000, ...o });
  open.push(s);
  return s;
}

/** Frames until `done` says so, the session ends, or `ms` pass (then the session is closed). */
async function collect(s: CameraSession, done: (got: Frame[]) => boolean, ms: number): Promise<Frame[]> {
  const out: Frame[] = [];
  const deadline = setTimeout(() => s.close(), ms);
  try {
    for await (const f of s.frames()) {
      out.push(f);
      if (done(out)) break;
    }
  } catch (e) {
    if (!(e instanceof TutkSessionError)) throw e;
  } finally {
    clearTimeout(deadline);
  }
  return out;
}

/** Source hashes by stream position: what frame number n of each kind must carry (1-based, looping). */
function sourceHashes(media: FileMedia): { video: string[]; audio: string[] } {
  return { video: media.video.map((f) => sha(f.data)), audio: media.audio.map((f) => sha(f.data)) };
}

describe('emulator with file media ↔ client, every protocol variant', () => {
  const variants = [
    { codec: 'h264', video: H264, audio: AAC, videoCodec: Codec.H264, audioCodec: Codec.AacWyze },
    { codec: 'h265', video: H265, audio: ULAW, videoCodec: Codec.H265, audioCodec: Codec.Pcmu },
  ] as const;
  const media = new Map(variants.map((v) => [v.codec, loadFileMedia({ video: v.video, audio: v.audio })]));
  for (const flavours of ['old', 'new'] as const) {
    for (const authStatus of [1, 3, 6] as const) {
      for (const v of variants) {
        for (const resend of [0, 1] as const) {
          const frameInfoTime = resend === 0 ? 'unix' : 'session-marker';
          it(`${flavours}, auth ${authStatus}, ${v.codec}, resend ${resend}, FRAMEINFO time ${frameInfoTime}: every frame byte-identical, in order`, async () => {
            const m = media.get(v.codec)!;
            const hashes = sourceHashes(m);
            // 2.5 s of the file at 10×: 50 video frames (two keyframes, P-frames) and their audio.
            const limitUs = 2_500_000;
            const want = { video: m.video.filter((f) => f.timestampUs < limitUs).length, audio: m.audio.filter((f) => f.timestampUs < limitUs).length };
            const cam = await sim({ flavours, authStatus, video: v.video, audio: v.audio, speed: 10, loop: false, frameInfoTime, sessionMarker: 0x5eed });
            const sent: SentFrame[] = [];
            cam.device.on('frame-sent', (f) => sent.push(f));
            const s = await dial(cam, { resend });
            assert.equal(s.flavourName, flavours === 'new' ? 'cc51' : 'old');
            const got = await collect(s, (g) => g.filter((f) => f.kind === 'video').length >= want.video && g.filter((f) => f.kind === 'audio').length >= want.audio, 10_000);
            const video = got.filter((f) => f.kind === 'video');
            const audio = got.filter((f) => f.kind === 'audio');
            assert.ok(video.length >= want.video && audio.length >= want.audio, `${video.length}/${want.video} video, ${audio.length}/${want.audio} audio`);
            video.forEach((f, i) => {
              assert.equal(sha(f.data), hashes.video[i], `video frame ${i} bytes`);
              assert.equal(f.codec, v.videoCodec);
              assert.equal(f.keyframe, m.video[i].keyframe, `video frame ${i} keyframe`);
              assert.equal(f.info.frameNo, i + 1);
              assert.equal(f.info.payloadSize, f.data.length);
            });
            audio.forEach((f, i) => {
              assert.equal(sha(f.data), hashes.audio[i], `audio frame ${i} bytes`);
              assert.equal(f.codec, v.audioCodec);
            });
            // FRAMEINFO exactly as the emulator wrote it, frame for frame in sending order.
            assert.equal(got.length <= sent.length, true);
            got.forEach((f, i) => assert.deepEqual(f.info, sent[i].info, `frame ${i} FRAMEINFO`));
            assert.ok(sent.every((f) => f.resend === resend));
            // FACTS §10.4 time: µs within the second everywhere; [12-15] Unix seconds or the session constant.
            const t0 = video[0].info;
            video.forEach((f, i) => {
              if (frameInfoTime === 'unix') {
                const dt = (f.info.timestampSec - t0.timestampSec) * 1e6 + f.info.timestampUs - t0.timestampUs;
                assert.equal(dt, m.video[i].timestampUs);
                assert.ok(Math.abs(f.info.timestampSec - Date.now() / 1000) < 60);
              } else {
                assert.equal(f.info.timestampSec, 0x5eed);
                assert.equal(f.info.timestampUs, m.video[i].timestampUs % 1_000_000);
              }
            });
            assert.equal(s.stats.assembler.framesEmitted, got.length);
            s.close();
          });
        }
      }
    }
  }
});

describe('emulator faults and failures', () => {
  it('5% loss, reordering and duplicates both ways: delivered frames byte-identical, losses counted, resumes at keyframes, session stays up', async () => {
    // 360p keeps keyframes to a few packets, so some GOPs survive 5% packet loss; 2 s clip looped, 16 s at 4×.
    const video = join(FIX, 'h264-360p20.h264');
    const m = loadFileMedia({ video, audio: AAC });
    const hashes = sourceHashes(m);
    // A deliberately shuffling link: independent jitter on top of reordering exercises the reorder window.
    const faults = { loss: 0.05, reorder: 0.05, reorderBy: 3, duplicate: 0.03, independentJitterMs: 2 };
    const cam = await sim({ video, audio: AAC, speed: 4, loop: true, faults: { toCamera: faults, toClient: faults, seed: 42 } });
    const s = await dial(cam, { keepaliveTimeoutMs: 5000 });
    const frames = 16 * 20;
    const got = await collect(s, (g) => g.length > 0 && g[g.length - 1].kind === 'video' && g[g.length - 1].info.frameNo >= frames, 20_000);
    assert.equal(s.closed, false, 'the session stayed up');
    const video_ = got.filter((f) => f.kind === 'video');
    const audio = got.filter((f) => f.kind === 'audio');
    assert.ok(video_[video_.length - 1].info.frameNo >= frames);
    for (const [list, src] of [[video_, hashes.video], [audio, hashes.audio]] as const) {
      for (const f of list) assert.equal(sha(f.data), src[(f.info.frameNo - 1) % src.length], `${f.kind} frame ${f.info.frameNo} bytes`);
    }
    // The assembler's reorder window puts both streams back in frame order.
    video_.forEach((f, i) => assert.ok(i === 0 || f.info.frameNo > video_[i - 1].info.frameNo, `video frame ${f.info.frameNo} after ${video_[i - 1]?.info.frameNo}`));
    audio.forEach((f, i) => assert.ok(i === 0 || f.info.frameNo > audio[i - 1].info.frameNo, `audio frame ${f.info.frameNo} after ${audio[i - 1]?.info.frameNo}`));
    // After any gap, video starts again at a keyframe (withheld P-frames are not delivered).
    let gaps = 0;
    for (let i = 1; i < video_.length; i++) {
      if (video_[i].info.frameNo !== video_[i - 1].info.frameNo + 1) {
        gaps++;
        assert.equal(video_[i].keyframe, true, `frame ${video_[i].info.frameNo} after a gap`);
      }
    }
    assert.ok(gaps > 0, 'some video was lost');
    const st = s.stats.assembler;
    const dropped = Object.values(st.framesDropped).reduce((a, b) => a + b, 0) + Object.values(st.packetsDropped).reduce((a, b) => a + b, 0);
    assert.ok(dropped > 0, 'the client counted losses');
    const f = cam.stats.faults;
    assert.ok(f.toClient.lost > 0 && f.toCamera.lost > 0 && f.toClient.reordered > 0 && f.toClient.duplicated > 0);
    // A real loss costs the rest of its GOP (P-frames withheld until the next keyframe), reordering costs
    // nothing; seed 42 delivers 58 frames, so this is a floor, not an expectation.
    assert.ok(video_.length >= 50, `${video_.length} video frames delivered`);
    assert.ok(st.framesDropped['awaiting-keyframe'] > 0);
    assert.ok(video_.filter((x) => x.keyframe).length >= 2, 'video resumed at a later keyframe');
    s.close();
  });

  it('20 ms path jitter both ways (Wi-Fi-like latency, order kept): every frame arrives, byte-identical and in order', async () => {
    const video = join(FIX, 'h264-360p20.h264');
    const m = loadFileMedia({ video, audio: AAC });
    const hashes = sourceHashes(m);
    const cam = await sim({ video, audio: AAC, speed: 4, loop: true, faults: { toCamera: { pathJitterMs: 20 }, toClient: { pathJitterMs: 20 }, seed: 7 } });
    const s = await dial(cam, { keepaliveTimeoutMs: 5000 });
    const got = await collect(s, (g) => g.filter((f) => f.kind === 'video').length >= 80, 10_000);
    const video_ = got.filter((f) => f.kind === 'video');
    assert.equal(video_.length, 80);
    video_.forEach((f, i) => {
      assert.equal(f.info.frameNo, i + 1, 'no video frame lost or out of order');
      assert.equal(sha(f.data), hashes.video[i % hashes.video.length], `video frame ${i + 1} bytes`);
    });
    assert.ok(cam.stats.faults.toClient.delayed > 0 && cam.stats.faults.toCamera.delayed > 0);
    assert.equal(Object.values(s.stats.assembler.framesDropped).reduce((a, b) => a + b, 0), 0);
    s.close();
  });

  it('a wrong ENR against an OLD camera fails in the key phase within 2 s of discovery (the default, FACTS §4.4)', async () => {
    // An OLD camera answers a disco whose UID matches; the wrong ENR reaches DTLS, whose PSK differs.
    const cam = await sim({ flavours: 'old' });
    const t0 = Date.now();
    const err = await dial(cam, { enr: 'wrongENRwrong123' }).then(
      () => assert.fail('connected with a wrong ENR'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof TutkSessionError);
    assert.equal(err.phase, 'dtls');
    assert.equal(err.code, 'wrong-key');
    assert.ok(!err.message.includes(cam.credentials.enr));
    assert.ok(Date.now() - t0 < 2000 + 500, `${Date.now() - t0} ms`);
  });

  it('a wrong ENR against an OLD camera that checks the AuthKey is never answered: discovery timeout', async () => {
    const cam = await sim({ flavours: 'old', checkAuthKey: true });
    await assert.rejects(dial(cam, { enr: 'wrongENRwrong123', discoveryTimeoutMs: 300 }), (e: unknown) => e instanceof TutkSessionError && e.code === 'discovery-timeout');
    assert.ok((cam.stats.drops['iotc:bad-auth-key'] ?? 0) >= 1);
  });

  it('a wrong ENR against a CC51 camera is never answered: discovery timeout (its HMAC key derives from the ENR)', async () => {
    const cam = await sim({ flavours: 'new' });
    await assert.rejects(dial(cam, { enr: 'wrongENRwrong123', discoveryTimeoutMs: 300 }), (e: unknown) => e instanceof TutkSessionError && e.code === 'discovery-timeout');
    assert.ok((cam.stats.drops['cc51:bad-hmac'] ?? 0) >= 1);
  });

  it('a camera that refuses K-auth: "auth refused"', async () => {
    const cam = await sim({ authEnr: 'notTheRealEnr123' });
    await assert.rejects(dial(cam), (e: unknown) => e instanceof TutkSessionError && e.phase === 'auth' && e.code === 'auth-refused');
  });

  it('nothing listening: discovery timeout within the configured time', async () => {
    const probe = new UdpTransport();
    const free = (await probe.bind(0, HOST)).port;
    probe.close();
    const t0 = Date.now();
    await assert.rejects(connect({ host: HOST, port: free, uid: 'NOBODYHERE1234567890', enr: 'x'.repeat(16), mac: '000000000000', discoveryTimeoutMs: 400 }), (e: unknown) => e instanceof TutkSessionError && e.code === 'discovery-timeout');
    assert.ok(Date.now() - t0 < 400 + 1000);
  });

  it('emulator reboot mid-stream: the client reports the loss within its keepalive timeout, then reconnects', async () => {
    const cam = await sim({ speed: 4, loop: true });
    const s = await dial(cam, { keepaliveTimeoutMs: 1000 });
    await collect(s, (g) => g.length >= 10, 5000);
    const closed = new Promise<TutkSessionError | undefined>((resolve) => s.once('close', resolve));
    const back = cam.reboot(1500);
    const t0 = Date.now();
    const err = await closed;
    assert.ok(err instanceof TutkSessionError && err.code === 'camera-lost', String(err));
    assert.ok(Date.now() - t0 < 1000 + 600, `${Date.now() - t0} ms`);
    await back;
    const again = await dial(cam);
    const frames = await collect(again, (g) => g.length >= 5, 5000);
    assert.equal(frames.length, 5);
    assert.equal(cam.stats.connections, 2);
    again.close();
  });

  it('camera clock jump: FRAMEINFO seconds jump by as much, µs spacing unchanged', async () => {
    const cam = await sim({ speed: 4, loop: true });
    const s = await dial(cam);
    let jumped = false;
    const got = await collect(
      s,
      (g) => {
        const v = g.filter((f) => f.kind === 'video');
        if (!jumped && v.length === 10) {
          cam.jumpClock(-3600);
          jumped = true;
        }
        return v.length >= 30;
      },
      10_000,
    );
    const v = got.filter((f) => f.kind === 'video').map((f) => f.info.timestampSec * 1e6 + f.info.timestampUs);
    const steps = v.slice(1).map((t, i) => t - v[i]);
    assert.ok(steps.some((d) => d < -3_500_000_000), 'a jump back of about an hour');
    assert.ok(steps.filter((d) => d === 50_000).length >= v.length - 3);
    s.close();
  });

  it('source-port change mid-stream: the client follows', async () => {
    const cam = await sim({ speed: 4, loop: true });
    const s = await dial(cam);
    await collect(s, (g) => g.length >= 5, 5000);
    const port = await cam.moveSourcePort();
    const more = await collect(s, (g) => g.length >= 20, 5000);
    assert.equal(more.length, 20);
    assert.equal(s.cameraAddress.port, port);
    assert.equal(s.stats.portChanges, 1);
    s.close();
  });

  it('K10056 to SD switches to the SD file at a keyframe; FRAMEINFO time keeps going forward', async () => {
    const sdVideo = join(FIX, 'h264-360p20.h264');
    const sd = sourceHashes(loadFileMedia({ video: sdVideo }));
    const cam = await sim({ video: H264, audio: AAC, sdVideo, speed: 4, loop: true });
    const s = await dial(cam);
    let switched = false;
    const got = await collect(
      s,
      (g) => {
        const v = g.filter((f) => f.kind === 'video');
        if (!switched && v.length === 10) {
          switched = true;
          void s.setQuality('sd');
        }
        return v.length >= 40;
      },
      10_000,
    );
    const v = got.filter((f) => f.kind === 'video');
    const firstSd = v.findIndex((f) => f.info.resTier === 1);
    assert.ok(firstSd > 0, 'SD frames arrived');
    assert.equal(v[firstSd].keyframe, true);
    v.slice(firstSd).forEach((f, i) => assert.equal(sha(f.data), sd.video[i % sd.video.length], `SD frame ${i}`));
    const t = got.map((f) => f.info.timestampSec * 1e6 + f.info.timestampUs);
    const vt = v.map((f) => f.info.timestampSec * 1e6 + f.info.timestampUs);
    vt.forEach((x, i) => assert.ok(i === 0 || x > vt[i - 1], `video time goes back at ${i}`));
    assert.ok(t.length > 0 && cam.device.session?.quality === 'sd');
    s.close();
  });

  it('a client behind its own FaultyTransport (client-side wrapper) still gets intact frames', async () => {
    const cam = await sim({ speed: 8, loop: false });
    const sock = new FaultyTransport(new UdpTransport(), { inbound: { duplicate: 0.1, reorder: 0.1, reorderBy: 1 }, seed: 3 });
    open.push(sock);
    const s = await dial(cam, { socket: sock });
    const m = loadFileMedia({ video: H264, audio: AAC });
    const hashes = sourceHashes(m);
    const got = await collect(s, (g) => g.filter((f) => f.kind === 'video').length >= 40, 10_000);
    for (const f of got) assert.equal(sha(f.data), (f.kind === 'video' ? hashes.video : hashes.audio)[f.info.frameNo - 1]);
    assert.ok(sock.stats.inbound.duplicated > 0 && sock.stats.inbound.reordered > 0);
    s.close();
  });
});

describe('intercom against the emulator', () => {
  it('10 s of AAC from the client: every frame received intact with a correct TX FRAMEINFO', async () => {
    const cam = await sim({ speed: 1, loop: true });
    const s = await dial(cam);
    await s.startIntercom();
    const m = loadFileMedia({ video: H264, audio: AAC });
    await Promise.all(m.audio.map((f) => s.sendAudio({ codec: f.codec, sampleRate: 16000, channels: 1, data: f.data })));
    const rx = cam.device.receivedAudio;
    const deadline = Date.now() + 3000;
    while (rx.length < m.audio.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(rx.length, m.audio.length);
    rx.forEach((a, i) => {
      assert.equal(sha(a.payload), sha(m.audio[i].data), `frame ${i}`);
      assert.equal(a.frameNo, i + 1);
      assert.equal(a.codec, Codec.AacWyze);
      assert.equal(a.sampleRate, 16000);
      assert.equal(a.channels, 1);
      // 1024 samples at 16 kHz: 64 ms per frame (FACTS §11.3).
      assert.equal(a.timestampUs, i * 64_000);
      assert.equal(a.timestampMs, i * 64);
      assert.equal(a.record.length, 36 + m.audio[i].data.length + 16);
    });
    await s.stopIntercom();
    s.close();
  });
});
