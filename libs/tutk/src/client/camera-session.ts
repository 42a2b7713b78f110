/**
 * The client the recorder uses: one UDP socket, one camera (FACTS §1, §6).
 *
 *   const session = await connect({ host, uid, enr, mac, model, quality: 'hd', signal });
 *   session.on('close', (err) => ...);            // err: TutkSessionError, or undefined after close()
 *   for await (const frame of session.frames()) ...  // throws the session's error at the end
 *
 * Phases, each with its own limit: discovery (both flavour probes every 100 ms, the first valid reply
 * from the camera's IP decides), session stage, DTLS client on channel 0 (0xCCAC), AV login, then ACKs
 * every 100 ms, K-auth, resolution. After that the camera streams on its own (FACTS §6 step 8).
 */
import { EventEmitter } from 'node:events';
import { randomFillSync } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TutkParseError } from '../wire/parse-error';
import { deriveCameraKeys, type CameraKeys } from '../credentials/camera-keys';
import { randomSessionId } from '../credentials/session-id';
import { FlavourProbe } from '../flavour/probe';
import type { ClientEvent, ClientFlavour, FlavourName } from '../flavour/flavour';
import { DtlsClient } from '../dtls/dtls-client';
import { DtlsServer } from '../dtls/dtls-server';
import { DtlsError } from '../dtls/dtls-error';
import type { DtlsStats } from '../dtls/dtls-endpoint';
import { AckWindow, buildAck } from '../av/ack';
import { classifyAvRecord, isCommandRecord } from '../av/demux';
import { buildAvLoginPair, backchannelLoginEcho } from '../av/login';
import { buildAvLoginResponse, parseAvLoginResponse, AV_LOGIN_RESPONSE_MIN } from '../av/login-response';
import { buildIoctrlFrame, parseIoctrlFrame, type IoctrlFrame } from '../av/ioctrl';
import { KCmd, KMedia, buildK10000, buildK10002, buildK10010, parseK10001, parseK10003 } from '../av/k-commands';
import { kauthDecrypt, KAuthStatusError } from '../av/kauth';
import { resolutionCommand } from '../av/resolution';
import { FrameAssembler, type Frame, type FrameAssemblerOptions, type FrameAssemblerStats } from '../frames/assembler';
import { isMediaChannel, samplesPerFrame } from '../frames/codecs';
import { RESEND_WRAPPER } from '../frames/packet';
import { buildAudioTxFrame } from '../frames/audio-tx';
import { UdpTransport, type DatagramTransport, type PeerAddress, type ReceiveBuffer } from '../session/transport';
import { TimerSet } from '../session/timers';
import { CommandQueue } from '../session/command-queue';
import { ParseDropCounter } from '../session/drops';
import { TutkSessionError, type TutkSessionErrorCode, type TutkSessionPhase } from './session-error';

export const DEFAULT_CAMERA_PORT = 32761;

export interface ConnectOptions {
  /** The camera's IPv4 address (from the cloud's device_params.ip) or a host name. */
  host: string;
  port?: number;
  uid: string;
  /** The secret: never logged, never in an error message. */
  enr: string;
  mac: string;
  /** product_model; picks the resolution command (FACTS §9.1). */
  model?: string;
  quality?: 'hd' | 'sd';
  /** FACTS §6: probes every 100 ms for up to 5 s. */
  discoveryTimeoutMs?: number;
  /** Session request, DTLS, AV login and each IOCTRL: 5 s each as go2rtc (FACTS §6). */
  sessionTimeoutMs?: number;
  dtlsTimeoutMs?: number;
  loginTimeoutMs?: number;
  ioctrlTimeoutMs?: number;
  /** No datagram at all from the camera for this long ends the session with 'camera-lost'. */
  keepaliveTimeoutMs?: number;
  /** Frames held for `frames()` before new ones are dropped (and counted). */
  frameBufferSize?: number;
  /** AV login [536-539]; go2rtc always asks for 0, the direct media format (FACTS §10.1). */
  resend?: 0 | 1;
  assembler?: FrameAssemblerOptions;
  signal?: AbortSignal;
  /** A transport of your own (not closed by the session); by default a fresh UDP socket. */
  socket?: DatagramTransport;
}

/** An audio frame for the backchannel: one codec payload, same codec as the camera's audio (FACTS §11.1). */
export interface IntercomAudioFrame {
  codec: number;
  sampleRate: number;
  channels: number;
  data: Uint8Array;
}

export interface HandshakeTimings {
  discovery?: number;
  session?: number;
  dtls?: number;
  avLogin?: number;
  auth?: number;
  resolution?: number;
  /** From the first probe to the end of connect(). */
  total?: number;
}

