import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { EventEmitter } from 'node:events';
import type { CameraDevice, CameraDeviceOptions, SentFrame } from '../device/camera-device';
import { arraySource, type MediaFrame } from '../device/media-source';
import { syntheticMedia } from '../device/synthetic-media';
import { Codec } from '../frames/codecs';
import type { Frame } from '../frames/assembler';
import { UdpTransport, type DatagramHandler, type DatagramTransport, type PeerAddress } from '../session/transport';
import { connect, type CameraSession, type ConnectOptions } from './camera-session';
import { TutkSessionError } from './session-error';
import { dialLoopback, startLoopbackDevice } from '../testing/loopback-device';

const ID = { uid: 'TESTUID1234567890ABC', enr: 'testENRkey0123456789abcdefABCDEF', mac: 'aabbccddeeff' };
const HOST = '127.0.0.1';
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const open: { close(): void }[] = [];
after(() => open.forEach((x) => x.close()));

const startDevice = (o: Partial<CameraDeviceOptions> = {}, media: MediaFrame[] = syntheticMedia({ gops: 2 })) => startLoopbackDevice(open, { ...ID, sources: { hd: arraySource(media, { intervalMs: 2 }) }, ...o });
const dial = (device: CameraDevice, o: Partial<ConnectOptions> = {}) => dialLoopback(open, device, { ...ID, keepaliveTimeoutMs: 2000, ...o });

/** Resolves when `pred` holds after an `event`, rejects after `ms`. */
function waitFor<T extends unknown[]>(em: EventEmitter, event: string, pred: (...a: T) => boolean, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      em.off(event, on);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const on = (...a: T) => {
      if (!pred(...a)) return;
      clearTimeout(t);
      em.off(event, on);
      resolve(a);
    };
    em.on(event, on);
  });
}

async function take(s: CameraSession, n: number, ms = 5000): Promise<Frame[]> {
  const out: Frame[] = [];
  const it = s.frames();
  const deadline = setTimeout(() => s.close(), ms);
  try {
    for await (const f of it) {
      out.push(f);
      if (out.length === n) break;
    }
  } finally {
    clearTimeout(deadline);
  }
  return out;
}

function assertSameFrames(got: Frame[], sent: SentFrame[]): void {
  assert.equal(got.length, sent.length);
  got.forEach((f, i) => {
    const s = sent[i];
    assert.equal(f.kind, s.kind, `frame ${i} kind`);
    assert.equal(f.channel, s.channel, `frame ${i} channel`);
    assert.equal(f.codec, s.info.codec);
    assert.equal(f.keyframe, s.kind === 'video' && s.channel === 0x05);
    assert.equal(sha(f.data), sha(s.data), `frame ${i} bytes`);
    assert.deepEqual(f.info, s.info, `frame ${i} FRAMEINFO`);
  });
}

