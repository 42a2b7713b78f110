/**
 * One client session's media (FACTS §10, §14): runs the sources, turns each frame into FRAMEINFO and media
 * packets on channel 0 (with resend = 1, kept for a resend too), restarts video on a quality change with the
 * stream's time still going forward while audio runs on, and withholds media from a client that has gone
 * silent.
 */
import type { DtlsServer } from '../dtls/dtls-server';
import { MediaChannel } from '../frames/codecs';
import { type FrameInfo, audioFlags } from '../frames/frame-info';
import { packetizeFrame } from '../frames/packetizer';
import type { SessionState } from './camera-state';
import type { DeviceHost, DeviceQuality } from './device-types';
import type { MediaFrame, MediaSource } from './media-source';
import type { ResendBuffer } from './resend-buffer';

/** Between the last video frame of one source and the first of the next (one frame at 20 fps). */
const FRAME_GAP_US = 50_000;

/** What the pump reads of its session. */
export interface PumpedSession {
  readonly dtls: DtlsServer;
  readonly state: SessionState;
  readonly alive: boolean;
  /** Media format: 0 direct, 1 wrapped (FACTS §10.1); undefined before the AV login. */
  readonly resend: 0 | 1 | undefined;
  /** Date.now() of the client's last datagram of any kind. */
  readonly lastRx: number;
  /** Keeps wrapped records for a resend (INFERRED, av/received-runs.ts); absent when the camera never resends. */
  readonly retransmit: ResendBuffer | undefined;
}

/** One playback of a source, and which of its frames go out. */
interface SourceRun {
  readonly ctl: AbortController;
  readonly source: MediaSource;
  readonly quality: DeviceQuality;
  video: boolean;
  readonly audio: boolean;
}

export class MediaPump {
  streaming = false;
  /**
   * The run that supplies audio: the session's first, which plays on across quality changes, as a camera's
   * one audio encoder does whatever the video resolution (issue #13: a restart sent the first AAC frame twice).
   */
  private audioRun: SourceRun | undefined;
  /** The run that supplies video: the first one until the quality changes, then one per change. */
  private videoRun: SourceRun | undefined;
  private videoNo = 0;
  private audioNo = 0;
  private txSeq = 0;
  private readonly startUnixUs = Date.now() * 1000;
  /** Stream time of the last video frame, from which a new video source's time goes on (FACTS §10.4). */
  private lastVideoUs: number | undefined;

  constructor(
    private readonly host: DeviceHost,
    private readonly session: PumpedSession,
  ) {}

  /** Whether the session's stream carries audio (a source that cannot tell counts as audio). */
  get hasAudio(): boolean {
    return (this.audioRun?.source ?? this.sourceFor(this.session.state.quality)).hasAudio !== false;
  }

  start(): void {
    if (this.streaming || !this.session.alive) return;
    this.streaming = true;
    this.host.emit('streaming', this.session.state.quality);
    this.audioRun = this.play(this.session.state.quality, true);
    this.videoRun = this.audioRun;
  }

  switchQuality(q: DeviceQuality): void {
    const state = this.session.state;
    if (state.quality === q) return;
    state.quality = q;
    this.host.emit('quality', q);
    if (!this.streaming) return;
    const old = this.videoRun;
    if (old === this.audioRun && old && old.source.hasAudio !== false) old.video = false;
    else old?.ctl.abort();
    this.videoRun = this.play(q, false);
  }

  stop(): void {
    this.audioRun?.ctl.abort();
    this.videoRun?.ctl.abort();
    this.audioRun = this.videoRun = undefined;
    this.streaming = false;
  }

  private sourceFor(q: DeviceQuality): MediaSource {
    const sources = this.host.o.sources;
    return (q === 'sd' ? sources.sd : undefined) ?? sources.hd;
  }

  private play(quality: DeviceQuality, audio: boolean): SourceRun {
    const run: SourceRun = { ctl: new AbortController(), source: this.sourceFor(quality), quality, video: true, audio };
    void this.runSource(run);
    return run;
  }

  /** Plays a run's source until it ends, the run is aborted or the session ends. */
  private async runSource(run: SourceRun): Promise<void> {
    // A fresh source starts at its own time 0; the video's time must still go on forward (FACTS §10.4).
    let shift: number | undefined;
    try {
      for await (const f of run.source.frames(run.ctl.signal)) {
        if (run.ctl.signal.aborted || !this.session.alive) break;
        if (f.kind === 'audio') {
          if (run.audio) this.sendFrame(this.session.state.quality, f);
          continue;
        }
        if (!run.video) continue;
        shift ??= this.lastVideoUs === undefined ? 0 : this.lastVideoUs + FRAME_GAP_US - f.timestampUs;
        this.sendFrame(run.quality, shift === 0 ? f : { ...f, timestampUs: f.timestampUs + shift });
      }
    } catch {
      this.host.drops.count('device', 'source-error');
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
    if (video) this.lastVideoUs = f.timestampUs;
    // A client ACKs every 100 ms for the whole session (FACTS §8.3) and answers every ping (§4.6, §5.3), so
    // a client silent this long has left or lost its path: streaming on only floods the network until the
    // client timeout ends the session. The frame is numbered all the same, so a client that comes back
    // sees the gap and waits for a keyframe (§10.3).
    if (Date.now() - this.session.lastRx >= o.pauseMediaAfterMs) {
      this.host.counters.framesWithheld++;
      return;
    }
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