export interface CameraSessionStats {
  flavour: FlavourName | undefined;
  twoWayAudio: boolean;
  packetsIn: number;
  bytesIn: number;
  packetsOut: number;
  bytesOut: number;
  /** Datagrams from any address other than the camera's IP (FACTS §2), dropped. */
  foreignPackets: number;
  /** Times the camera's source port changed and was followed (FACTS §2). */
  portChanges: number;
  keepalivesAnswered: number;
  acksSent: number;
  /** Decrypted channel-0 records. */
  records: number;
  /** Malformed or unusable input by `layer:reason` (TutkParseError) or `session:reason`. */
  drops: Record<string, number>;
  /** Command records nobody waited for (FACTS §8.1). */
  commandsDiscarded: number;
  framesDelivered: number;
  /** Frames dropped because the frames() consumer fell behind. */
  framesDroppedSlowConsumer: number;
  audioFramesSent: number;
  handshakeMs: HandshakeTimings;
  /** The channel-0 DTLS cipher suite agreed on (FACTS §7.2), once known. */
  dtlsSuite: string | undefined;
  /** K10001 status the camera asked for (FACTS §9.2: 1, 3 or 6), once known. */
  authStatus: number | undefined;
  dtls: DtlsStats | undefined;
  backchannelDtls: DtlsStats | undefined;
  assembler: FrameAssemblerStats;
}

export interface CameraSessionEvents {
  frame: [Frame];
  /** The session is over; `error` unless close() ended it. */
  close: [TutkSessionError | undefined];
}

type IntercomState = 'off' | 'starting' | 'on';

const PROBE_INTERVAL_MS = 100;
const SESSION_RESEND_MS = 1000;
const IOCTRL_RESEND_MS = 1000;
const ACK_INTERVAL_MS = 100;
/** FACTS §8.2: login #2 follows #1 after 10 ms. */
const LOGIN_GAP_MS = 10;
/** pion's first retransmission (FACTS §7.2, CAPTURES: flights at 0, 0.3, 0.9, 2.1, 4.5 s). */
const DTLS_FIRST_RETRANSMIT_MS = 300;
/** FACTS §7.3: up to 64 early channel-1 datagrams are kept for the backchannel server. */
const BACKCHANNEL_QUEUE = 64;
/** FACTS §11.1 step 5. */
const BACKCHANNEL_SECOND_LOGIN_MS = 500;

/** Connects to a camera and runs the whole handshake of FACTS §6; resolves once media can flow. */
export async function connect(options: ConnectOptions): Promise<CameraSession> {
  const session = new CameraSession(options);
  await session.open();
  return session;
}

/**
 * One connection to one camera: discovery, session stage, DTLS on channel 0, AV login, ACKs, K-auth,
 * resolution, then frames. Use {@link connect}; read frames with `frames()` or the 'frame' event.
 */
export class CameraSession extends EventEmitter<CameraSessionEvents> {
  private readonly o: Required<Omit<ConnectOptions, 'socket' | 'signal' | 'model' | 'assembler'>> & Pick<ConnectOptions, 'signal' | 'assembler'> & { model: string };
  private readonly transport: DatagramTransport;
  private readonly ownsTransport: boolean;
  private readonly timers = new TimerSet();
  private readonly keys: CameraKeys;
  private peer: PeerAddress;
  private phase: TutkSessionPhase = 'discovery';
  private flavour: ClientFlavour | undefined;
  private probe: FlavourProbe | undefined;
  private dtls: DtlsClient | undefined;
  private backDtls: DtlsServer | undefined;
  private readonly backQueue: Uint8Array[] = [];
  private backRecordWaiter: ((r: Uint8Array) => void) | undefined;
  private readonly commands = new CommandQueue();
  private ioctrlWaiting = false;
  private readonly ackWindow = new AckWindow();
  private avSeq = 0;
  private cmdSeq = 0;
  private ackCount = 0;
  private readonly assembler: FrameAssembler;
  private readonly buffer: Frame[] = [];
  private skipVideoUntilKeyframe = false;
  private wake: (() => void) | undefined;
  private lastRx = 0;
  private readonly drops = new ParseDropCounter();
  private readonly counters = {
    packetsIn: 0,
    bytesIn: 0,
    packetsOut: 0,
    bytesOut: 0,
    foreignPackets: 0,
    portChanges: 0,
    keepalivesAnswered: 0,
    acksSent: 0,
    records: 0,
    framesDelivered: 0,
    framesDroppedSlowConsumer: 0,
    audioFramesSent: 0,
  };
  private readonly timings: HandshakeTimings = {};
  private twoWay = false;
  private kauthStatus: number | undefined;
  /** undefined while running; null after close(); the error that ended it otherwise. */
  private end: TutkSessionError | null | undefined;
  private readonly ended: Promise<void>;
  private resolveEnded!: () => void;
  /** Serialises IOCTRL requests: one at a time, as go2rtc (FACTS §8.1). */
  private requests: Promise<unknown> = Promise.resolve();
  private intercom: IntercomState = 'off';
  private txFrameNo = 0;
  private txTimestampUs = 0;
  private txStartMs = 0;
  private txChain: Promise<void> = Promise.resolve();
  private readonly onAbort = () => this.fail(this.phase, 'aborted', 'aborted by the caller');

