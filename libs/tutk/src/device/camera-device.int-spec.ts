// The emulator behaving like a camera where a real client would notice (issue #13): the media format the
// client asked for, the audio it reports, audio across a resolution switch, a client that leaves without a
// word. The real client (connect()) over UDP on loopback.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type CameraSession, type ConnectOptions } from '../client/camera-session';
import type { Frame } from '../frames/assembler';
import { eventually } from '../testing/eventually';
import { CameraDevice, type CameraDeviceOptions, type SentFrame } from './camera-device';
import { arraySource } from './media-source';
import { syntheticMedia } from './synthetic-media';

const ID = { uid: 'EMULATORUID123456789', enr: 'emulatorENR0123456789abcdefABCDE', mac: 'a1b2c3d4e5f6' };
const HOST = '127.0.0.1';

const open: { close(): void }[] = [];
after(() => open.forEach((x) => x.close()));

const looping = (seed = 1, audioPerVideo = 1) => arraySource(syntheticMedia({ seed, gops: 1, audioPerVideo }), { intervalMs: 5, loop: true });

async function startDevice(o: Partial<CameraDeviceOptions> = {}): Promise<{ device: CameraDevice; sent: SentFrame[] }> {
  const device = new CameraDevice({ ...ID, port: 0, host: HOST, keepaliveIntervalMs: 200, sources: { hd: looping() }, ...o });
  open.push(device);
  await device.start();
  const sent: SentFrame[] = [];
  device.on('frame-sent', (f) => sent.push(f));
  return { device, sent };
}

async function dial(device: CameraDevice, o: Partial<ConnectOptions> = {}): Promise<CameraSession> {
  const s = await connect({ ...ID, host: HOST, port: device.port, model: 'HL_CAM4', keepaliveTimeoutMs: 5000, ...o });
  open.push(s);
  return s;
}

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

    it('forceResend is a camera that ignores the login: resend 1 to a client that asked 0, which gets no frame', async () => {
      const { device, sent } = await startDevice({ forceResend: 1 });
      const s = await dial(device, { resend: 0 });
      await eventually(() => sent.length >= 20, '20 frames sent');
      assert.ok(sent.every((f) => f.resend === 1));
      await eventually(() => (s.stats.drops['av:unknown-magic'] ?? 0) >= 20, 'wrapped media dropped by the client');
      assert.equal(s.stats.framesDelivered, 0);
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
});
