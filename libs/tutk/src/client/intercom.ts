/**
 * The session's intercom (FACTS §11): K10010 to open the return-audio channel, a DTLS server on channel 1
 * that the camera dials, the camera's AV login there answered with 0x2100, then audio TX frames paced in
 * real time. The session stays up whatever happens here.
 */
import type { IoctrlFrame } from '../av/ioctrl';
import { KCmd, KMedia, buildK10010 } from '../av/k-commands';
import { backchannelLoginEcho } from '../av/login';
import { buildAvLoginResponse } from '../av/login-response';
import type { DtlsStats } from '../dtls/dtls-endpoint';
import { DtlsServer } from '../dtls/dtls-server';
import { buildAudioTxFrame } from '../frames/audio-tx';
import { samplesPerFrame } from '../frames/codecs';
import type { TimerSet } from '../session/timers';
import { dtlsFailure } from './dtls-failure';
import { TutkSessionError, type TutkSessionPhase } from './session-error';

/** An audio frame for the backchannel: one codec payload, same codec as the camera's audio (FACTS §11.1). */
export interface IntercomAudioFrame {
  codec: number;
  sampleRate: number;
  channels: number;
  data: Uint8Array;
}

/** What the intercom uses of its session. */
export interface IntercomHost {
  readonly timers: TimerSet;
  /** Resolves when the session ends. */
  readonly ended: Promise<void>;
  readonly psk: Uint8Array;
  readonly limits: { ioctrlTimeoutMs: number; dtlsTimeoutMs: number; loginTimeoutMs: number };
  readonly counters: { audioFramesSent: number };
  twoWayAudio(): boolean;
  /** Throws the error that ended the session, if it has ended. */
  assertOpen(): void;
  /** One IOCTRL request on channel 0, serialised with the session's others (FACTS §8.5). */
  ioctrl(hl: Uint8Array, replyCmd: number): Promise<IoctrlFrame | undefined>;
  /** DTLS bytes out on channel 1, in the session's flavour. */
  send(dtlsBytes: Uint8Array): void;
  asSessionError(e: unknown, phase: TutkSessionPhase): TutkSessionError;
  countDrop(reason: string): void;
}

type IntercomState = 'off' | 'starting' | 'on';

/** FACTS §7.3: up to 64 early channel-1 datagrams are kept for the backchannel server. */
const BACKCHANNEL_QUEUE = 64;
/** FACTS §11.1 step 5. */
const BACKCHANNEL_SECOND_LOGIN_MS = 500;

export class Intercom {
  private state: IntercomState = 'off';
  private server: DtlsServer | undefined;
  /** Channel-1 datagrams that arrived before the server existed. */
  private readonly early: Uint8Array[] = [];
  private recordWaiter: ((r: Uint8Array) => void) | undefined;
  private txFrameNo = 0;
  private txTimestampUs = 0;
  private txStartMs = 0;
  private txChain: Promise<void> = Promise.resolve();

  constructor(private readonly host: IntercomHost) {}

  get dtlsStats(): DtlsStats | undefined {
    return this.server ? { ...this.server.stats } : undefined;
  }

  /** One channel-1 datagram from the camera. */
  handleDatagram(d: Uint8Array): void {
    if (this.server) this.server.handleDatagram(d);
    else if (this.early.length < BACKCHANNEL_QUEUE) this.early.push(d);
    else this.host.countDrop('backchannel-queue-full');
  }