  constructor(options: ConnectOptions) {
    super();
    const ms = (v: number | undefined, d: number) => (v === undefined ? d : v);
    this.o = {
      host: options.host,
      port: options.port ?? DEFAULT_CAMERA_PORT,
      uid: options.uid,
      enr: options.enr,
      mac: options.mac,
      model: options.model ?? '',
      quality: options.quality ?? 'hd',
      discoveryTimeoutMs: ms(options.discoveryTimeoutMs, 5000),
      sessionTimeoutMs: ms(options.sessionTimeoutMs, 5000),
      dtlsTimeoutMs: ms(options.dtlsTimeoutMs, 5000),
      loginTimeoutMs: ms(options.loginTimeoutMs, 5000),
      ioctrlTimeoutMs: ms(options.ioctrlTimeoutMs, 5000),
      keepaliveTimeoutMs: ms(options.keepaliveTimeoutMs, 10_000),
      frameBufferSize: options.frameBufferSize ?? 512,
      resend: options.resend ?? 0,
      assembler: options.assembler,
      signal: options.signal,
    };
    this.keys = deriveCameraKeys(options.enr, options.uid, options.mac);
    this.transport = options.socket ?? new UdpTransport();
    this.ownsTransport = !options.socket;
    this.peer = { address: options.host, port: this.o.port };
    this.assembler = new FrameAssembler(options.assembler);
    this.ended = new Promise((r) => (this.resolveEnded = r));
  }

  get flavourName(): FlavourName | undefined {
    return this.flavour?.name;
  }
  /** Login response [31] == 1 (FACTS §8.2). */
  get twoWayAudio(): boolean {
    return this.twoWay;
  }
  /** The camera address in use, with any port change followed (FACTS §2). */
  get cameraAddress(): PeerAddress {
    return { ...this.peer };
  }
  get closed(): boolean {
    return this.end !== undefined;
  }
  /** Our socket's address, once bound. */
  get localAddress(): PeerAddress | undefined {
    return this.transport.local;
  }

  /** The UDP receive buffer the OS granted (FACTS §2 asks for 2 MiB; a lower OS cap loses I-frame bursts). */
  get receiveBuffer(): ReceiveBuffer | undefined {
    return this.transport.receiveBuffer;
  }

  get stats(): CameraSessionStats {
    return {
      ...this.counters,
      flavour: this.flavour?.name,
      twoWayAudio: this.twoWay,
      drops: this.drops.snapshot(),
      commandsDiscarded: this.commands.discarded + this.commands.overflowed,
      handshakeMs: { ...this.timings },
      dtlsSuite: this.dtls?.suite?.name,
      authStatus: this.kauthStatus,
      dtls: this.dtls ? { ...this.dtls.stats } : undefined,
      backchannelDtls: this.backDtls ? { ...this.backDtls.stats } : undefined,
      assembler: this.assembler.stats,
    };
  }

  // ---- connection (FACTS §6)

  /** @internal Runs the handshake; use {@link connect}. */
  async open(): Promise<void> {
    const t0 = Date.now();
    try {
      if (this.o.signal?.aborted) throw new TutkSessionError('discovery', 'aborted', 'aborted before connecting');
      this.o.signal?.addEventListener('abort', this.onAbort, { once: true });
      if (!isIP(this.o.host)) this.peer.address = (await lookup(this.o.host, { family: 4 })).address;
      this.transport.onMessage((d, from) => this.onDatagram(d, from));
      this.transport.onError(() => this.drops.count('session', 'socket-error'));
      if (!this.transport.local) await this.transport.bind(0);
      await this.step('discovery', () => this.discover());
      await this.step('session', () => this.sessionStage());
      await this.step('dtls', () => this.dtlsHandshake());
      this.startLivenessCheck();
      await this.step('avLogin', () => this.avLogin());
      this.sendAck();
      this.timers.interval(ACK_INTERVAL_MS, () => this.sendAck());
      await this.step('auth', () => this.kauth());
      this.phase = 'streaming';
      await this.step('resolution', async () => void (await this.requestQuality(this.o.quality)));
      this.timings.total = Date.now() - t0;
    } catch (e) {
      const err = this.end ?? this.asSessionError(e);
      this.shutdown(err);
      throw err;
    }
  }