/** Polls `cond` until it holds; rejects after `ms`. */
async function eventually(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const looping = () => arraySource(syntheticMedia({ gops: 1 }), { intervalMs: 5, loop: true });

function closedWith(s: CameraSession): Promise<TutkSessionError | undefined> {
  return new Promise((resolve) => s.once('close', resolve));
}

describe('client ↔ device over UDP loopback', () => {
  for (const flavours of ['old', 'new'] as const) {
    for (const authStatus of [1, 3, 6] as const) {
      for (const resend of [0, 1] as const) {
        // Half the cases also take the HelloVerifyRequest path of the DTLS client (FACTS §7.2).
        const helloVerify = resend === 1;
        it(`${flavours} flavour, auth status ${authStatus}, resend ${resend}${helloVerify ? ', cookie' : ''}: every frame arrives intact and in order`, async () => {
          const media = syntheticMedia({ seed: authStatus * 10 + resend, gops: 2 });
          const { device, sent } = await startDevice({ flavours, authStatus, helloVerify, frameInfoTime: resend ? 'session-marker' : 'unix' }, media);
          const s = await dial(device, { resend });
          assert.equal(s.flavourName, flavours === 'new' ? 'cc51' : 'old');
          assert.equal(s.twoWayAudio, true);
          const got = await take(s, media.length);
          assertSameFrames(got, sent);
          assert.ok(sent.every((f) => f.resend === resend));
          assert.ok(got.some((f) => f.kind === 'audio') && got.some((f) => !f.keyframe && f.kind === 'video'));
          const st = s.stats;
          assert.equal(st.assembler.framesEmitted, media.length);
          assert.ok(st.acksSent >= 1);
          for (const k of ['discovery', 'session', 'dtls', 'avLogin', 'auth', 'resolution', 'total'] as const) assert.equal(typeof st.handshakeMs[k], 'number');
          assert.equal(device.stats.authAccepted, 1);
          s.close();
          assert.equal(s.closed, true);
        });
      }
    }
  }

  it('ACKs report the receive window of the camera\'s 0x000c records (FACTS §8.4)', async () => {
    const { device } = await startDevice({}, syntheticMedia({ gops: 1 }));
    const s = await dial(device);
    // The camera answered K10000, K10002 and K10056 with 0x000c frames numbered 0, 1, 2.
    await eventually(() => device.lastAck?.rxStart === 2 && device.lastAck.rxEnd === 2, 2000);
    const first = device.lastAck!.count;
    await eventually(() => device.lastAck!.count >= first + 3, 2000);
    s.close();
  });

  it('maySend false withholds every datagram from then on (counted): the camera hears nothing more, not even ACKs', async () => {
    const { device } = await startDevice({}, syntheticMedia({ gops: 1 }));
    let allowed = true;
    const s = await dial(device, { maySend: () => allowed });
    await eventually(() => device.lastAck !== undefined, 2000);
    allowed = false;
    const sentThen = s.stats.packetsOut;
    await new Promise((r) => setTimeout(r, 30)); // what was already on its way arrives
    const acksThen = device.lastAck!.count;
    await new Promise((r) => setTimeout(r, 350)); // three or more ACK ticks
    assert.equal(s.stats.packetsOut, sentThen, 'nothing sent');
    assert.ok(s.stats.packetsWithheld >= 3, `${s.stats.packetsWithheld} withheld`);
    assert.equal(device.lastAck!.count, acksThen, 'no ACK reached the camera');
    allowed = true;
    await eventually(() => device.lastAck!.count > acksThen, 2000);
    s.close();
  });

  it('a device serving both flavours is reached; keepalives are answered', async () => {
    const { device } = await startDevice({ flavours: 'both', keepaliveIntervalMs: 50 }, syntheticMedia({ gops: 1 }));
    const s = await dial(device);
    // Each camera ping gets our answer (FACTS §4.6, §5.3).
    await eventually(() => device.stats.keepalivesAnswered >= 2, 2000);
    assert.ok(s.stats.keepalivesAnswered >= 2);
    s.close();
  });

  it('a wrong ENR fails DTLS with wrong-key within 2 s, and the message does not leak the key', async () => {
    const { device } = await startDevice({ flavours: 'old' });
    const enr = 'wrongENRwrongENRwrongENRwrongENR';
    const t = Date.now();
    const err = await dial(device, { enr }).then(
      () => assert.fail('connected'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof TutkSessionError);
    assert.equal(err.phase, 'dtls');
    assert.equal(err.code, 'wrong-key');
    assert.ok(Date.now() - t < 2000, `took ${Date.now() - t} ms`);
    assert.ok(!err.message.includes(enr) && !err.message.includes(ID.enr));
  });

  it('a camera that accepts DTLS but refuses K-auth gives auth-refused within 2 s', async () => {
    const { device } = await startDevice({ flavours: 'new', authStatus: 3, authEnr: 'someOtherENRsomeOtherENR12345678' });
    const t = Date.now();
    const err = await dial(device).then(
      () => assert.fail('connected'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof TutkSessionError);
    assert.equal(err.phase, 'auth');
    assert.equal(err.code, 'auth-refused');
    assert.ok(Date.now() - t < 2000, `took ${Date.now() - t} ms`);
    assert.equal(device.stats.authRefused, 1);
    assert.ok(!err.message.includes(ID.enr));
  });

  it('a wrong ENR against a CC51 camera never gets past discovery: the probe HMAC key derives from it', async () => {
    const { device } = await startDevice({ flavours: 'new' });
    const err = await dial(device, { enr: 'wrongENRwrongENRwrongENRwrongENR', discoveryTimeoutMs: 300 }).then(
      () => assert.fail('connected'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof TutkSessionError);
    assert.equal(err.code, 'discovery-timeout');
    assert.ok((device.stats.drops['cc51:bad-hmac'] ?? 0) >= 1);
  });

  it('nothing listening: discovery-timeout after the configured time', async () => {
    const port = await freePort();
    const t = Date.now();
    const err = await connect({ ...ID, host: HOST, port, discoveryTimeoutMs: 300 }).then(
      () => assert.fail('connected'),
      (e: unknown) => e,
    );
    const took = Date.now() - t;
    assert.ok(err instanceof TutkSessionError);
    assert.equal(err.code, 'discovery-timeout');
    assert.equal(err.phase, 'discovery');
    assert.ok(took >= 290 && took < 2000, `took ${took} ms`);
  });

  it('an AbortSignal ends the attempt with aborted', async () => {
    const port = await freePort();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await connect({ ...ID, host: HOST, port, signal: ac.signal }).then(
      () => assert.fail('connected'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof TutkSessionError);
    assert.equal(err.code, 'aborted');
  });

  it('device gone mid-stream: camera-lost within the keepalive timeout; frames() throws it after the buffer', async () => {
    const { device } = await startDevice({ sources: { hd: looping() } });
    const s = await dial(device, { keepaliveTimeoutMs: 300 });
    await waitFor(s, 'frame', () => true, 2000);
    const closed = closedWith(s);
    const t = Date.now();
    device.close();
    const err = await closed;
    const took = Date.now() - t;
    assert.equal(err?.code, 'camera-lost');
    assert.equal(err?.phase, 'streaming');
    assert.ok(took >= 250 && took < 1500, `took ${took} ms`);
    await assert.rejects(
      (async () => {
        for await (const _ of s.frames()) void _;
      })(),
      (e: unknown) => e instanceof TutkSessionError && e.code === 'camera-lost',
    );
  });

  it('the camera closing DTLS ends the session with camera-closed', async () => {
    const { device } = await startDevice({}, syntheticMedia({ gops: 1 }));
    const s = await dial(device);
    const closed = closedWith(s);
    device.disconnectClient();
    const err = await closed;
    assert.equal(err?.code, 'camera-closed');
  });

  it('setQuality switches the device between its hd and sd sources', async () => {
    const hd = syntheticMedia({ seed: 1, gops: 1, videoCodec: Codec.H264 });
    const sd = syntheticMedia({ seed: 2, gops: 1, videoCodec: Codec.H265 });
    const { device } = await startDevice({ sources: { hd: arraySource(hd, { intervalMs: 5, loop: true }), sd: arraySource(sd, { intervalMs: 5, loop: true }) } });
    const s = await dial(device, { quality: 'hd' });
    await waitFor(s, 'frame', (f: Frame) => f.kind === 'video' && f.codec === Codec.H264, 2000);
    assert.equal(device.session?.quality, 'hd');
    assert.equal(await s.setQuality('sd'), true);
    assert.equal(device.session?.quality, 'sd');
    const [f] = await waitFor(s, 'frame', (f: Frame) => f.kind === 'video' && f.codec === Codec.H265, 2000);
    assert.equal(f.info.resTier, 1);
    assert.equal(await s.setQuality('hd'), true);
    await waitFor(s, 'frame', (f: Frame) => f.kind === 'video' && f.codec === Codec.H264, 2000);
    s.close();
  });

  it('a doorbell model uses K10052 and still switches the source', async () => {
    const { device } = await startDevice({ model: 'WYZEDB3', sources: { hd: looping(), sd: looping() } });
    const s = await dial(device, { model: 'WYZEDB3', quality: 'sd' });
    assert.equal(device.session?.quality, 'sd');
    assert.equal(device.stats.drops['hl:unknown-command'], undefined);
    s.close();
  });

  it('a device on the default bind address answers from the address the client targeted', async () => {
    const { device } = await startDevice({ host: undefined }, syntheticMedia({ gops: 1 }));
    const s = await dial(device);
    assert.equal(s.cameraAddress.address, HOST);
    assert.equal(s.cameraAddress.port, device.port);
    s.close();
  });

  it('datagrams from any other IP are dropped and counted', async () => {
    const { device } = await startDevice({ sources: { hd: looping() } });
    const s = await dial(device);
    const other = createSocket('udp4');
    open.push({ close: () => other.close() });
    await new Promise<void>((r) => other.bind(0, '127.0.0.2', r));
    const local = s.localAddress!;
    for (let i = 0; i < 3; i++) other.send(Uint8Array.of(0x51, 0xcc, 0, 0), local.port, HOST);
    await eventually(() => s.stats.foreignPackets === 3, 2000);
    assert.equal(s.closed, false);
    s.close();
  });

  it('intercom: every audio frame reaches the device intact with its TX FRAMEINFO', async () => {
    const { device } = await startDevice({}, syntheticMedia({ gops: 1 }));
    const s = await dial(device);
    const ready = waitFor(device, 'intercom', (e: string) => e === 'ready', 3000);
    await s.startIntercom();
    await ready;
    assert.equal(s.stats.backchannelDtls !== undefined, true);
    const arrivals: number[] = [];
    device.on('audio-received', () => arrivals.push(Date.now()));
    const payloads = Array.from({ length: 8 }, (_, i) => Uint8Array.from({ length: 160 }, (_, j) => (i * 31 + j) & 0xff));
    const t0 = Date.now();
    await Promise.all(payloads.map((data) => s.sendAudio({ codec: Codec.Pcmu, sampleRate: 8000, channels: 1, data })));
    await eventually(() => device.receivedAudio.length >= payloads.length, 2000);
    assert.equal(device.receivedAudio.length, payloads.length);
    device.receivedAudio.forEach((a, i) => {
      assert.equal(sha(a.payload), sha(payloads[i]));
      assert.equal(a.frameNo, i + 1);
      assert.equal(a.txSeq, i + 1);
      assert.equal(a.codec, Codec.Pcmu);
      assert.equal(a.sampleRate, 8000);
      assert.equal(a.channels, 1);
      // 160 samples at 8 kHz: 20 ms per frame (FACTS §11.3).
      assert.equal(a.timestampUs, i * 20_000);
      assert.equal(a.timestampMs, i * 20);
      assert.equal(a.record.length, 36 + 160 + 16);
    });
    // Paced in real time by the frame timestamps: the last frame (140 ms into the stream) is never sent
    // before its time. (A loaded machine may send it later, never earlier; so the bound is one-sided and
    // measured from before the first send, not between arrivals.)
    assert.ok(arrivals[arrivals.length - 1] - t0 >= 7 * 20 - 5, `last frame arrived ${arrivals[arrivals.length - 1] - t0} ms after the first send`);
    const stopped = waitFor(device, 'intercom', (e: string) => e === 'stopped', 3000);
    await s.stopIntercom();
    await stopped;
    s.close();
  });

  it('intercom is refused up front when the camera has no two-way audio', async () => {
    const { device } = await startDevice({ twoWayAudio: false }, syntheticMedia({ gops: 1 }));
    const s = await dial(device);
    assert.equal(s.twoWayAudio, false);
    await assert.rejects(s.startIntercom(), /two-way/);
    s.close();
  });

  it('follows a change of the camera source port mid-session', async () => {
    const { device } = await startDevice({ sources: { hd: looping() } });
    const s = await dial(device);
    await waitFor(s, 'frame', () => true, 2000);
    const newPort = await device.moveSourcePort();
    assert.notEqual(newPort, device.port);
    await waitFor(s, 'frame', () => s.cameraAddress.port === newPort, 2000);
    assert.ok(s.stats.portChanges >= 1);
    // Our own datagrams now go to the new port and the session stays up: ACKs keep arriving there.
    const acks = device.stats.acksReceived;
    await waitFor(s, 'frame', () => device.stats.acksReceived > acks + 2, 2000);
    assert.equal(s.closed, false);
    s.close();
  });

  it('a second session after the client closed the first works (reconnect)', async () => {
    const media = syntheticMedia({ gops: 1 });
    const { device } = await startDevice({}, media);
    for (let i = 0; i < 2; i++) {
      const s = await dial(device);
      const got = await take(s, media.length);
      assert.equal(got.length, media.length);
      s.close();
    }
    assert.equal(device.stats.connections, 2);
  });

  it('a lost IOCTRL reply is recovered by the 1 s resend, and the device answers the duplicate with the same reply', async () => {
    const { device } = await startDevice({ flavours: 'old' }, syntheticMedia({ gops: 1 }));
    // K10001 in OLD: 28 wrapper + 13 DTLS header + 40 IOCTRL + 16 HL + 17 payload + 16 tag = 130 bytes.
    let dropped = 0;
    const socket = new FilteringTransport((d) => d.length === 130 && dropped++ === 0);
    open.push(socket);
    const s = await dial(device, { socket });
    assert.equal(dropped >= 1, true);
    assert.equal(device.stats.ioctrlDuplicates, 1);
    assert.equal(device.stats.authAccepted, 1);
    s.close();
  });

  it('a slow frames() consumer costs counted drops, not memory', async () => {
    const media = syntheticMedia({ gops: 2 });
    const { device, sent } = await startDevice({}, media);
    const s = await dial(device, { frameBufferSize: 4 });
    await eventually(() => sent.length === media.length && s.stats.assembler.framesEmitted === media.length, 5000);
    const st = s.stats;
    assert.equal(st.assembler.framesEmitted, media.length);
    assert.equal(st.framesDelivered, 4);
    assert.equal(st.framesDelivered + st.framesDroppedSlowConsumer, media.length);
    s.close();
  });
});

/** A UDP transport that drops received datagrams matching `drop`. */
class FilteringTransport implements DatagramTransport {
  private readonly inner = new UdpTransport();
  constructor(private readonly drop: (d: Uint8Array) => boolean) {}
  bind(port?: number, host?: string): Promise<PeerAddress> {
    return this.inner.bind(port, host);
  }
  get local(): PeerAddress | undefined {
    return this.inner.local;
  }
  send(d: Uint8Array, port: number, host: string): void {
    this.inner.send(d, port, host);
  }
  onMessage(h: DatagramHandler): void {
    this.inner.onMessage((d, from) => {
      if (!this.drop(d)) h(d, from);
    });
  }
  onError(h: (e: Error) => void): void {
    this.inner.onError(h);
  }
  close(): void {
    this.inner.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, HOST, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
