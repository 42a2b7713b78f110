// CameraSession.command over real UDP loopback against the emulator: a control K-command travels in an
// IOCTRL frame on the session's AV channel, alongside the media, and its reply comes back parsed.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTROL_SPECS } from '../controls/control-specs';
import { arraySource } from '../device/media-source';
import { syntheticMedia } from '../device/synthetic-media';
import { dialLoopback, startLoopbackDevice } from '../testing/loopback-device';
import { eventually } from '../testing/eventually';

const ID = { uid: 'TESTUID1234567890ABC', enr: 'testENRkey0123456789abcdefABCDEF', mac: 'aabbccddeeff' };
const open: { close(): void }[] = [];
after(() => open.forEach((x) => x.close()));

async function pair(model: string) {
  const { device } = await startLoopbackDevice(open, { ...ID, model, sources: { hd: arraySource(syntheticMedia({ gops: 1 }), { intervalMs: 5, loop: true }) } });
  const session = await dialLoopback(open, device, { ...ID, model, keepaliveTimeoutMs: 3000 });
  return { device, session };
}

describe('CameraSession.command', () => {
  test('sets and reads night vision on the camera while it streams', async () => {
    const { device, session } = await pair('HL_CAM4');
    const spec = CONTROL_SPECS['night-vision'];
    assert.equal(await session.command(spec.write!('off', Date.now())), true);
    assert.equal(device.controls.nightVision, 2);
    assert.equal(await session.command(spec.read!()), 'off');
    const frames = session.frames();
    assert.ok((await frames.next()).value, 'media still flow');
  });

  test('K11000 goes out once and resolves at once; the camera turns', async () => {
    const { device, session } = await pair('HL_PAN3');
    const before = device.controls.position.horizontal;
    const requests = device.stats.ioctrlRequests;
    assert.equal(await session.command(CONTROL_SPECS.ptz.write!({ action: 'rotate', horizontal: -45, vertical: 0 }, Date.now())), true);
    await eventually(() => device.controls.position.horizontal === before - 45, 'the turn');
    assert.equal(device.stats.ioctrlRequests, requests + 1, 'one copy, no resend');
  });

  test('a command the model lacks: no answer, undefined after the timeout, the session stays up', async () => {
    const { device, session } = await pair('HL_CAM4');
    const t0 = Date.now();
    assert.equal(await session.command(CONTROL_SPECS['motion-tracking'].read!(), 300), undefined);
    assert.ok(Date.now() - t0 >= 300);
    assert.ok(device.stats.controlsRefused >= 1);
    assert.equal(await session.command(CONTROL_SPECS['status-light'].read!()), true, 'the next command is answered');
  });
});
