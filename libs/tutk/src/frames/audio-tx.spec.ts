import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TutkParseError } from '../wire/parse-error';
import { buildAudioTxFrame, parseAudioTxFrame, audioTxTimestampMs } from './audio-tx';
import { Codec } from './codecs';

const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const x = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('audio TX frame (FACTS §11.3)', () => {
  test('first AAC frame: exact bytes (vector audio_tx_frame_1)', () => {
    const payload = h('65187894fc1e41f02c4d175d0416e94a2116a4540fc0e4f99770df9fafc5407892');
    const f = buildAudioTxFrame({ frameNo: 1, timestampUs: 0, codec: Codec.AacWyze, sampleRate: 16000, channels: 1, payload });
    assert.equal(x(f), '03090c00010000000000000001000000030100000100100031000000000000000100000065187894fc1e41f02c4d175d0416e94a2116a4540fc0e4f99770df9fafc540789290000e00010000000000000000000000');
  });

  test('fifth G.711 frame: flags, previous frame, ms timestamp (vector audio_tx_frame_5)', () => {
    const payload = h('a64df915fc7de7a321385784aeaae1580b4e92b986ad5eac182e536d130dfde2e1ad769c92');
    const f = buildAudioTxFrame({ frameNo: 5, timestampUs: 80000, codec: Codec.Pcma, sampleRate: 8000, channels: 1, payload });
    assert.equal(x(f), '03090c000500000080380100010010000301040001001000350000000400000005000000a64df915fc7de7a321385784aeaae1580b4e92b986ad5eac182e536d130dfde2e1ad769c928a000200010000000000000050000000');
  });

  test('parse returns what was built', () => {
    const payload = Uint8Array.from({ length: 200 }, (_, i) => i);
    const f = buildAudioTxFrame({ frameNo: 300, timestampUs: 19_136_000, codec: Codec.Opus, sampleRate: 48000, channels: 2, payload });
    const p = parseAudioTxFrame(f);
    assert.deepEqual(
      { ...p, payload: x(p.payload) },
      { frameNo: 300, txSeq: 300, timestampUs: 19_136_000, prevFrameNo: 299, codec: Codec.Opus, sampleRate: 48000, channels: 2, bits: 16, timestampMs: 5980, payload: x(payload) },
    );
  });

  test('the ms timestamp does not overflow where go2rtc does (FACTS §11.3)', () => {
    assert.equal(audioTxTimestampMs(5000, Codec.AacWyze, 16000), 319_936);
  });

  test('malformed: short, wrong type, wrong total, wrong length', () => {
    const good = buildAudioTxFrame({ frameNo: 2, timestampUs: 1, codec: Codec.Pcmu, sampleRate: 8000, channels: 1, payload: new Uint8Array(10) });
    const bad = (i: number, v: number) => {
      const b = Uint8Array.from(good);
      b[i] = v;
      return b;
    };
    for (const b of [good.subarray(0, 51), bad(0, 5), bad(1, 1), bad(20, 2), bad(24, 27), Uint8Array.of(...good, 0)]) {
      assert.throws(() => parseAudioTxFrame(b), TutkParseError);
    }
  });
});
