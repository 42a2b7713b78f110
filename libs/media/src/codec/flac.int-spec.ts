// The FLAC encoder against ffmpeg's FLAC decoder (an independent implementation): what it decodes must be
// exactly the PCM that went in (FLAC is lossless), and `-v error` must print nothing.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatBytes } from '@wyze-nvr/bytes';
import { FlacEncoder, FLAC_MAX_BLOCK } from './flac-encoder';
import { ALAW_TO_PCM16, ULAW_TO_PCM16, decodeG711 } from './g711';
import { fixture } from '../../test/support';

let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'media-flac-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A native FLAC stream (RFC 9639 §6): "fLaC", STREAMINFO as the last metadata block, then the frames. */
function flacFile(enc: FlacEncoder, frames: Uint8Array[]): Uint8Array {
  const info = enc.streamInfo();
  const header = new Uint8Array([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, info.length]);
  return concatBytes(header, info, ...frames);
}

/** ffmpeg's decode of a FLAC file as interleaved 16-bit samples, and what it printed at -v error. */
function ffmpegDecode(name: string, bytes: Uint8Array): { pcm: Int16Array; messages: string } {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const r = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', path, '-f', 's16le', '-'], { maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr.toString());
  const out = r.stdout;
  return { pcm: new Int16Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length)), messages: r.stderr.toString().trim() };
}

/** Encodes `pcm` (interleaved) in blocks of the given sizes, cycling through them. */
function encodeAll(enc: FlacEncoder, pcm: Int16Array, blocks: number[]): Uint8Array[] {
  const ch = enc.params.channels;
  const frames: Uint8Array[] = [];
  for (let i = 0, k = 0; i < pcm.length / ch; k++) {
    const n = Math.min(blocks[k % blocks.length], pcm.length / ch - i);
    frames.push(enc.encode(pcm.subarray(i * ch, (i + n) * ch)));
    i += n;
  }
  return frames;
}

/** Deterministic pseudo-random 16-bit noise: residuals too wide for Rice coding (escape or verbatim). */
function noise(n: number, seed = 1): Int16Array {
  const out = new Int16Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s >>> 8) & 0xffff;
  }
  return out;
}

describe('FLAC encoder, decoded by ffmpeg', () => {
  test('G.711 µ-law fixture (8 kHz mono, 160-sample camera frames): PCM equal to the µ-law expansion, smaller than the 16-bit PCM', () => {
    const pcm = decodeG711(fixture('ulaw-8k-mono.ulaw'), ULAW_TO_PCM16);
    const enc = new FlacEncoder({ sampleRate: 8000, channels: 1 });
    const frames = encodeAll(enc, pcm, [160]);
    const file = flacFile(enc, frames);
    const out = ffmpegDecode('ulaw.flac', file);
    assert.equal(out.messages, '');
    assert.deepEqual(out.pcm, pcm);
    assert.ok(file.length < pcm.length * 2, `${file.length} bytes for ${pcm.length} 16-bit samples`);
  });

  test('A-law, stereo at 16 kHz, blocks of changing size (variable block size), silence (CONSTANT) and noise (VERBATIM/escape)', () => {
    const alaw = decodeG711(fixture('ulaw-8k-mono.ulaw'), ALAW_TO_PCM16); // any bytes are A-law code words
    const n = alaw.length;
    const stereo = new Int16Array(n * 2);
    const rnd = noise(n);
    for (let i = 0; i < n; i++) {
      stereo[2 * i] = i % 4000 < 1000 ? 0 : alaw[i]; // stretches of digital silence
      stereo[2 * i + 1] = i % 3000 < 500 ? rnd[i] : alaw[(i * 7) % n];
    }
    const enc = new FlacEncoder({ sampleRate: 16000, channels: 2 });
    const out = ffmpegDecode('stereo.flac', flacFile(enc, encodeAll(enc, stereo, [160, 1, 17, 320, 1024, FLAC_MAX_BLOCK, 2])));
    assert.equal(out.messages, '');
    assert.deepEqual(out.pcm, stereo);
  });

  test('coded sample numbers of 1 to 6 bytes (a stream far into its life), at 5 rates', () => {
    for (const [rate, first] of [[11025, 0x7f], [44100, 0x7ff - 100], [8000, 0xfffff - 100], [16000, 0x3ffffff - 100], [48000, 2 ** 31 - 1000]] as const) {
      const pcm = noise(1000, rate);
      for (let i = 0; i < pcm.length; i++) pcm[i] >>= 6; // quieter: Rice-coded
      const enc = new FlacEncoder({ sampleRate: rate, channels: 1 }, { firstSample: first });
      const out = ffmpegDecode(`n${rate}.flac`, flacFile(enc, encodeAll(enc, pcm, [100])));
      assert.equal(out.messages, '', `rate ${rate}, first sample ${first}`);
      assert.deepEqual(out.pcm, pcm, `rate ${rate}, first sample ${first}`);
    }
  });
});
