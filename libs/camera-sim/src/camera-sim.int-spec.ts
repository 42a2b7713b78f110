import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateCredentials, startCameraSim, startCameraSims } from './camera-sim';
import type { FileMediaSource } from './file-media-source';

describe('startCameraSim', () => {
  it('generated credentials have the shapes cameras use; the same index and seed give the same set', () => {
    const a = generateCredentials(0, 's');
    assert.match(a.uid, /^[A-Z0-9]{20}$/);
    assert.match(a.mac, /^[0-9A-F]{12}$/);
    assert.equal(a.enr.length, 16);
    assert.deepEqual(generateCredentials(0, 's'), a);
    assert.notDeepEqual(generateCredentials(1, 's'), a);
    assert.notDeepEqual(generateCredentials(), generateCredentials());
  });

  it('defaults to the fixture media; N cameras share one copy of the media and have distinct credentials', async () => {
    const sims = await startCameraSims(3, { port: 0, host: '127.0.0.1' });
    try {
      assert.equal(new Set(sims.map((s) => s.credentials.uid)).size, 3);
      assert.equal(new Set(sims.map((s) => s.port)).size, 3);
      const hd = sims.map((s) => s.sources.hd as FileMediaSource);
      assert.equal(hd[0].media.video.length, 200);
      assert.ok(hd[0].media.audio.length > 0);
      assert.equal(hd[1].media, hd[0].media);
      assert.notEqual(hd[1], hd[0]);
    } finally {
      for (const s of sims) s.close();
    }
  });

  it('close() during a reboot leaves no timer and resolves the reboot', async () => {
    const sim = await startCameraSim({ port: 0, host: '127.0.0.1' });
    const back = sim.reboot(60_000);
    assert.equal(sim.device.rebooting, true);
    sim.close();
    await back;
  });
});
