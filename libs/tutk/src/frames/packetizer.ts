import { MediaChannel } from './codecs';
import { type FrameInfo, RX_FRAMEINFO_LENGTH, writeFrameInfo } from './frame-info';
import { FRAMEINFO_MARKER, FrameType, mediaHeaderSize, writeMediaHeader } from './packet';

/** FACTS §14: media packets carry at most about 1 KiB of payload. */
export const DEFAULT_MAX_PACKET_PAYLOAD = 1024;

export interface PacketizeOptions {
  channel: MediaChannel;
  /** Header frame number; cameras count from 1 and never use 0 (FACTS §10.3). */
  frameNo: number;
  prevFrameNo: number;
  /** Written as the 40-byte FRAMEINFO of the last packet; set payloadSize to the frame length. */
  frameInfo: FrameInfo;
  /** [4-5] of the first packet; the caller advances it by the number of packets returned. */
  txSeq?: number;
  /** Running packet counter of the first packet ([10-11] / [18-19]). */
  counter?: number;
  /** 0: direct packets, as go2rtc asks for; 1: the wrapped format of SEED §9.6. */
  resend?: 0 | 1;
  /** Frame bytes per packet, FRAMEINFO not counted. */
  maxPayload?: number;
}

/**
 * The packets a camera sends for one frame (FACTS §10.2, §14): audio as one 0x09 packet with
 * pkt_total 1; a one-packet video frame as 0x01; a longer one as 0x08, 0x00…, 0x05. The last packet
 * carries the FRAMEINFO and the 0x0028 marker. Each packet is its own buffer, ready to be one record.
 */
export function packetizeFrame(data: Uint8Array, o: PacketizeOptions): Uint8Array[] {
  const maxPayload = o.maxPayload ?? DEFAULT_MAX_PACKET_PAYLOAD;
  if (!(maxPayload >= 1)) throw new RangeError('maxPayload must be at least 1');
  const resend = o.resend ?? 0;
  const audio = o.channel === MediaChannel.Audio;
  const n = Math.max(1, Math.ceil(data.length / maxPayload));
  if (audio && n > 1) throw new RangeError(`audio is never split (FACTS §10.3); ${data.length} > ${maxPayload}`);
  if (n > 0xffff) throw new RangeError(`${n} packets do not fit pkt_total`);
  const txSeq = o.txSeq ?? 0;
  const counter = o.counter ?? 0;
  const packets: Uint8Array[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    const frameType = audio ? FrameType.StartAlt : n === 1 ? FrameType.EndSingle : i === 0 ? FrameType.Start : last ? FrameType.EndMulti : FrameType.Cont;
    const chunk = data.subarray(i * maxPayload, Math.min(data.length, (i + 1) * maxPayload));
    const payloadSize = chunk.length + (last ? RX_FRAMEINFO_LENGTH : 0);
    const headerSize = mediaHeaderSize(frameType, resend);
    const p = new Uint8Array(headerSize + payloadSize);
    writeMediaHeader(
      p,
      {
        channel: o.channel,
        frameType,
        txSeq: txSeq + i,
        streamIndex: last ? 1 : 0,
        counter: counter + i,
        pktTotal: n,
        pktIdxField: last ? FRAMEINFO_MARKER : i,
        payloadSize,
        prevFrameNo: o.prevFrameNo,
        frameNo: o.frameNo,
      },
      resend,
    );
    p.set(chunk, headerSize);
    if (last) writeFrameInfo(p, headerSize + chunk.length, o.frameInfo);
    packets[i] = p;
  }
  return packets;
}
