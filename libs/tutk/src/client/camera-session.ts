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
 *
 * This file is the session core: socket, datagram routing, the phases in order, liveness and teardown.
 * The AV layer on channel 0 (ACKs, IOCTRL and K-commands, AV login, K-auth) is ./av-channel; media records, assembly and
 * resend = 1 retransmission ./media-receiver; frames wait in ./frame-queue; the intercom is ./intercom.
 */
import { EventEmitter } from 'node:events';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TutkParseError } from '../wire/parse-error';
import { deriveCameraKeys, type CameraKeys } from '../credentials/camera-keys';
import { randomSessionId } from '../credentials/session-id';
import { FlavourProbe } from '../flavour/probe';
import type { ClientEvent, ClientFlavour, FlavourName } from '../flavour/flavour';
import type { DtlsClient } from '../dtls/dtls-client';
import { classifyAvRecord, isCommandRecord } from '../av/demux';
import type { KRequest } from '../av/k-request';
import type { Frame } from '../frames/assembler';
import { UdpTransport, type DatagramTransport, type PeerAddress, type ReceiveBuffer } from '../session/transport';
import { TimerSet } from '../session/timers';
import { ParseDropCounter } from '../session/drops';
import { TutkSessionError, type TutkSessionErrorCode, type TutkSessionPhase } from './session-error';
import { dtlsFailure } from './dtls-failure';
import { prepareMainDtls } from './main-dtls';
import { FrameQueue } from './frame-queue';
import { Intercom, type IntercomAudioFrame } from './intercom';
import { AvChannel, isMediaRecord } from './av-channel';
import { MediaReceiver } from './media-receiver';
import { resolveConnectOptions, type ConnectOptions, type ResolvedConnectOptions } from './connect-options';
import { sessionCounters, timingsInMs, usSince, type CameraSessionStats, type HandshakeTimings } from './session-stats';

export type { IntercomAudioFrame };
export { DEFAULT_CAMERA_PORT, type ConnectOptions } from './connect-options';
export type { CameraSessionStats, HandshakeTimings, RetransmissionStats } from './session-stats';

export interface CameraSessionEvents {
  frame: [Frame];
  /** The session is over; `error` unless close() ended it. */
  close: [TutkSessionError | undefined];
}