  /** Runs one phase, timed, and aborts it as soon as the session ends for another reason. */
  private async step(name: keyof HandshakeTimings, fn: () => Promise<void>): Promise<void> {
    const t = Date.now();
    await Promise.race([fn(), this.ended.then(() => Promise.reject(this.end ?? new TutkSessionError(this.phase, 'aborted', 'closed')))]);
    this.timings[name] = Date.now() - t;
  }

  private async discover(): Promise<void> {
    this.phase = 'discovery';
    this.probe = new FlavourProbe(this.keys, randomSessionId());
    const [old, cc51] = this.probe.probes();
    const send = () => {
      this.sendRaw(old);
      this.sendRaw(cc51);
    };
    const found = new Promise<ClientEvent>((resolve) => (this.discovered = resolve));
    send();
    const every = this.timers.interval(PROBE_INTERVAL_MS, send);
    const ev = await this.within(found, this.o.discoveryTimeoutMs);
    this.timers.clear(every);
    if (!ev) throw new TutkSessionError('discovery', 'discovery-timeout', `no answer from ${this.peer.address}:${this.o.port} within ${this.o.discoveryTimeoutMs} ms`);
    this.pendingDiscovery = ev;
  }
  private discovered: ((ev: ClientEvent) => void) | undefined;
  private pendingDiscovery: ClientEvent | undefined;
  private sessionUp: (() => void) | undefined;

  private async sessionStage(): Promise<void> {
    this.phase = 'session';
    const ev = this.pendingDiscovery;
    if (ev?.kind === 'discovery') {
      if (ev.reply) this.sendRaw(ev.reply);
      if (ev.sessionAfterMs > 0) await this.timers.sleep(ev.sessionAfterMs);
    }
    const up = new Promise<boolean>((resolve) => (this.sessionUp = () => resolve(true)));
    const send = () => this.sendRaw(this.flavour!.sessionRequest(Math.floor(Date.now() / 1000)));
    send();
    const every = this.timers.interval(SESSION_RESEND_MS, send);
    const ok = await this.within(up, this.o.sessionTimeoutMs);
    this.timers.clear(every);
    this.sessionUp = undefined;
    if (!ok) throw new TutkSessionError('session', 'session-timeout', `no ${this.flavour!.name} session reply within ${this.o.sessionTimeoutMs} ms`);
  }

  private async dtlsHandshake(): Promise<void> {
    this.phase = 'dtls';
    const dtls = new DtlsClient({
      psk: this.keys.psk,
      send: (d) => this.sendWrapped(0, d),
      handshakeTimeoutMs: this.o.dtlsTimeoutMs,
      retransmitInitialMs: DTLS_FIRST_RETRANSMIT_MS,
      // The transport hands each datagram over (DatagramTransport): records are decrypted where they lie.
      decryptInPlace: true,
    });
    this.dtls = dtls;
    dtls.on('data', (r) => this.onRecord(r));
    // Before connect, handshake() reports the error; afterwards any alert or close ends the session (FACTS §7.2).
    dtls.on('error', (e) => {
      if (dtls.closed && this.phase !== 'dtls') this.fail(this.phase, 'camera-closed', `DTLS ${e.code}`, e);
    });
    dtls.on('alert', (a) => this.fail(this.phase, 'camera-closed', `DTLS warning alert ${a.description}`));
    dtls.on('close', () => {
      if (this.phase !== 'dtls') this.fail(this.phase, 'camera-closed', 'the camera closed DTLS on channel 0');
    });
    try {
      await dtls.handshake();
    } catch (e) {
      throw dtlsFailure('dtls', e);
    }
  }

  private async avLogin(): Promise<void> {
    this.phase = 'av-login';
    const randomId = randomFillSync(new Uint8Array(4));
    const [l1, l2] = buildAvLoginPair({ password: this.keys.avLoginPassword, randomId, resend: this.o.resend });
    this.dtlsSend(l1);
    await this.timers.sleep(LOGIN_GAP_MS);
    this.dtlsSend(l2);
    const res = await this.commands.wait((r) => {
      if (r.length < AV_LOGIN_RESPONSE_MIN || r[0] !== 0x00 || r[1] !== 0x21) return undefined;
      return parseAvLoginResponse(r);
    }, this.deadline(this.o.loginTimeoutMs));
    if (!res) throw new TutkSessionError('av-login', 'login-timeout', `no 0x2100 login response within ${this.o.loginTimeoutMs} ms`);
    this.twoWay = res.twoWayAudio;
  }

