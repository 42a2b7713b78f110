// The live view's fMP4 in real Debian Chromium (playwright-core, no browser download): MediaSource takes
// H.264 + FLAC in MP4, and a SourceBuffer fed the LiveFragmenter's init segment and per-frame fragments
// (G.711 µ-law converted to FLAC by our encoder) plays them — video advances at the camera's size and the
// audio track is decoded.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatBytes } from '@wyze-nvr/bytes';
import { FlacEncoder, LiveFragmenter, ULAW_TO_PCM16, decodeG711, mp4MimeType, videoConfigFromAccessUnit, type StreamConfig } from '@wyze-nvr/media';
import { chromium, type Browser } from 'playwright-core';
import { fixtureMedia } from '../apps/recorder/src/testing/fixture-media';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'];

/** 10 s of the H.264 fixture with its µ-law audio as FLAC, one fragment per frame, as the live tap makes them. */
function liveStream(): { mime: string; init: Uint8Array; media: Uint8Array } {
  const { frames } = fixtureMedia({ video: 'h264', audio: 'pcmu' });
  const first = frames.find((f) => f.kind === 'video')!;
  const enc = new FlacEncoder({ sampleRate: 8000, channels: 1 });
  const config: StreamConfig = { video: videoConfigFromAccessUnit('h264', first.data)!, audio: { kind: 'audio', codec: 'flac', sampleRate: 8000, channels: 1, streamInfo: enc.streamInfo(), codecString: 'flac' } };
  const t0 = 1_760_000_000_000_000;
  const f = new LiveFragmenter(config, { timeBaseUs: t0 });
  const parts: Uint8Array[] = [];
  for (const fr of frames) {
    const out = fr.kind === 'video' ? f.video(fr.data, t0 + fr.timestampUs, fr.keyframe) : f.audio([enc.encode(decodeG711(fr.data, ULAW_TO_PCM16))], [fr.data.length], t0 + fr.timestampUs);
    if (out) parts.push(out);
  }
  return { mime: mp4MimeType(config), init: f.init(), media: concatBytes(...parts) };
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>live MSE</title>
<video id="v" muted playsinline style="width:640px"></video>
<script>
window.result = (async () => {
  const mime = await (await fetch('/mime')).text();
  const v = document.getElementById('v');
  const ms = new MediaSource();
  v.src = URL.createObjectURL(ms);
  await new Promise((r) => ms.addEventListener('sourceopen', r, { once: true }));
  const sb = ms.addSourceBuffer(mime);
  const append = (b) => new Promise((r, j) => { sb.addEventListener('updateend', r, { once: true }); sb.addEventListener('error', j, { once: true }); sb.appendBuffer(b); });
  await append(await (await fetch('/init.mp4')).arrayBuffer());
  await append(await (await fetch('/media.mp4')).arrayBuffer());
  v.currentTime = sb.buffered.start(0);
  await v.play();
  const t0 = v.currentTime;
  await new Promise((r) => setTimeout(r, 3000));
  return { flac: MediaSource.isTypeSupported('audio/mp4; codecs="flac"'), mime, supported: MediaSource.isTypeSupported(mime),
    advanced: v.currentTime - t0, width: v.videoWidth, height: v.videoHeight,
    audioBytes: v.webkitAudioDecodedByteCount, videoBytes: v.webkitVideoDecodedByteCount, error: v.error && v.error.message,
    buffered: [sb.buffered.start(0), sb.buffered.end(sb.buffered.length - 1)] };
})();
</script>`;

describe('live fMP4 in Chromium (MSE)', { skip: !existsSync(CHROMIUM) && `${CHROMIUM} is not installed`, timeout: 120_000 }, () => {
  let server: Server;
  let browser: Browser;
  let base: string;
  const dir = mkdtempSync(join(tmpdir(), 'live-mse-'));

  before(async () => {
    const s = liveStream();
    const routes: Record<string, [string, string | Uint8Array]> = {
      '/': ['text/html', PAGE],
      '/mime': ['text/plain', s.mime],
      '/init.mp4': ['video/mp4', s.init],
      '/media.mp4': ['video/mp4', s.media],
    };
    server = createServer((req, res) => {
      const r = routes[req.url ?? ''];
      if (!r) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': r[0] }).end(r[1]);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('plays H.264 + FLAC fragments: flac supported, video advancing at 1280×720, audio decoded', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    const r = await page.evaluate(() => (globalThis as unknown as { result: Promise<Record<string, unknown>> }).result);
    const shot = join(dir, 'live-mse.png');
    writeFileSync(shot, await page.screenshot());
    process.stdout.write(`# screenshot: ${shot}\n# ${JSON.stringify(r)}\n`);
    assert.equal(r.flac, true, 'MediaSource.isTypeSupported(\'audio/mp4; codecs="flac"\')');
    assert.match(String(r.mime), /^video\/mp4; codecs="avc1\.[0-9a-f]{6},flac"$/);
    assert.equal(r.supported, true);
    assert.equal(r.error, null);
    assert.ok(Number(r.advanced) > 1.5, `currentTime advanced ${r.advanced} s in 3 s`);
    assert.deepEqual([r.width, r.height], [1280, 720]);
    assert.ok(Number(r.audioBytes) > 0, 'the FLAC track was decoded');
    assert.ok(Number(r.videoBytes) > 0);
  });
});
