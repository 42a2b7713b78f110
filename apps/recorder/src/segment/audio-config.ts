import { AAC_SAMPLE_RATES, aacConfigFromAdts, type AudioTrackConfig } from '@wyze-nvr/media';

/** FRAMEINFO audio codec ids (FACTS §10.5) the recorder stores. */
const AAC_IDS = new Set([0x86, 0x87, 0x88, 0x90]);
const PCMU_ID = 0x89;

export type StoredAudio = 'aac' | 'pcmu';

export function storedAudioCodec(codec: number): StoredAudio | undefined {
  if (AAC_IDS.has(codec)) return 'aac';
  if (codec === PCMU_ID) return 'pcmu';
  return undefined;
}

/**
 * The audio track config of a camera audio frame, recomputed only when a cheap key changes (ADTS profile,
 * rate and channel bits, or the FRAMEINFO rate/channels for G.711), so the per-frame cost is a comparison.
 */
export class AudioConfigTracker {
  private key = -1;
  private current: AudioTrackConfig | undefined;

  /** The config of this frame, or undefined when it cannot be stored (unsupported codec, malformed ADTS). */
  configOf(codec: StoredAudio, data: Uint8Array, sampleRate: number, channels: number): AudioTrackConfig | undefined {
    let key: number;
    const adts = data.length >= 7 && data[0] === 0xff && (data[1] & 0xf6) === 0xf0;
    if (codec === 'aac') {
      // profile (2) | sampling_frequency_index (4) | channel_configuration (3), ISO/IEC 14496-3 §1.A.2.2.1
      key = adts ? 0x10000 | ((data[2] & 0xfd) << 8) | (data[3] & 0xc0) : 0x20000 | (sampleRate << 2) | channels;
    } else {
      key = 0x40000000 + sampleRate * 4 + channels;
    }
    if (key === this.key) return this.current;
    this.key = key;
    this.current = undefined;
    try {
      if (codec === 'pcmu') this.current = { kind: 'audio', codec: 'pcmu', sampleRate, channels };
      else if (adts) this.current = aacConfigFromAdts(data);
      else this.current = rawAacConfig(sampleRate, channels);
    } catch {
      this.current = undefined;
    }
    return this.current;
  }
}

/** AAC-LC AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1) for raw AAC whose rate and channels come from FRAMEINFO. */
function rawAacConfig(sampleRate: number, channels: number): AudioTrackConfig | undefined {
  const sfi = (AAC_SAMPLE_RATES as readonly number[]).indexOf(sampleRate);
  if (sfi < 0 || channels < 1 || channels > 7) return undefined;
  const asc = new Uint8Array([(2 << 3) | (sfi >> 1), ((sfi & 1) << 7) | (channels << 3)]);
  return { kind: 'audio', codec: 'aac', sampleRate, channels, audioSpecificConfig: asc, codecString: 'mp4a.40.2' };
}