  private async kauth(): Promise<void> {
    this.phase = 'auth';
    const c = await this.ioctrl(buildK10000(), KCmd.Challenge);
    if (!c) throw new TutkSessionError('auth', 'login-timeout', `no K10001 within ${this.o.ioctrlTimeoutMs} ms`);
    let challenge;
    try {
      challenge = parseK10001(c.hl);
    } catch (e) {
      throw new TutkSessionError('auth', 'auth-refused', 'malformed K10001', { cause: e });
    }
    this.kauthStatus = challenge.status;
    const keys = this.keys.kauthKeys.get(challenge.status);
    if (!keys) throw new TutkSessionError('auth', 'auth-refused', new KAuthStatusError(challenge.status).message);
    const response = kauthDecrypt(keys, challenge.challenge);
    const r = await this.ioctrl(buildK10002({ response, sessionId: randomFillSync(new Uint8Array(4)), video: true, audio: true }), KCmd.AuthResult);
    if (!r) throw new TutkSessionError('auth', 'login-timeout', `no K10003 within ${this.o.ioctrlTimeoutMs} ms`);
    let result;
    try {
      result = parseK10003(r.hl);
    } catch (e) {
      // go2rtc carries on after an unreadable K10003 (FACTS §9.3); so do we, but count it.
      this.drops.count(e instanceof TutkParseError ? e.layer : 'hl', e instanceof TutkParseError ? e.reason : 'bad-json');
      return;
    }
    if (result.wrongKey) throw new TutkSessionError('auth', 'auth-refused', 'the camera answered K10003 with connectionRes "2" (ENR authentication failed)');
  }

  // ---- public API

  /**
   * Frames as they complete, oldest first; ends when the session closes (throwing the error that ended it,
   * after the buffered frames). One consumer at a time.
   */
  async *frames(): AsyncGenerator<Frame, void, undefined> {
    for (;;) {
      const f = this.buffer.shift();
      if (f) {
        yield f;
        continue;
      }
      if (this.end !== undefined) {
        if (this.end) throw this.end;
        return;
      }
      await new Promise<void>((r) => (this.wake = r));
    }
  }

  /** K10056 or K10052 by model (FACTS §9.1). Resolves false when the camera did not acknowledge it. */
  async setQuality(quality: 'hd' | 'sd'): Promise<boolean> {
    this.assertOpen();
    return this.requestQuality(quality);
  }

  private async requestQuality(quality: 'hd' | 'sd'): Promise<boolean> {
    const cmd = resolutionCommand(this.o.model, quality);
    // A failure is ignored, as go2rtc does (FACTS §6 step 7).
    return (await this.ioctrl(cmd.hl, cmd.reply)) !== undefined;
  }

  /**
   * FACTS §11.1: K10010(3,1) → K10011, then a DTLS server on channel 1 (0x00AE), the camera's AV login
   * answered with 0x2100. Rejects with a TutkSessionError of phase 'intercom'; the session stays up.
   */
  async startIntercom(): Promise<void> {
    this.assertOpen();
    if (!this.twoWay) throw new Error('the camera does not offer two-way audio (login response [31] is not 1)');
    if (this.intercom !== 'off') throw new Error(`intercom is already ${this.intercom}`);
    this.intercom = 'starting';
    try {
      const ok = await this.ioctrl(buildK10010({ media: KMedia.ReturnAudio, enable: true }), KCmd.ControlChannelReply);
      if (!ok) throw new TutkSessionError('intercom', 'login-timeout', `no K10011 within ${this.o.ioctrlTimeoutMs} ms`);
      const server = new DtlsServer({ psk: this.keys.psk, send: (d) => this.sendWrapped(1, d), handshakeTimeoutMs: this.o.dtlsTimeoutMs, decryptInPlace: true });
      this.backDtls = server;
      server.on('data', (r) => this.onBackRecord(r));
      server.on('error', () => {});
      server.on('close', () => {
        if (this.backDtls === server) this.intercomDown();
      });
      server.start();
      for (const d of this.backQueue.splice(0)) server.handleDatagram(d);
      try {
        await Promise.race([server.handshake(), this.ended]);
      } catch (e) {
        throw dtlsFailure('intercom', e);
      }
      this.assertOpen();
      const login = await this.nextBackRecord(this.o.loginTimeoutMs);
      if (!login) throw new TutkSessionError('intercom', 'login-timeout', `no AV login on channel 1 within ${this.o.loginTimeoutMs} ms`);
      let echo: Uint8Array;
      try {
        echo = Uint8Array.from(backchannelLoginEcho(login));
      } catch (e) {
        throw new TutkSessionError('intercom', 'login-timeout', 'unusable AV login on channel 1', { cause: e });
      }
      // go2rtc always says two-way here (FACTS §11.1 step 4).
      const response = buildAvLoginResponse(echo, true);
      server.send(response);
      if (await this.nextBackRecord(BACKCHANNEL_SECOND_LOGIN_MS)) server.send(response);
      this.assertOpen();
      this.txFrameNo = 0;
      this.txTimestampUs = 0;
      this.txStartMs = 0;
      this.intercom = 'on';
    } catch (e) {
      this.intercomDown();
      throw e instanceof TutkSessionError ? e : this.asSessionError(e, 'intercom');
    }
  }