const PROBE_INTERVAL_MS = 100;
const SESSION_RESEND_MS = 1000;
const ACK_INTERVAL_MS = 100;

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
  private readonly o: ResolvedConnectOptions;
  private readonly transport: DatagramTransport;
  private readonly ownsTransport: boolean;
  private readonly timers = new TimerSet();
  private readonly keys: CameraKeys;
  private peer: PeerAddress;
  private phase: TutkSessionPhase = 'discovery';
  private flavour: ClientFlavour | undefined;
  private probe: FlavourProbe | undefined;
  private dtls: DtlsClient | undefined;
  private readonly intercom: Intercom;
  private readonly av: AvChannel;
  private readonly media: MediaReceiver;
  private readonly queue: FrameQueue;
  private lastRx = 0;
  private readonly drops = new ParseDropCounter();
  private readonly counters = sessionCounters();
  /** In microseconds. */
  private readonly timings: HandshakeTimings = {};
  /** When connect() began (performance.now()); the phases in `timings` follow on from it without gaps. */
  private readonly startedAt = performance.now();
  private phaseStart = this.startedAt;
  private twoWay = false;
  private kauthStatus: number | undefined;
  /** undefined while running; null after close(); the error that ended it otherwise. */
  private end: TutkSessionError | null | undefined;
  private readonly ended: Promise<void>;
  private resolveEnded!: () => void;
  private readonly onAbort = () => this.fail(this.phase, 'aborted', 'aborted by the caller');

  constructor(options: ConnectOptions) {
    super();
    this.o = resolveConnectOptions(options);
    this.keys = deriveCameraKeys(options.enr, options.uid, options.mac);
    this.transport = options.socket ?? new UdpTransport();
    this.ownsTransport = !options.socket;
    this.peer = { address: options.host, port: this.o.port };
    this.ended = new Promise((r) => (this.resolveEnded = r));
    this.queue = new FrameQueue(this.o.frameBufferSize, this.counters);
    this.av = new AvChannel({
      timers: this.timers,
      counters: this.counters,
      ioctrlTimeoutMs: this.o.ioctrlTimeoutMs,
      send: (r) => this.dtlsSend(r),
      deadline: (ms) => this.deadline(ms),
      ended: () => this.end !== undefined,
      ackRun: () => this.media.defaultRun(),
    });
    this.media = new MediaReceiver(
      { timers: this.timers, sendAck: (run) => this.av.sendAck(run), deliver: (f) => this.deliver(f) },
      { resend: this.o.resend, waitMs: this.o.resendWaitMs, assembler: options.assembler },
    );
    this.intercom = new Intercom({
      timers: this.timers,
      ended: this.ended,
      psk: this.keys.psk,
      limits: this.o,
      counters: this.counters,
      twoWayAudio: () => this.twoWay,
      assertOpen: () => this.assertOpen(),
      ioctrl: (hl, replyCmd) => this.av.ioctrl(hl, replyCmd),
      send: (d) => this.sendWrapped(1, d),
      asSessionError: (e, phase) => this.asSessionError(e, phase),
      countDrop: (reason) => this.drops.count('session', reason),
    });
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
      commandsDiscarded: this.av.commandsDiscarded,
      handshakeMs: timingsInMs(this.timings),
      handshakeUs: { ...this.timings },
      dtlsSuite: this.dtls?.suite?.name,
      authStatus: this.kauthStatus,
      dtls: this.dtls ? { ...this.dtls.stats } : undefined,
      backchannelDtls: this.intercom.dtlsStats,
      assembler: this.media.assembler.stats,
      retransmission: this.media.stats,
    };
  }

  // ---- connection (FACTS §6)

  /** @internal Runs the handshake; use {@link connect}. */
  async open(): Promise<void> {
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
      this.av.sendAck();
      this.timers.interval(ACK_INTERVAL_MS, () => this.media.tick());
      await this.step('auth', () => this.kauth());
      this.phase = 'streaming';
      await this.step('resolution', async () => void (await this.setQuality(this.o.quality))); // a failure is ignored, as go2rtc does (FACTS §6 step 7)
      this.timings.total = usSince(this.startedAt);
    } catch (e) {
      const err = this.end ?? this.asSessionError(e);
      this.shutdown(err);
      throw err;
    }
  }

  /**
   * Runs one phase and aborts it as soon as the session ends for another reason. Its time runs from the end
   * of the previous phase (the first one's from connect(), so socket and key set-up count as discovery).
   */
  private async step(name: keyof HandshakeTimings, fn: () => Promise<void>): Promise<void> {
    await Promise.race([fn(), this.ended.then(() => Promise.reject(this.end ?? new TutkSessionError(this.phase, 'aborted', 'closed')))]);
    this.timings[name] = usSince(this.phaseStart);
    this.phaseStart += this.timings[name]! / 1000;
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
    // While the camera answers (discovery, then the session stage): DTLS needs nothing from it until then.
    this.prepareDtls();
    const ev = await this.timers.within(found, this.o.discoveryTimeoutMs);
    this.timers.clear(every);
    if (!ev) throw new TutkSessionError('discovery', 'discovery-timeout', `no answer from ${this.peer.address}:${this.o.port} within ${this.o.discoveryTimeoutMs} ms`);
    this.pendingDiscovery = ev;
  }
  private discovered: ((ev: ClientEvent) => void) | undefined;
  private pendingDiscovery: ClientEvent | undefined;
  private sessionUp: (() => void) | undefined;

  /**
   * FACTS §4.3 (OLD) and §5.2 step 3 (CC51): the session request, resent every 1 s until answered. OLD's
   * `sessionAfterMs` (go2rtc's 100 ms pause after stage 2; flavour/old.ts says why) is kept as the time of a
   * second request, the first going out with stage 2: a camera that needs the pause answers the second, at
   * go2rtc's time; one that does not (the emulator) answers the first.
   */
  private async sessionStage(): Promise<void> {
    this.phase = 'session';
    const ev = this.pendingDiscovery;
    const up = new Promise<boolean>((resolve) => (this.sessionUp = () => resolve(true)));
    const send = () => this.sendRaw(this.flavour!.sessionRequest(Math.floor(Date.now() / 1000)));
    if (ev?.kind === 'discovery' && ev.reply) this.sendRaw(ev.reply);
    send();
    // Again after go2rtc's pause (CC51 has none: after 1 s), then every second.
    let every: NodeJS.Timeout | undefined;
    const pauseMs = ev?.kind === 'discovery' ? ev.sessionAfterMs : 0;
    const second = this.timers.timeout(pauseMs || SESSION_RESEND_MS, () => {
      send();
      every = this.timers.interval(SESSION_RESEND_MS, send);
    });
    const ok = await this.timers.within(up, this.o.sessionTimeoutMs);
    this.timers.clear(second);
    this.timers.clear(every);
    this.sessionUp = undefined;
    if (!ok) throw new TutkSessionError('session', 'session-timeout', `no ${this.flavour!.name} session reply within ${this.o.sessionTimeoutMs} ms`);
  }

  /** The channel-0 DTLS client, made ready while discovery and the session stage wait (main-dtls.ts). */
  private prepareDtls(): void {
    this.dtls ??= prepareMainDtls({
      psk: this.keys.psk,
      handshakeTimeoutMs: this.o.dtlsTimeoutMs,
      send: (d) => this.sendWrapped(0, d),
      onRecord: (r) => this.onRecord(r),
      handshaking: () => this.phase === 'dtls',
      closedByCamera: (detail, cause) => this.fail(this.phase, 'camera-closed', detail, cause),
    });
  }

  private async dtlsHandshake(): Promise<void> {
    this.phase = 'dtls';
    this.prepareDtls();
    try {
      await this.dtls!.handshake();
    } catch (e) {
      throw dtlsFailure('dtls', e);
    }
  }

  private async avLogin(): Promise<void> {
    this.phase = 'av-login';
    const res = await this.av.login(this.keys.avLoginPassword, this.o.resend, this.o.loginTimeoutMs);
    if (!res) throw new TutkSessionError('av-login', 'login-timeout', `no 0x2100 login response within ${this.o.loginTimeoutMs} ms`);
    this.twoWay = res.twoWayAudio;
  }

  private async kauth(): Promise<void> {
    this.phase = 'auth';
    await this.av.authenticate(
      this.keys.kauthKeys,
      (status) => (this.kauthStatus = status),
      (layer, reason) => this.drops.count(layer, reason),
    );
    this.timings.authDone = usSince(this.startedAt);
  }

  // ---- public API

  /**
   * Frames as they complete, oldest first; ends when the session closes (throwing the error that ended it,
   * after the buffered frames). One consumer at a time.
   */
  frames(): AsyncGenerator<Frame, void, undefined> {
    return this.queue.drain(() => this.end);
  }

  /** K10056 or K10052 by model (FACTS §9.1). Resolves false when the camera did not acknowledge it. */
  async setQuality(quality: 'hd' | 'sd'): Promise<boolean> {
    this.assertOpen();
    return this.av.setQuality(this.o.model, quality);
  }

  /** One K-command and its parsed reply; undefined without one within `timeoutMs` (AvChannel.command). */
  async command<T>(req: KRequest<T>, timeoutMs?: number): Promise<T | undefined> {
    this.assertOpen();
    return this.av.command(req, timeoutMs);
  }

  /**
   * FACTS §11.1: K10010(3,1) → K10011, then a DTLS server on channel 1 (0x00AE), the camera's AV login
   * answered with 0x2100. Rejects with a TutkSessionError of phase 'intercom'; the session stays up.
   */
  async startIntercom(): Promise<void> {
    return this.intercom.start();
  }

  /**
   * Sends one audio TX frame (FACTS §11.3) on channel 1, paced in real time: frame n leaves at the start
   * plus its running timestamp. Resolves when it was written.
   */
  sendAudio(frame: IntercomAudioFrame): Promise<void> {
    this.assertOpen();
    return this.intercom.send(frame);
  }

  /** K10010(3,2) over channel 0 (go2rtc never manages to send it, FACTS §11.1), then closes channel 1. */
  async stopIntercom(): Promise<void> {
    if (this.end !== undefined) return;
    await this.intercom.stop();
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
        else this.intercom.handleDatagram(ev.payload);
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
    if (isMediaRecord(r)) return this.media.push(r);
    const kind = classifyAvRecord(r);
    if (isCommandRecord(kind)) {
      this.av.onCommandRecord(r);
      return;
    }
    if (kind !== 'ack') this.drops.count('av', r.length < 2 ? 'short' : 'unknown-magic');
  }

  private deliver(frame: Frame): void {
    this.emit('frame', frame);
    this.queue.push(frame);
  }

  // ---- sending

  private sendRaw(d: Uint8Array): void {
    if (this.end !== undefined && !this.closingNow) return;
    if (this.o.maySend && !this.o.maySend()) {
      this.counters.packetsWithheld++;
      return;
    }
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
    this.intercom.close();
    this.dtls?.close();
    this.closingNow = false;
    // Frames held for ordering are still delivered, ahead of the end of frames().
    this.media.flush();
    if (this.ownsTransport) this.transport.close();
    else this.transport.onMessage(() => {});
    this.resolveEnded();
    this.queue.wakeConsumer();
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