  /** See CameraSession.startIntercom. */
  async start(): Promise<void> {
    const host = this.host;
    host.assertOpen();
    if (!host.twoWayAudio()) throw new Error('the camera does not offer two-way audio (login response [31] is not 1)');
    if (this.state !== 'off') throw new Error(`intercom is already ${this.state}`);
    this.state = 'starting';
    try {
      const ok = await host.ioctrl(buildK10010({ media: KMedia.ReturnAudio, enable: true }), KCmd.ControlChannelReply);
      if (!ok) throw new TutkSessionError('intercom', 'login-timeout', `no K10011 within ${host.limits.ioctrlTimeoutMs} ms`);
      const server = new DtlsServer({ psk: host.psk, send: (d) => host.send(d), handshakeTimeoutMs: host.limits.dtlsTimeoutMs, decryptInPlace: true });
      this.server = server;
      server.on('data', (r) => this.onRecord(r));
      server.on('error', () => {});
      server.on('close', () => {
        if (this.server === server) this.down();
      });
      server.start();
      for (const d of this.early.splice(0)) server.handleDatagram(d);
      try {
        await Promise.race([server.handshake(), host.ended]);
      } catch (e) {
        throw dtlsFailure('intercom', e);
      }
      host.assertOpen();
      const login = await this.nextRecord(host.limits.loginTimeoutMs);
      if (!login) throw new TutkSessionError('intercom', 'login-timeout', `no AV login on channel 1 within ${host.limits.loginTimeoutMs} ms`);
      let echo: Uint8Array;
      try {
        echo = Uint8Array.from(backchannelLoginEcho(login));
      } catch (e) {
        throw new TutkSessionError('intercom', 'login-timeout', 'unusable AV login on channel 1', { cause: e });
      }
      // go2rtc always says two-way here (FACTS §11.1 step 4).
      const response = buildAvLoginResponse(echo, true);
      server.send(response);
      if (await this.nextRecord(BACKCHANNEL_SECOND_LOGIN_MS)) server.send(response);
      host.assertOpen();
      this.txFrameNo = 0;
      this.txTimestampUs = 0;
      this.txStartMs = 0;
      this.state = 'on';
    } catch (e) {
      this.down();
      throw e instanceof TutkSessionError ? e : host.asSessionError(e, 'intercom');
    }
  }

  /** See CameraSession.sendAudio. */
  send(frame: IntercomAudioFrame): Promise<void> {
    if (this.state !== 'on') return Promise.reject(new Error('intercom is not started'));
    const spf = samplesPerFrame(frame.codec);
    if (spf === undefined) return Promise.reject(new RangeError(`no frame duration for audio codec 0x${frame.codec.toString(16)}`));
    const run = async () => {
      const server = this.server;
      if (this.state !== 'on' || !server) throw new Error('intercom stopped');
      const frameNo = ++this.txFrameNo;
      const timestampUs = this.txTimestampUs;
      // go2rtc adds the integer frame duration after every frame handed to it (FACTS §11.3).
      this.txTimestampUs += Math.floor((spf * 1_000_000) / frame.sampleRate);
      if (frameNo === 1) this.txStartMs = Date.now();
      const wait = this.txStartMs + timestampUs / 1000 - Date.now();
      if (wait > 0) await this.host.timers.sleep(wait);
      if (this.state !== 'on' || server.state !== 'connected') throw new Error('intercom stopped');
      server.send(buildAudioTxFrame({ frameNo, timestampUs: timestampUs >>> 0, codec: frame.codec, sampleRate: frame.sampleRate, channels: frame.channels, payload: frame.data }));
      this.host.counters.audioFramesSent++;
    };
    const p = this.txChain.then(run);
    this.txChain = p.catch(() => {});
    return p;
  }

  /** See CameraSession.stopIntercom. */
  async stop(): Promise<void> {
    if (this.state === 'off') return;
    // No more audio from here; the channel-1 DTLS closes after the stop request (FACTS §11.1).
    this.state = 'off';
    await this.host.ioctrl(buildK10010({ media: KMedia.ReturnAudio, enable: false }), KCmd.ControlChannelReply);
    this.down();
  }

  /** The session is ending: close_notify on channel 1, if it is up. */
  close(): void {
    const server = this.server;
    this.server = undefined;
    this.state = 'off';
    server?.close();
  }

  private down(): void {
    this.state = 'off';
    const server = this.server;
    this.server = undefined;
    this.early.length = 0;
    server?.close();
  }

  private onRecord(r: Uint8Array): void {
    const w = this.recordWaiter;
    if (w) {
      this.recordWaiter = undefined;
      w(r);
    }
  }

  private nextRecord(ms: number): Promise<Uint8Array | undefined> {
    const { timers, ended } = this.host;
    return new Promise((resolve) => {
      const t = timers.timeout(ms, () => {
        this.recordWaiter = undefined;
        resolve(undefined);
      });
      if (!t) return resolve(undefined);
      this.recordWaiter = (r) => {
        timers.clear(t);
        resolve(r);
      };
      void ended.then(() => {
        timers.clear(t);
        resolve(undefined);
      });
    });
  }
}