  /**
   * Sends one audio TX frame (FACTS §11.3) on channel 1, paced in real time: frame n leaves at the start
   * plus its running timestamp. Resolves when it was written.
   */
  sendAudio(frame: IntercomAudioFrame): Promise<void> {
    this.assertOpen();
    if (this.intercom !== 'on') return Promise.reject(new Error('intercom is not started'));
    const spf = samplesPerFrame(frame.codec);
    if (spf === undefined) return Promise.reject(new RangeError(`no frame duration for audio codec 0x${frame.codec.toString(16)}`));
    const run = async () => {
      const server = this.backDtls;
      if (this.intercom !== 'on' || !server) throw new Error('intercom stopped');
      const frameNo = ++this.txFrameNo;
      const timestampUs = this.txTimestampUs;
      // go2rtc adds the integer frame duration after every frame handed to it (FACTS §11.3).
      this.txTimestampUs += Math.floor((spf * 1_000_000) / frame.sampleRate);
      if (frameNo === 1) this.txStartMs = Date.now();
      const wait = this.txStartMs + timestampUs / 1000 - Date.now();
      if (wait > 0) await this.timers.sleep(wait);
      if (this.intercom !== 'on' || server.state !== 'connected') throw new Error('intercom stopped');
      server.send(buildAudioTxFrame({ frameNo, timestampUs: timestampUs >>> 0, codec: frame.codec, sampleRate: frame.sampleRate, channels: frame.channels, payload: frame.data }));
      this.counters.audioFramesSent++;
    };
    const p = this.txChain.then(run);
    this.txChain = p.catch(() => {});
    return p;
  }

  /** K10010(3,2) over channel 0 (go2rtc never manages to send it, FACTS §11.1), then closes channel 1. */
  async stopIntercom(): Promise<void> {
    if (this.intercom === 'off' || this.end !== undefined) return;
    // No more audio from here; the channel-1 DTLS closes after the stop request (FACTS §11.1).
    this.intercom = 'off';
    await this.ioctrl(buildK10010({ media: KMedia.ReturnAudio, enable: false }), KCmd.ControlChannelReply);
    this.intercomDown();
  }

  /** close_notify on every DTLS channel, every timer cleared, the socket closed if it is ours. */
  close(): void {
    this.shutdown(null);
  }

  // ---- datagrams

  private onDatagram(d: Uint8Array, from: PeerAddress): void {
    if (this.end !== undefined) return;
    // FACTS §2: only the camera's IP counts; its port may change.
    if (from.address !== this.peer.address) {
      this.counters.foreignPackets++;
      return;
    }
    this.counters.packetsIn++;
    this.counters.bytesIn += d.length;
    this.lastRx = Date.now();
    let ev: ClientEvent;
    try {
      if (!this.flavour) {
        const outcome = this.probe?.accept(d);
        if (!outcome) {
          this.drops.count('session', 'not-discovery');
          return;
        }
        this.flavour = outcome.flavour;
        this.peer.port = from.port;
        this.discovered?.(outcome.event);
        this.discovered = undefined;
        return;
      }
      ev = this.flavour.unwrap(d);
    } catch (e) {
      if (!(e instanceof TutkParseError)) throw e;
      this.drops.count(e.layer, e.reason);
      return;
    }
    if (from.port !== this.peer.port && ev.kind !== 'ignored') {
      this.peer.port = from.port;
      this.counters.portChanges++;
    }
    switch (ev.kind) {
      case 'session':
        this.sessionUp?.();
        return;
      case 'data':
        if (ev.channel === 0) this.dtls?.handleDatagram(ev.payload);
        else if (this.backDtls) this.backDtls.handleDatagram(ev.payload);
        else if (this.backQueue.length < BACKCHANNEL_QUEUE) this.backQueue.push(ev.payload);
        else this.drops.count('session', 'backchannel-queue-full');
        return;
      case 'keepalive':
        this.sendRaw(ev.reply);
        this.counters.keepalivesAnswered++;
        return;
      case 'ignored':
        this.drops.count(this.flavour.name, ev.reason);
        return;
      case 'discovery':
        return;
    }
  }

