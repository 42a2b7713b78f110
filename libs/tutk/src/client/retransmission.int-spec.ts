// Resend = 1 over real UDP on loopback, with the camera's datagrams lost on the way (FaultyTransport): the
// client's ACK runs make the emulator resend (INFERRED model, av/received-runs.ts), the bounded wait gives
// up what does not come back, and media in either format is taken whatever was asked at login.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CameraDevice, type CameraDeviceOptions, type SentFrame } from '../device/camera-device';
import { FaultyTransport } from '../device/faulty-transport';
import { arraySource } from '../device/media-source';
import { syntheticMedia } from '../device/synthetic-media';
import type { Frame } from '../frames/assembler';
import { eventually } from '../testing/eventually';
import { UdpTransport } from '../session/transport';
import { connect, type CameraSession, type ConnectOptions } from './camera-session';

const ID = { uid: 'TESTUID1234567890ABC', enr: 'testENRkey0123456789abcdefABCDEF', mac: 'aabbccddeeff' };
const HOST = '127.0.0.1';
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const open: { close(): void }[] = [];
after(() => open.forEach((x) => x.close()));

/** A device streaming `gops` GOPs once, its datagrams to the client lost with probability `loss`. */
async function lossyDevice(loss: number, o: Partial<CameraDeviceOptions> = {}, gops = 6) {
  const device = new CameraDevice({
    ...ID,
    port: 0,
    host: HOST,
    keepaliveIntervalMs: 200,
    transport: () => new FaultyTransport(new UdpTransport(), { outbound: { loss }, seed: 13 }),
    sources: { hd: arraySource(syntheticMedia({ seed: 3, gops }), { intervalMs: 5 }) },
    ...o,
  });
  open.push(device);
  await device.start();
  const sent: SentFrame[] = [];
  device.on('frame-sent', (f) => sent.push(f));
  return { device, sent };
}

async function dial(device: CameraDevice, o: Partial<ConnectOptions>): Promise<{ s: CameraSession; got: Frame[] }> {
  const t = 20_000; // every handshake step survives the loss by its own resends
  const s = await connect({ ...ID, host: HOST, port: device.port, model: 'HL_CAM4', discoveryTimeoutMs: t, sessionTimeoutMs: t, dtlsTimeoutMs: t, loginTimeoutMs: t, ioctrlTimeoutMs: t, ...o });
  open.push(s);
  const got: Frame[] = [];
  void (async () => {
    for await (const f of s.frames()) got.push(f);
  })().catch(() => {});
  return { s, got };
}

const videoOf = <T extends { kind: string }>(xs: T[]) => xs.filter((x) => x.kind === 'video');

describe('resend = 1: retransmission over lossy UDP', () => {
  it('at 5 % loss every video frame the camera sent arrives byte-identical, recovered by resends the ACK runs asked for', async () => {
    const { device, sent } = await lossyDevice(0.05);
    const { s, got } = await dial(device, { resend: 1, resendWaitMs: 2000 });
    await eventually(() => sent.length === 6 * 20 && videoOf(got).length >= videoOf(sent).length, 'every video frame delivered', { timeoutMs: 20_000, everyMs: 20 });
    assert.deepEqual(videoOf(got).map((f) => sha(f.data)), videoOf(sent).map((f) => sha(f.data)));
    assert.ok(sent.every((f) => f.resend === 1));
    const r = s.stats.retransmission;
    assert.equal(r.format, 'wrapped');
    assert.ok(device.stats.packetsResent > 0, 'the camera resent');
    assert.ok(r.recovered > 0 && r.requested >= r.recovered, `requested ${r.requested}, recovered ${r.recovered}`);
    assert.ok(r.runsReported > 0);
    assert.equal(s.stats.assembler.loss.resumes, 0, 'no hole in the video');
  });

  it('a camera that never resends: the bounded wait gives the frame up, P-frames wait for the keyframe, which is marked afterLoss', async () => {
    // 12 GOPs: losses land in more than the last GOP whatever the handshake's datagrams shift them by.
    const { device, sent } = await lossyDevice(0.05, { retransmission: false }, 12);
    const { s, got } = await dial(device, { resend: 1, resendWaitMs: 150 });
    await eventually(() => sent.length === 12 * 20, 'the camera sent everything', { timeoutMs: 20_000, everyMs: 20 });
    await eventually(() => got.some((f) => f.afterLoss), 'a keyframe after a loss', { timeoutMs: 5000, everyMs: 20 });
    assert.equal(device.stats.packetsResent, 0);
    const a = s.stats.assembler;
    assert.ok(a.framesDropped.expired + a.framesDropped.incomplete > 0);
    assert.ok(s.stats.retransmission.requested > 0, 'the holes were reported');
    assert.ok(got.filter((f) => f.afterLoss).every((f) => f.keyframe));
    assert.ok(a.loss.resumes > 0);
    const bytes = new Map(videoOf(sent).map((f) => [f.frameNo, sha(f.data)]));
    for (const f of videoOf(got)) assert.equal(sha(f.data), bytes.get(f.frameNo), `frame ${f.frameNo} intact`);
  });

  for (const [asked, sends] of [
    [1, 0],
    [0, 1],
  ] as const) {
    it(`asked for resend = ${asked}, the camera sends resend = ${sends} media: every frame arrives all the same`, async () => {
      const { device, sent } = await lossyDevice(0, { forceResend: sends }, 2);
      const { s, got } = await dial(device, { resend: asked });
      await eventually(() => sent.length === 40 && got.length === sent.length, 'every frame delivered', { timeoutMs: 10_000, everyMs: 10 });
      assert.deepEqual(
        got.map((f) => sha(f.data)),
        sent.map((f) => sha(f.data)),
      );
      assert.equal(s.stats.retransmission.format, sends === 1 ? 'wrapped' : 'direct');
    });
  }
});
