/**
 * One client session's media (FACTS §10, §14): runs the current quality's source, turns each frame into
 * FRAMEINFO and media packets on channel 0 (with resend = 1, kept for a resend too), and restarts on a
 * quality change with the stream's time still going forward.
 */
import type { DtlsServer } from '../dtls/dtls-server';
import { MediaChannel } from '../frames/codecs';
import { type FrameInfo, audioFlags } from '../frames/frame-info';
import { packetizeFrame } from '../frames/packetizer';
import type { SessionState } from './camera-state';
import type { DeviceHost, DeviceQuality } from './device-types';
import type { MediaFrame, MediaSource } from './media-source';
import type { ResendBuffer } from './resend-buffer';

/** Between the last frame of one source and the first of the next (one frame at 20 fps). */
const FRAME_GAP_US = 50_000;

/** What the pump reads of its session. */
export interface PumpedSession {
  readonly dtls: DtlsServer;
  readonly state: SessionState;
  readonly alive: boolean;
  /** Media format: 0 direct, 1 wrapped (FACTS §10.1); undefined before the AV login. */
  readonly resend: 0 | 1 | undefined;
  /** Keeps wrapped records for a resend (INFERRED, av/received-runs.ts); absent when the camera never resends. */
  readonly retransmit: ResendBuffer | undefined;
}

export class MediaPump {
  streaming = false;
  private stream: AbortController | undefined;
  private videoNo = 0;
  private audioNo = 0;
  private txSeq = 0;
  private readonly startUnixUs = Date.now() * 1000;
  /** Stream time of the last frame sent, and the offset that keeps time going forward across sources. */
  private lastStreamUs: number | undefined;

  constructor(
    private readonly host: DeviceHost,
    private readonly session: PumpedSession,
  ) {}

  start(): void {
    if (this.streaming || !this.session.alive) return;
    this.streaming = true;
    this.host.emit('streaming', this.session.state.quality);
    void this.pump();
  }

  switchQuality(q: DeviceQuality): void {
    const state = this.session.state;
    if (state.quality === q) return;
    state.quality = q;
    this.host.emit('quality', q);
    if (this.streaming) void this.pump();
  }

  stop(): void {
    this.stream?.abort();
    this.stream = undefined;
    this.streaming = false;
  }

  private sourceFor(q: DeviceQuality): MediaSource {
    const sources = this.host.o.sources;
    return (q === 'sd' ? sources.sd : undefined) ?? sources.hd;
  }

  /** Runs the current quality's source until it ends, the quality changes or the session ends. */
  private async pump(): Promise<void> {
    this.stream?.abort();
    const ctl = new AbortController();
    this.stream = ctl;
    const quality = this.session.state.quality;
    // A fresh source starts at its own time 0; the stream's time must still go on forward (FACTS §10.4).
    let shift: number | undefined;
    try {
      for await (const f of this.sourceFor(quality).frames(ctl.signal)) {
        if (ctl.signal.aborted || !this.session.alive) break;
        shift ??= this.lastStreamUs === undefined ? 0 : this.lastStreamUs + FRAME_GAP_US - f.timestampUs;
        this.sendFrame(quality, shift === 0 ? f : { ...f, timestampUs: f.timestampUs + shift });
      }
    } catch {
      this.host.drops.count('device', 'source-error');
    } finally {
      if (this.stream === ctl) this.stream = undefined;
    }
  }

  private sendFrame(quality: DeviceQuality, f: MediaFrame): void {
    const { dtls, state } = this.session;
    const o = this.host.o;
    if (dtls.state !== 'connected') return;
    const video = f.kind === 'video';
    if (video ? !state.videoOn : !state.audioOn) return;
    const channel = video ? (f.keyframe ? MediaChannel.IFrame : MediaChannel.PFrame) : MediaChannel.Audio;
    // Frame numbers from 1, never 0 (FACTS §10.3); video frames linked by the previous-frame field.
    const frameNo = video ? ++this.videoNo : ++this.audioNo;
    this.lastStreamUs = f.timestampUs;
    const clockOffsetUs = this.host.clockOffsetUs();
    let us: number;
    let sec: number;
    if (o.frameInfoTime === 'unix') {
      const abs = this.startUnixUs + f.timestampUs + clockOffsetUs;
      us = abs % 1_000_000;
      sec = Math.floor(abs / 1_000_000);
    } else {
      const t = f.timestampUs + clockOffsetUs;
      us = ((t % 1_000_000) + 1_000_000) % 1_000_000;
      sec = o.sessionMarker ?? Math.floor(this.startUnixUs / 1_000_000);
    }
    const info: FrameInfo = {
      codec: f.codec,
      flags: video ? (f.keyframe ? 1 : 0) : audioFlags(f.sampleRate ?? 16000, f.channels ?? 1),
      camIndex: 0,
      onlineNum: 1,
      fps: 20,
      // FACTS §10.4: tier 4 HD, 1 low; bitrate 100 HD, 30 360P.
      resTier: quality === 'hd' ? 4 : 1,
      bitrate: quality === 'hd' ? 100 : 30,
      timestampUs: us,
      timestampSec: sec >>> 0,
      payloadSize: f.data.length,
      frameNo,
      deviceId: o.mac.toUpperCase(),
    };
    const resend = this.session.resend ?? 0;
    const seq0 = this.txSeq;
    const packets = packetizeFrame(f.data, {
      channel,
      frameNo,
      prevFrameNo: frameNo - 1,
      frameInfo: info,
      txSeq: this.txSeq,
      counter: this.txSeq,
      resend,
      maxPayload: o.maxPacketPayload,
    });
    this.txSeq += packets.length;
    const kept = resend === 1 ? this.session.retransmit : undefined;
    const now = kept && Date.now();
    for (let i = 0; i < packets.length; i++) {
      dtls.send(packets[i]);
      // [4-5] of a wrapped record is its sequence number (SEED §9.6).
      kept?.sent((seq0 + i) & 0xffff, packets[i], now!);
    }
    this.host.counters.framesSent++;
    this.host.counters.packetsSent += packets.length;
    this.host.emit('frame-sent', { quality, kind: f.kind, channel, frameNo, data: f.data, info, packets: packets.length, resend });
  }
}
