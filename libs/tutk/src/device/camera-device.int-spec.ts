// The emulator behaving like a camera where a real client would notice (issue #13): the media format the
// client asked for, the audio it reports, audio across a resolution switch, a client that leaves without a
// word. The real client (connect()) over UDP on loopback.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectOptions } from '../client/camera-session';
import type { Frame } from '../frames/assembler';
import { Codec } from '../frames/codecs';
import { UdpTransport } from '../session/transport';
import { eventually } from '../testing/eventually';
import { dialLoopback, startLoopbackDevice } from '../testing/loopback-device';
import type { CameraDevice, CameraDeviceOptions, SentFrame } from './camera-device';
import { FaultyTransport } from './faulty-transport';
import { arraySource } from './media-source';
import { syntheticMedia } from './synthetic-media';

const ID = { uid: 'EMULATORUID123456789', enr: 'emulatorENR0123456789abcdefABCDE', mac: 'a1b2c3d4e5f6' };

const open: { close(): void }[] = [];
after(() => open.forEach((x) => x.close()));

const looping = (seed = 1, audioPerVideo = 1) => arraySource(syntheticMedia({ seed, gops: 1, audioPerVideo }), { intervalMs: 5, loop: true });

const startDevice = (o: Partial<CameraDeviceOptions> = {}) => startLoopbackDevice(open, { ...ID, sources: { hd: looping() }, ...o });
const dial = (device: CameraDevice, o: Partial<ConnectOptions> = {}) => dialLoopback(open, device, { ...ID, keepaliveTimeoutMs: 5000, ...o });