  /** One decrypted channel-0 record (FACTS §8.1). */
  private onRecord(r: Uint8Array): void {
    this.counters.records++;
    if (this.isMedia(r)) {
      // One record can complete a frame that later ones were held back for: deliver them all, in order.
      for (let f = this.assembler.push(r); f; f = this.assembler.pull()) this.deliver(f);
      return;
    }
    const kind = classifyAvRecord(r);
    if (isCommandRecord(kind)) {
      this.ackWindow.observe(r);
      // FACTS §8.3: one extra ACK for every command record received while an IOCTRL answer is awaited.
      if (this.ioctrlWaiting) this.sendAck();
      this.commands.push(r);
      return;
    }
    if (kind !== 'ack') this.drops.count('av', r.length < 2 ? 'short' : 'unknown-magic');
  }

  /**
   * FACTS §8.1: byte 0 of 0x03/0x05/0x07 is media. With resend = 1 media records start with 0x0c too; they
   * are told from a 0x000c control record by their frame type in [1] or, for type 0, the media channel
   * (or the frame-index marker) at [16] where a control record has 0x7000 (SEED §9.6-9.7).
   */
  private isMedia(r: Uint8Array): boolean {
    if (r.length < 2) return false;
    if (r[0] !== RESEND_WRAPPER) return r[0] === 0x03 || r[0] === 0x05 || r[0] === 0x07;
    if (this.o.resend !== 1 || r.length <= 16) return false;
    return r[1] !== 0x00 || isMediaChannel(r[16]) || r[16] === RESEND_WRAPPER;
  }

  private deliver(frame: Frame): void {
    this.emit('frame', frame);
    if (frame.kind === 'video' && this.skipVideoUntilKeyframe) {
      if (!frame.keyframe) {
        this.counters.framesDroppedSlowConsumer++;
        return;
      }
      this.skipVideoUntilKeyframe = false;
    }
    if (this.buffer.length >= this.o.frameBufferSize) {
      this.counters.framesDroppedSlowConsumer++;
      // A dropped video frame breaks every P-frame after it, so skip to the next keyframe.
      if (frame.kind === 'video') this.skipVideoUntilKeyframe = true;
      return;
    }
    this.buffer.push(frame);
    this.counters.framesDelivered++;
    this.wakeConsumer();
  }

