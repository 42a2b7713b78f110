import { buildAvcDecoderConfigurationRecord } from '../codec/avcc';
import { buildHevcDecoderConfigurationRecord } from '../codec/hvcc';
import type { AacTrackConfig, AudioTrackConfig, FlacTrackConfig, VideoTrackConfig } from '../stream-config';
import { ByteBuilder, box, fullBox } from './bytes';

/** VisualSampleEntry (ISO/IEC 14496-12 §12.1.3) with its codec configuration box. */
function visualSampleEntry(type: string, width: number, height: number, ...children: Uint8Array[]): Uint8Array {
  const w = new ByteBuilder();
  w.zeros(6); // reserved (SampleEntry)
  w.u16(1); // data_reference_index
  w.u16(0); // pre_defined
  w.u16(0); // reserved
  w.zeros(12); // pre_defined[3]
  w.u16(width); // width
  w.u16(height); // height
  w.u32(0x00480000); // horizresolution: 72 dpi
  w.u32(0x00480000); // vertresolution: 72 dpi
  w.u32(0); // reserved
  w.u16(1); // frame_count
  w.zeros(32); // compressorname: empty Pascal string
  w.u16(0x0018); // depth
  w.u16(0xffff); // pre_defined = -1
  return box(type, w.build(), ...children);
}

/**
 * `avc1` + `avcC` (ISO/IEC 14496-15 §5.4.2) or `hvc1` + `hvcC` (§8.4.1): parameter sets only in the
 * configuration record, none in the samples.
 */
export function videoSampleEntry(v: VideoTrackConfig): Uint8Array {
  if (v.codec === 'h264') {
    return visualSampleEntry('avc1', v.width, v.height, box('avcC', buildAvcDecoderConfigurationRecord(v.sps, v.pps)));
  }
  return visualSampleEntry('hvc1', v.width, v.height, box('hvcC', buildHevcDecoderConfigurationRecord(v.vps, v.sps, v.pps)));
}

/** AudioSampleEntry (ISO/IEC 14496-12 §12.2.3), version 0. */
function audioEntry(type: string, channels: number, sampleSize: number, sampleRate: number, ...children: Uint8Array[]): Uint8Array {
  const w = new ByteBuilder();
  w.zeros(6); // reserved (SampleEntry)
  w.u16(1); // data_reference_index
  w.zeros(8); // reserved[2]
  w.u16(channels); // channelcount
  w.u16(sampleSize); // samplesize
  w.u16(0); // pre_defined
  w.u16(0); // reserved
  w.u32(sampleRate * 0x10000); // samplerate, 16.16 fixed point
  return box(type, w.build(), ...children);
}

/** A descriptor (ISO/IEC 14496-1 §8.3.3): tag, size in the 4-byte expandable form, payload. */
function descriptor(tag: number, payload: Uint8Array): Uint8Array {
  const n = payload.length;
  const w = new ByteBuilder().u8(tag);
  w.u8(0x80 | ((n >>> 21) & 0x7f)).u8(0x80 | ((n >>> 14) & 0x7f)).u8(0x80 | ((n >>> 7) & 0x7f)).u8(n & 0x7f);
  return w.bytes(payload).build();
}

/** `esds` (ISO/IEC 14496-14 §5.6) holding an ES_Descriptor (ISO/IEC 14496-1 §7.2.6.5) for AAC. */
function esds(a: AacTrackConfig): Uint8Array {
  const decoderSpecificInfo = descriptor(0x05, a.audioSpecificConfig); // DecSpecificInfoTag
  const dcd = new ByteBuilder();
  dcd.u8(0x40); // objectTypeIndication: Audio ISO/IEC 14496-3
  dcd.u8((0x05 << 2) | 0x01); // streamType = AudioStream(5), upStream = 0, reserved = 1
  dcd.u24(0); // bufferSizeDB: unknown
  dcd.u32(0); // maxBitrate: unknown
  dcd.u32(0); // avgBitrate: variable/unknown
  dcd.bytes(decoderSpecificInfo);
  const decoderConfig = descriptor(0x04, dcd.build()); // DecoderConfigDescrTag
  const slConfig = descriptor(0x06, new Uint8Array([0x02])); // SLConfigDescrTag, predefined = 2 (MP4 files)
  const es = new ByteBuilder();
  es.u16(0); // ES_ID
  es.u8(0); // streamDependenceFlag, URL_Flag, OCRstreamFlag, streamPriority
  es.bytes(decoderConfig).bytes(slConfig);
  return fullBox('esds', 0, 0, descriptor(0x03, es.build())); // ES_DescrTag
}

/**
 * How G.711 samples are stored: `ulaw` as received, or expanded to 16-bit PCM in `ipcm` (ISO/IEC 23003-5,
 * little-endian), `sowt` (LE) or `twos` (BE). ffmpeg 5.1 and mp4box read all four (see README).
 */
export type G711Storage = 'ulaw' | 'ipcm' | 'sowt' | 'twos';

/** PCMConfigurationBox `pcmC` (ISO/IEC 23003-5 §5.1). */
function pcmC(littleEndian: boolean, sampleSize: number): Uint8Array {
  const w = new ByteBuilder();
  w.u8(littleEndian ? 1 : 0); // format_flags: bit 0 = little endian
  w.u8(sampleSize); // PCM_sample_size
  return fullBox('pcmC', 0, 0, w.build());
}

/**
 * FLACSpecificBox `dfLa` (FLAC in ISOBMFF §3.3.2): version 0, then the FLAC metadata blocks, STREAMINFO first;
 * here STREAMINFO alone, so it carries the last-metadata-block flag.
 */
function dfLa(a: FlacTrackConfig): Uint8Array {
  const w = new ByteBuilder();
  w.u8(0x80 | 0); // last_metadata_block_flag = 1, BLOCK_TYPE = 0 (STREAMINFO)
  w.u24(a.streamInfo.length); // length
  w.bytes(a.streamInfo);
  return fullBox('dfLa', 0, 0, w.build());
}

/**
 * Sample entry of an audio track: `mp4a` + `esds` for AAC; `fLaC` + `dfLa` for FLAC (samplesize 16, the
 * STREAMINFO's bit depth); `ulaw`, or 16-bit PCM in `ipcm`/`sowt`/`twos`, for G.711 µ-law.
 */
export function audioSampleEntry(a: AudioTrackConfig, g711: G711Storage): Uint8Array {
  if (a.codec === 'aac') return audioEntry('mp4a', a.channels, 16, a.sampleRate, esds(a));
  if (a.codec === 'flac') return audioEntry('fLaC', a.channels, 16, a.sampleRate, dfLa(a));
  if (g711 === 'ulaw') return audioEntry('ulaw', a.channels, 8, a.sampleRate);
  if (g711 === 'ipcm') return audioEntry('ipcm', a.channels, 16, a.sampleRate, pcmC(true, 16));
  return audioEntry(g711, a.channels, 16, a.sampleRate);
}
