import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBenchMedia } from './bench-media';
import { loadFileMedia } from './file-media-source';

describe('ensureBenchMedia (ffmpeg)', () => {
  it('makes a camera-like stream once and reuses the cached file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-media-'));
    try {
      const o = { width: 320, height: 180, fps: 10, bitrateKbps: 100, seconds: 4, audio: true, dir };
      const m = await ensureBenchMedia(o);
      const media = loadFileMedia({ video: m.video, audio: m.audio, fps: 10 });
      assert.equal(media.video.length, 40);
      assert.deepEqual(media.video.flatMap((f, i) => (f.keyframe ? [i] : [])), [0, 20]);
      assert.ok(media.audio.length > 0);
      const mtime = statSync(m.video).mtimeMs;
      const again = await ensureBenchMedia(o);
      assert.equal(again.video, m.video);
      assert.equal(statSync(m.video).mtimeMs, mtime);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