  private wakeConsumer(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private onBackRecord(r: Uint8Array): void {
    const w = this.backRecordWaiter;
    if (w) {
      this.backRecordWaiter = undefined;
      w(r);
    }
  }

  private nextBackRecord(ms: number): Promise<Uint8Array | undefined> {
    return new Promise((resolve) => {
      const t = this.timers.timeout(ms, () => {
        this.backRecordWaiter = undefined;
        resolve(undefined);
      });
      if (!t) return resolve(undefined);
      this.backRecordWaiter = (r) => {
        this.timers.clear(t);
        resolve(r);
      };
      void this.ended.then(() => {
        this.timers.clear(t);
        resolve(undefined);
      });
    });
  }

  private intercomDown(): void {
    this.intercom = 'off';
    const s = this.backDtls;
    this.backDtls = undefined;
    this.backQueue.length = 0;
    s?.close();
  }

  // ---- sending

  private sendRaw(d: Uint8Array): void {
    if (this.end !== undefined && !this.closingNow) return;
    this.transport.send(d, this.peer.port, this.peer.address);
    this.counters.packetsOut++;
    this.counters.bytesOut += d.length;
  }
  private closingNow = false;

  private sendWrapped(channel: number, dtlsBytes: Uint8Array): void {
    if (this.flavour) this.sendRaw(this.flavour.wrap(channel, dtlsBytes));
  }

  private dtlsSend(record: Uint8Array): void {
    if (this.dtls?.state === 'connected') this.dtls.send(record);
  }

  /** FACTS §8.4: the AV sequence is shared with IOCTRL frames; the window moves after each ACK. */
  private sendAck(): void {
    const w = this.ackWindow.take();
    this.ackCount = (this.ackCount + 1) & 0xffff;
    this.dtlsSend(buildAck({ avSeq: this.avSeq++ >>> 0, rxStart: w.rxStart, rxEnd: w.rxEnd, count: this.ackCount, ms16: Date.now() & 0xffff }));
    this.counters.acksSent++;
  }

  /**
   * FACTS §8.5: one IOCTRL frame, resent identically every 1 s until a command record carries the HL reply
   * `replyCmd`, for up to ioctrlTimeoutMs. Resolves undefined on timeout or when the session ends.
   */
  private ioctrl(hl: Uint8Array, replyCmd: number): Promise<IoctrlFrame | undefined> {
    const run = async () => {
      if (this.end !== undefined) return undefined;
      const frame = buildIoctrlFrame({ avSeq: this.avSeq++ >>> 0, cmdSeq: this.cmdSeq++, hl });
      this.dtlsSend(frame);
      const every = this.timers.interval(IOCTRL_RESEND_MS, () => this.dtlsSend(frame));
      this.ioctrlWaiting = true;
      try {
        return await this.commands.wait((r) => {
          try {
            const f = parseIoctrlFrame(r);
            return f.hl.cmd === replyCmd ? f : undefined;
          } catch {
            return undefined;
          }
        }, this.deadline(this.o.ioctrlTimeoutMs));
      } finally {
        this.ioctrlWaiting = false;
        this.timers.clear(every);
      }
    };
    const p = this.requests.then(run, run);
    this.requests = p.catch(() => {});
    return p;
  }

  // ---- liveness and teardown

  private startLivenessCheck(): void {
    this.lastRx = Date.now();
    const period = Math.max(10, Math.min(250, Math.floor(this.o.keepaliveTimeoutMs / 4)));
    this.timers.interval(period, () => {
      const silent = Date.now() - this.lastRx;
      if (silent >= this.o.keepaliveTimeoutMs) this.fail(this.phase, 'camera-lost', `nothing from the camera for ${silent} ms`);
    });
  }

  /** Resolves after `ms`, or when the session ends; never keeps a timer past either. */
  private deadline(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = this.timers.timeout(ms, resolve);
      if (!t) return resolve();
      void this.ended.then(() => {
        this.timers.clear(t);
        resolve();
      });
    });
  }

  /** `p`, or undefined after `ms`. */
  private async within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      t = this.timers.timeout(ms, () => resolve(undefined));
      if (!t) resolve(undefined);
    });
    try {
      return await Promise.race([p, timeout]);
    } finally {
      this.timers.clear(t);
    }
  }

  private fail(phase: TutkSessionPhase, code: TutkSessionErrorCode, detail: string, cause?: unknown): void {
    if (this.end !== undefined) return;
    this.shutdown(new TutkSessionError(phase, code, detail, cause === undefined ? undefined : { cause }));
  }

  private shutdown(err: TutkSessionError | null): void {
    if (this.end !== undefined) return;
    this.end = err;
    this.o.signal?.removeEventListener('abort', this.onAbort);
    this.timers.close();
    this.closingNow = true;
    const back = this.backDtls;
    this.backDtls = undefined;
    this.intercom = 'off';
    back?.close();
    this.dtls?.close();
    this.closingNow = false;
    // Frames held for ordering are still delivered, ahead of the end of frames().
    this.assembler.flush();
    for (let f = this.assembler.pull(); f; f = this.assembler.pull()) this.deliver(f);
    if (this.ownsTransport) this.transport.close();
    else this.transport.onMessage(() => {});
    this.resolveEnded();
    this.wakeConsumer();
    this.emit('close', err ?? undefined);
  }

  private assertOpen(): void {
    if (this.end !== undefined) throw this.end ?? new Error('the session is closed');
  }

  private asSessionError(e: unknown, phase: TutkSessionPhase = this.phase): TutkSessionError {
    if (e instanceof TutkSessionError) return e;
    if (this.end) return this.end;
    return new TutkSessionError(phase, 'aborted', e instanceof Error ? e.message : String(e), { cause: e });
  }
}

/** A DtlsError from a handshake, as the session reports it: 'bad-psk' means the ENR is wrong (FACTS §7.1). */
function dtlsFailure(phase: TutkSessionPhase, e: unknown): TutkSessionError {
  if (e instanceof TutkSessionError) return e;
  if (e instanceof DtlsError) {
    return new TutkSessionError(phase, e.code === 'bad-psk' ? 'wrong-key' : 'dtls-failed', `DTLS ${e.code}: ${e.message}`, { cause: e });
  }
  return new TutkSessionError(phase, 'dtls-failed', e instanceof Error ? e.message : String(e), { cause: e });
}

