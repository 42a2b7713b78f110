import {
  ALAW_TO_PCM16,
  FLAC_MAX_BLOCK,
  FlacEncoder,
  MediaParseError,
  ULAW_TO_PCM16,
  decodeG711,
  splitAdts,
  type AudioTrackConfig,
  type FlacTrackConfig,
} from '@wyze-nvr/media';
import { AudioConfigTracker, storedAudioCodec } from '../segment/audio-config';

/** FRAMEINFO audio codec ids (FACTS §10.5) the live view converts to FLAC. */
const PCMA_ID = 0x8a;
const PCM_ID = 0x8c;
const PCMU_ID = 0x89;

/** One camera audio frame as live samples: raw AAC frames, or FLAC frames. */
export interface LiveAudioFrame {
  config: AudioTrackConfig;
  samples: Uint8Array[];
  /** Length of each sample, in samples of the track's rate. */
  durations: number[];
}

/**
 * Camera audio in a form browsers play from MP4 under MSE: AAC passes through (ADTS headers stripped, as in
 * the recordings); G.711 µ-law, A-law and 16-bit little-endian PCM become FLAC, losslessly from their 16-bit
 * expansion (Chromium, Firefox and Safari play `fLaC` in MP4; none plays G.711 from MP4). One converter per
 * camera, so a FLAC stream's sample numbers run on.
 */
export class LiveAudioConverter {
  private readonly aac = new AudioConfigTracker();
  private flac: { encoder: FlacEncoder; config: FlacTrackConfig } | undefined;
  private pcm = new Int16Array(FLAC_MAX_BLOCK);

  /** The frame as live samples, or undefined for a codec it does not convert or a malformed payload. */
  convert(codec: number, data: Uint8Array, sampleRate: number, channels: number): LiveAudioFrame | undefined {
    if (data.length === 0) return undefined;
    if (storedAudioCodec(codec) === 'aac') return this.fromAac(data, sampleRate, channels);
    let pcm: Int16Array;
    if (codec === PCMU_ID || codec === PCMA_ID) {
      pcm = decodeG711(data, codec === PCMU_ID ? ULAW_TO_PCM16 : ALAW_TO_PCM16, this.scratch(data.length));
    } else if (codec === PCM_ID) {
      const n = data.length >> 1;
      pcm = this.scratch(n).subarray(0, n);
      const dv = new DataView(data.buffer, data.byteOffset, n * 2);
      for (let i = 0; i < n; i++) pcm[i] = dv.getInt16(2 * i, true);
    } else return undefined;
    return this.toFlac(pcm, sampleRate, channels);
  }

  private scratch(n: number): Int16Array {
    if (this.pcm.length < n) this.pcm = new Int16Array(n);
    return this.pcm;
  }

  private fromAac(data: Uint8Array, sampleRate: number, channels: number): LiveAudioFrame | undefined {
    const config = this.aac.configOf('aac', data, sampleRate, channels);
    if (!config) return undefined;
    const adts = data.length >= 7 && data[0] === 0xff && (data[1] & 0xf6) === 0xf0;
    let samples: Uint8Array[];
    try {
      samples = adts ? splitAdts(data).map((f) => f.payload) : [data];
    } catch (e) {
      if (e instanceof MediaParseError) return undefined;
      throw e;
    }
    return { config, samples, durations: samples.map(() => 1024) };
  }

  private toFlac(pcm: Int16Array, sampleRate: number, channels: number): LiveAudioFrame | undefined {
    const perChannel = Math.floor(pcm.length / channels);
    if (perChannel === 0) return undefined;
    let f = this.flac;
    if (!f || f.config.sampleRate !== sampleRate || f.config.channels !== channels) {
      const encoder = new FlacEncoder({ sampleRate, channels });
      f = this.flac = { encoder, config: { kind: 'audio', codec: 'flac', sampleRate, channels, streamInfo: encoder.streamInfo(), codecString: 'flac' } };
    }
    const samples: Uint8Array[] = [];
    const durations: number[] = [];
    // A frame longer than a FLAC block (4608 samples) becomes several FLAC frames of one fragment.
    for (let i = 0; i < perChannel; i += FLAC_MAX_BLOCK) {
      const n = Math.min(FLAC_MAX_BLOCK, perChannel - i);
      samples.push(f.encoder.encode(pcm.subarray(i * channels, (i + n) * channels)));
      durations.push(n);
    }
    return { config: f.config, samples, durations };
  }
}