describe('emulator fidelity', () => {
  describe('media format (FACTS §8.2 [536-539], §10.1)', () => {
    for (const resend of [0, 1] as const) {
      it(`a client that asks for resend ${resend} gets it, and its frames`, async () => {
        const { device, sent } = await startDevice();
        const s = await dial(device, { resend });
        await eventually(() => s.stats.framesDelivered >= 10, 'frames delivered');
        assert.ok(sent.length > 0 && sent.every((f) => f.resend === resend));
        s.close();
      });
    }

    it('forceResend is a camera that ignores the login: resend 1 media to a client that asked 0, which our client takes all the same', async () => {
      const { device, sent } = await startDevice({ forceResend: 1 });
      const s = await dial(device, { resend: 0 });
      await eventually(() => sent.length >= 20 && s.stats.framesDelivered >= 20, '20 frames sent and delivered');
      assert.ok(sent.every((f) => f.resend === 1), 'the camera sent the wrapped format it was forced to');
      // The format is self-describing (client/av-channel.ts isMediaRecord): nothing is dropped as unknown.
      assert.equal(s.stats.retransmission.format, 'wrapped');
      assert.equal(s.stats.drops['av:unknown-magic'] ?? 0, 0);
      s.close();
    });
  });

  describe('audio in K10003 (FACTS §9.3)', () => {
    it('a camera without an audio source: our client gets video only, and no audio is claimed by the source', async () => {
      const hd = arraySource(syntheticMedia({ gops: 1, audioPerVideo: 0 }), { intervalMs: 5, loop: true });
      assert.equal(hd.hasAudio, false);
      const { device, sent } = await startDevice({ sources: { hd } });
      const s = await dial(device);
      const kinds: string[] = [];
      s.on('frame', (f: Frame) => kinds.push(f.kind));
      await eventually(() => kinds.length >= 20, '20 frames delivered');
      assert.ok(kinds.every((k) => k === 'video'));
      assert.ok(sent.every((f) => f.kind === 'video'));
      s.close();
    });
  });

  describe('a resolution switch restarts video only (K10056, FACTS §9.1)', () => {
    it('across hd → sd → hd audio plays on: no frame repeated, its time continuing; video restarts at a keyframe', async () => {
      const hdMedia = syntheticMedia({ seed: 1, gops: 1 });
      const sdMedia = syntheticMedia({ seed: 2, gops: 1, videoCodec: Codec.H265 });
      const sources = { hd: arraySource(hdMedia, { intervalMs: 5, loop: true }), sd: arraySource(sdMedia, { intervalMs: 5, loop: true }) };
      const { device, sent } = await startDevice({ sources });
      const s = await dial(device);
      const got: Frame[] = [];
      s.on('frame', (f: Frame) => got.push(f));
      const videoOf = (q: string) => sent.filter((f) => f.kind === 'video' && f.quality === q).length;
      await eventually(() => videoOf('hd') >= 15, 'hd video');
      assert.equal(await s.setQuality('sd'), true);
      await eventually(() => videoOf('sd') >= 15, 'sd video');
      assert.equal(await s.setQuality('hd'), true);
      const hdBefore = videoOf('hd');
      await eventually(() => videoOf('hd') >= hdBefore + 15, 'hd video again');
      s.close();

      // Audio: the hd source's frames in order, each once, numbered on, 50 ms apart in FRAMEINFO time.
      const audio = sent.filter((f) => f.kind === 'audio');
      const source = hdMedia.filter((f) => f.kind === 'audio');
      assert.ok(audio.length > 2 * source.length, `${audio.length} audio frames`);
      audio.forEach((f, i) => {
        assert.equal(f.info.frameNo, i + 1, `audio frame ${i}`);
        assert.deepEqual(f.data, source[i % source.length].data, `audio frame ${i} is source frame ${i % source.length}`);
        if (i > 0) assert.equal(frameInfoUs(f) - frameInfoUs(audio[i - 1]), 50_000, `audio frame ${i} time`);
      });
      // The client got them so: no audio frame twice.
      const heard = got.filter((f) => f.kind === 'audio').map((f) => f.info.frameNo);
      assert.deepEqual(heard, [...new Set(heard)].sort((a, b) => a - b));

      // Video: three runs (hd, sd, hd), each from a keyframe of its own source, time going on by one frame.
      const video = sent.filter((f) => f.kind === 'video');
      const runs = video.filter((f, i) => i === 0 || f.quality !== video[i - 1].quality);
      assert.deepEqual(runs.map((f) => [f.quality, f.channel, f.info.codec]), [['hd', 0x05, Codec.H264], ['sd', 0x05, Codec.H265], ['hd', 0x05, Codec.H264]]);
      video.forEach((f, i) => i > 0 && assert.equal(frameInfoUs(f) - frameInfoUs(video[i - 1]), 50_000, `video frame ${i} time`));
    });
  });

  describe('a client that leaves without a word (FACTS §8.3: ACKs every 100 ms)', () => {
    it('gets no media once silent for pauseMediaAfterMs, and its session still ends at clientTimeoutMs', async () => {
      const { device, sent } = await startDevice({ pauseMediaAfterMs: 300, clientTimeoutMs: 1500 });
      const socket = new FaultyTransport(new UdpTransport());
      open.push(socket);
      const s = await dial(device, { socket, keepaliveTimeoutMs: 60_000 });
      await eventually(() => s.stats.framesDelivered >= 10, 'streaming');
      const ended = new Promise<{ reason: string; at: number }>((resolve) => device.once('disconnect', ({ reason }) => resolve({ reason, at: Date.now() })));
      const silentAt = Date.now();
      const sentAt: number[] = [];
      device.on('frame-sent', () => sentAt.push(Date.now()));
      socket.blackout(60_000);
      const end = await ended;
      // Nothing after the pause (its last datagram came before silentAt); some before it, as a camera streams on.
      assert.deepEqual(sentAt.filter((t) => t - silentAt > 300 + 20), []);
      assert.ok(sent.length > 0);
      assert.ok(device.stats.framesWithheld > 0);
      assert.equal(end.reason, 'timeout');
      assert.ok(end.at - silentAt >= 1500 - 100, `ended ${end.at - silentAt} ms after the client went silent`);
      s.close();
    });

    it('gets media again, from a keyframe, as soon as it is heard from again', async () => {
      const { device } = await startDevice({ pauseMediaAfterMs: 300, clientTimeoutMs: 5000 });
      const socket = new FaultyTransport(new UdpTransport());
      open.push(socket);
      const s = await dial(device, { socket, keepaliveTimeoutMs: 60_000 });
      await eventually(() => s.stats.framesDelivered >= 10, 'streaming');
      socket.blackout(600);
      await eventually(() => device.stats.framesWithheld > 0, 'media withheld');
      const before = s.stats.framesDelivered;
      const got: Frame[] = [];
      s.on('frame', (f: Frame) => got.push(f));
      await eventually(() => s.stats.framesDelivered >= before + 20, 'media again', { timeoutMs: 3000 });
      assert.equal(got.find((f) => f.kind === 'video')?.keyframe, true);
      assert.equal(device.session?.streaming, true);
      s.close();
    });
  });

  describe('concurrent sessions (counted for the several-recorders tests)', () => {
    it('one client after another, the first closed: never two at once; a second client while the first still talks: counted', async () => {
      const { device } = await startDevice();
      const first = await dial(device);
      await eventually(() => first.stats.framesDelivered >= 5, 'the first client streaming');
      first.close();
      await eventually(() => device.session === undefined, 'the first session ended');
      const second = await dial(device);
      await eventually(() => second.stats.framesDelivered >= 5, 'the second client streaming');
      assert.equal(device.stats.sessionsOverlapped, 0);
      assert.equal(device.stats.concurrentSessionsMax, 1);
      const third = await dial(device);
      await eventually(() => third.stats.framesDelivered >= 5, 'the third client streaming');
      assert.equal(device.stats.sessionsOverlapped, 1, 'the third replaced a live session');
      assert.equal(device.stats.concurrentSessionsMax, 2);
      second.close();
      third.close();
    });
  });
});

/** FRAMEINFO time as sent in 'unix' mode (FACTS §10.4): [12-15] seconds, [8-11] µs within them. */
function frameInfoUs(f: SentFrame): number {
  return f.info.timestampSec * 1_000_000 + f.info.timestampUs;
}
