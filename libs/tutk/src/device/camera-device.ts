import { EventEmitter } from 'node:events';
import { randomFillSync } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { TutkParseError } from '../wire/parse-error';
import { u16le, u32le } from '../wire/byte-reader';
import { deriveCameraKeys, type CameraKeys } from '../credentials/camera-keys';
import { isCc51 } from '../cc51/header';
import type { DeviceEvent, DeviceFlavour, FlavourName } from '../flavour/flavour';
import { OldFlavourDevice } from '../flavour/old';
import { Cc51FlavourDevice } from '../flavour/cc51';
import { DtlsServer } from '../dtls/dtls-server';
import { DtlsClient } from '../dtls/dtls-client';
import { TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, TLS_PSK_WITH_AES_128_CBC_SHA256 } from '../dtls/cipher-suites';
import { AvMagic } from '../av/constants';
import { parseAck, type AvAck } from '../av/ack';
import { buildAvLoginPair, parseAvLogin } from '../av/login';
import { buildAvLoginResponse } from '../av/login-response';
import { buildIoctrlFrame, parseIoctrlFrame } from '../av/ioctrl';
import type { HlMessage } from '../av/hl';
import { ConnectionRes, KCmd, KMedia, buildK10001, buildK10003, buildKReply, k10003Json, parseK10002, parseK10010, parseK10052, parseK10056 } from '../av/k-commands';
import { KAuthStatusError, kauthEncrypt, kauthVerify } from '../av/kauth';
import { FrameSize } from '../av/resolution';
import { MediaChannel } from '../frames/codecs';
import { type FrameInfo, audioFlags } from '../frames/frame-info';
import { DEFAULT_MAX_PACKET_PAYLOAD, packetizeFrame } from '../frames/packetizer';
import { parseAudioTxFrame, type AudioTxFrame } from '../frames/audio-tx';
import { UdpTransport, type DatagramTransport, type PeerAddress } from '../session/transport';
import { TimerSet } from '../session/timers';
import { ParseDropCounter } from '../session/drops';
import type { MediaFrame, MediaSource } from './media-source';

export type DeviceQuality = 'hd' | 'sd';

export interface CameraDeviceOptions {
  /** UDP port; default 32761 (FACTS §2); 0 picks one (tests). */
  port?: number;
  /**
   * Bind address. The default 0.0.0.0 binds one socket per local IPv4 address, so every answer leaves from
   * the address the client targeted (FACTS §2).
   */
  host?: string;
  uid: string;
  enr: string;
  mac: string;
  model?: string;
  /** Which discovery flavours to answer: 'old' (IOTC), 'new' (CC51) or both. */
  flavours?: 'old' | 'new' | 'both';
  /** K10001 status (FACTS §9.2). */
  authStatus?: 1 | 3 | 6;
  /**
   * The ENR this camera checks K10002 against; default `enr`. A different value makes a camera that
   * completes DTLS but refuses K-auth with connectionRes "2" (FACTS §9.3).
   */
  authEnr?: string;
  /** OLD: drop a stage-1 disco whose AuthKey is not ours (default true). */
  checkAuthKey?: boolean;
  /** Media format; default: what the client's AV login [536-539] asked for (FACTS §10.1). */
  resend?: 0 | 1;
  /** Login response [31] (FACTS §8.2). Default true. */
  twoWayAudio?: boolean;
  sources: { hd: MediaSource; sd?: MediaSource };
  /**
   * FRAMEINFO time (FACTS §10.4, §16 item 6). 'unix': [8-11] µs within the second and [12-15] Unix
   * seconds of the frame. 'session-marker': [8-11] the stream's µs within the second, [12-15] a constant
   * for the whole session ({@link sessionMarker}).
   */
  frameInfoTime?: 'unix' | 'session-marker';
  /** The constant of 'session-marker' mode; default the session's start in Unix seconds. */
  sessionMarker?: number;
  /** Makes each UDP socket (default a plain UdpTransport); e.g. a FaultyTransport around one. */
  transport?: () => DatagramTransport;
  /** Answer the first ClientHello with a HelloVerifyRequest (FACTS §7.2: a camera may or may not). */
  helloVerify?: boolean;
  /** OLD 0x0428 / CC51 0x1202 period (FACTS §4.6, §5.3: INFERRED 1–5 s). */
  keepaliveIntervalMs?: number;
  /** A client silent this long is gone: its session ends. */
  clientTimeoutMs?: number;
  dtlsTimeoutMs?: number;
  /** Frame bytes per media packet (FACTS §14: about 1 KiB). */
  maxPacketPayload?: number;
}

export interface SentFrame {
  quality: DeviceQuality;
  kind: 'video' | 'audio';
  channel: number;
  /** Header frame number (and FRAMEINFO [20-23]). */
  frameNo: number;
  data: Uint8Array;
  info: FrameInfo;
  packets: number;
  /** Media format used: 0 direct, 1 wrapped (FACTS §10.1). */
  resend: 0 | 1;
}

export interface ReceivedAudio extends Omit<AudioTxFrame, 'payload'> {
  /** A copy of the payload. */
  payload: Uint8Array;
  /** The whole record as received, for byte-level checks. */
  record: Uint8Array;
}

export interface CameraDeviceStats {
  datagramsIn: number;
  datagramsOut: number;
  bytesOut: number;
  /** Client sessions that reached the session stage. */
  connections: number;
  logins: number;
  acksReceived: number;
  ioctrlRequests: number;
  /** IOCTRL resends answered again with the cached reply (FACTS §8.5). */
  ioctrlDuplicates: number;
  authAccepted: number;
  authRefused: number;
  framesSent: number;
  packetsSent: number;
  keepalivesSent: number;
  keepalivesAnswered: number;
  audioFramesReceived: number;
  drops: Record<string, number>;
}

export interface CameraDeviceEvents {
  connection: [{ flavour: FlavourName; client: PeerAddress }];
  streaming: [DeviceQuality];
  'frame-sent': [SentFrame];
  quality: [DeviceQuality];
  intercom: ['started' | 'ready' | 'stopped'];
  'audio-received': [ReceivedAudio];
  disconnect: [{ reason: 'closed-by-client' | 'timeout' | 'replaced' | 'device-closed' | 'dtls-failed' }];
}

/** IOCTRL replies kept for duplicate requests. */
const REPLY_CACHE = 64;
const LOGIN_GAP_MS = 10;
/** Between the last frame of one source and the first of the next (one frame at 20 fps). */
const FRAME_GAP_US = 50_000;

/** One client session: from its session request to its close, timeout or replacement. */
class DeviceConnection {
  readonly timers = new TimerSet();
  readonly dtls: DtlsServer;
  backDtls: DtlsClient | undefined;
  intercomReady = false;
  readonly replies = new Map<number, Uint8Array>();
  camSeq = 0;
  secret: Uint8Array | undefined;
  resend: 0 | 1 | undefined;
  lastRx = Date.now();
  quality: DeviceQuality = 'hd';
  videoOn = true;
  audioOn = true;
  streaming = false;
  stream: AbortController | undefined;
  videoNo = 0;
  audioNo = 0;
  txSeq = 0;
  readonly startUnixUs = Date.now() * 1000;
  /** Stream time of the last frame sent, and the offset that keeps time going forward across sources. */
  lastStreamUs: number | undefined;
  alive = true;

  constructor(
    readonly flavour: DeviceFlavour,
    public client: PeerAddress,
    public via: DatagramTransport,
    makeDtls: (c: DeviceConnection) => DtlsServer,
  ) {
    this.dtls = makeDtls(this);
  }
}

/**
 * The camera side of the protocol (the emulator's core), built from the same codecs as the client. Answers
 * discovery and session requests for the flavours it serves, runs the DTLS server on channel 0, the AV
 * login, K-auth, K-commands and streaming, the channel-1 backchannel as DTLS client, and pings (FACTS §14).
 * One client session at a time; a new session request replaces the old session.
 */
export class CameraDevice extends EventEmitter<CameraDeviceEvents> {
  /** Every intercom audio frame received, in order. */
  readonly receivedAudio: ReceivedAudio[] = [];
  private readonly o: CameraDeviceOptions & Required<Pick<CameraDeviceOptions, 'port' | 'host' | 'model' | 'flavours' | 'authStatus' | 'twoWayAudio' | 'frameInfoTime' | 'keepaliveIntervalMs' | 'clientTimeoutMs' | 'dtlsTimeoutMs' | 'maxPacketPayload'>>;
  private readonly keys: CameraKeys;
  /** The keys K10002 is checked against: those of `authEnr` when given. */
  private readonly authKeys: CameraKeys;
  private readonly old: OldFlavourDevice | undefined;
  private readonly cc51: Cc51FlavourDevice | undefined;
  private readonly sockets: DatagramTransport[] = [];
  private conn: DeviceConnection | undefined;
  private readonly drops = new ParseDropCounter();
  private readonly counters = {
    datagramsIn: 0,
    datagramsOut: 0,
    bytesOut: 0,
    connections: 0,
    logins: 0,
    acksReceived: 0,
    ioctrlRequests: 0,
    ioctrlDuplicates: 0,
    authAccepted: 0,
    authRefused: 0,
    framesSent: 0,
    packetsSent: 0,
    keepalivesSent: 0,
    keepalivesAnswered: 0,
    audioFramesReceived: 0,
  };
  private boundPort = 0;
  private closed = false;
  /** Added to FRAMEINFO time: the camera's clock jumped ({@link jumpClock}). */
  private clockOffsetUs = 0;
  /** While rebooting: no datagram is read or answered until this time. */
  private offUntil = 0;
  private rebootTimer: NodeJS.Timeout | undefined;
  private readonly rebootWaiters: (() => void)[] = [];
  private lastAckSeen: AvAck | undefined;

  constructor(options: CameraDeviceOptions) {
    super();
    this.o = {
      ...options,
      port: options.port ?? 32761,
      host: options.host ?? '0.0.0.0',
      model: options.model ?? 'HL_CAM4',
      flavours: options.flavours ?? 'both',
      authStatus: options.authStatus ?? 3,
      twoWayAudio: options.twoWayAudio ?? true,
      frameInfoTime: options.frameInfoTime ?? 'unix',
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 2000,
      clientTimeoutMs: options.clientTimeoutMs ?? 10_000,
      dtlsTimeoutMs: options.dtlsTimeoutMs ?? 5000,
      maxPacketPayload: options.maxPacketPayload ?? DEFAULT_MAX_PACKET_PAYLOAD,
    };
    this.keys = deriveCameraKeys(options.enr, options.uid, options.mac);
    this.authKeys = options.authEnr === undefined ? this.keys : deriveCameraKeys(options.authEnr, options.uid, options.mac);
    if (this.o.flavours !== 'new') this.old = new OldFlavourDevice(this.keys, { checkAuthKey: options.checkAuthKey ?? true });
    if (this.o.flavours !== 'old') this.cc51 = new Cc51FlavourDevice(this.keys);
  }

  /** Binds the socket(s); resolves with the port. */
  async start(): Promise<number> {
    const hosts = this.o.host === '0.0.0.0' ? localIpv4Addresses() : [this.o.host];
    let port = this.o.port;
    for (const host of hosts) {
      const s = this.makeTransport();
      this.attach(s);
      port = (await s.bind(port, host)).port;
    }
    this.boundPort = port;
    return port;
  }

  get port(): number {
    return this.boundPort;
  }

  /** The newest ACK from the client (FACTS §8.4), for inspection. */
  get lastAck(): AvAck | undefined {
    return this.lastAckSeen;
  }

  get stats(): CameraDeviceStats {
    return { ...this.counters, drops: this.drops.snapshot() };
  }

  /** The current client session's quality, flavour and whether the backchannel is up. */
  get session(): { flavour: FlavourName; quality: DeviceQuality; streaming: boolean; intercomReady: boolean; client: PeerAddress } | undefined {
    const c = this.conn;
    return c && { flavour: c.flavour.name, quality: c.quality, streaming: c.streaming, intercomReady: c.intercomReady, client: { ...c.client } };
  }

  /**
   * From now on the current session's datagrams leave from a fresh socket on the same address (a new
   * source port), which also receives; the client must follow (FACTS §2). Resolves with the new port.
   */
  async moveSourcePort(): Promise<number> {
    const c = this.conn;
    if (!c) throw new Error('no client session');
    const s = this.makeTransport();
    this.attach(s);
    const local = c.via.local!;
    const bound = await s.bind(0, local.address);
    c.via = s;
    return bound.port;
  }

  /**
   * The camera's clock steps by `seconds` (NTP correction, a wrong RTC): FRAMEINFO time jumps by as much
   * from the next frame on, while frame spacing stays as it was.
   */
  jumpClock(seconds: number): void {
    this.clockOffsetUs += Math.round(seconds * 1e6);
  }

  /** True while {@link reboot} keeps the camera off. */
  get rebooting(): boolean {
    return this.offUntil > Date.now();
  }

  /**
   * Power-cycles the camera: the session ends without a word, nothing is read or sent for `offMs`, then
   * the camera answers discovery again and a client must start a new session. Resolves when it is back.
   */
  reboot(offMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.conn) this.endConnection(this.conn, 'device-closed', false);
    this.offUntil = Date.now() + offMs;
    if (this.rebootTimer) clearTimeout(this.rebootTimer);
    this.rebootTimer = setTimeout(() => this.backOn(), offMs);
    return new Promise((resolve) => this.rebootWaiters.push(resolve));
  }

  private backOn(): void {
    this.rebootTimer = undefined;
    this.offUntil = 0;
    for (const w of this.rebootWaiters.splice(0)) w();
  }

  /** Ends the current session the polite way: close_notify on channel 0 (the client sees 'camera-closed'). */
  disconnectClient(): void {
    const c = this.conn;
    if (!c) return;
    c.dtls.close();
    this.endConnection(c, 'closed-by-client');
  }

  /**
   * Stops everything without a word to the client, like a camera losing power: the client notices only
   * through silence.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.rebootTimer) clearTimeout(this.rebootTimer);
    this.backOn();
    if (this.conn) this.endConnection(this.conn, 'device-closed', false);
    for (const s of this.sockets) s.close();
    this.sockets.length = 0;
  }

  // ---- datagrams

  private makeTransport(): DatagramTransport {
    return this.o.transport ? this.o.transport() : new UdpTransport();
  }

  private attach(s: DatagramTransport): void {
    this.sockets.push(s);
    s.onMessage((d, from) => this.onDatagram(d, from, s));
    s.onError(() => this.drops.count('device', 'socket-error'));
  }

  private send(via: DatagramTransport, to: PeerAddress, d: Uint8Array): void {
    if (this.closed || this.offUntil !== 0) return;
    via.send(d, to.port, to.address);
    this.counters.datagramsOut++;
    this.counters.bytesOut += d.length;
  }

  private sendConn(c: DeviceConnection, d: Uint8Array): void {
    if (c.alive) this.send(c.via, c.client, d);
  }

  private onDatagram(d: Uint8Array, from: PeerAddress, via: DatagramTransport): void {
    if (this.closed) return;
    if (this.offUntil !== 0) {
      this.drops.count('device', 'rebooting');
      return;
    }
    this.counters.datagramsIn++;
    const flavour: DeviceFlavour | undefined = isCc51(d) ? this.cc51 : this.old;
    if (!flavour) {
      this.drops.count('device', 'flavour-not-served');
      return;
    }
    let ev: DeviceEvent;
    try {
      ev = flavour.unwrap(d);
    } catch (e) {
      if (!(e instanceof TutkParseError)) throw e;
      this.drops.count(e.layer, e.reason);
      return;
    }
    const c = this.conn;
    switch (ev.kind) {
      case 'discovery':
        if (ev.reply) this.send(via, from, ev.reply);
        return;
      case 'session':
        this.send(via, from, ev.reply);
        if (ev.first || !c || c.flavour !== flavour) this.newConnection(flavour, from, via);
        return;
      case 'data':
        if (!c || c.flavour !== flavour) {
          this.drops.count('device', 'no-session');
          return;
        }
        c.lastRx = Date.now();
        c.client = from;
        if (ev.channel === 0) c.dtls.handleDatagram(ev.payload);
        else if (c.backDtls) c.backDtls.handleDatagram(ev.payload);
        else this.drops.count('device', 'backchannel-not-started');
        return;
      case 'keepalive':
        this.counters.keepalivesAnswered++;
        if (c && c.flavour === flavour) c.lastRx = Date.now();
        return;
      case 'ignored':
        this.drops.count(flavour.name, ev.reason);
        return;
    }
  }

  // ---- sessions

  private newConnection(flavour: DeviceFlavour, client: PeerAddress, via: DatagramTransport): void {
    if (this.conn) this.endConnection(this.conn, 'replaced');
    const c = new DeviceConnection(flavour, client, via, (conn) => {
      const dtls = new DtlsServer({
        psk: this.keys.psk,
        suites: [TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256],
        // FACTS §7.1: the camera's own hint is unknown; an empty one is allowed.
        identity: '',
        cookies: this.o.helloVerify ?? false,
        handshakeTimeoutMs: this.o.dtlsTimeoutMs,
        send: (d) => this.sendConn(conn, flavour.wrap(0, d)),
        decryptInPlace: true,
      });
      let failed = false;
      dtls.on('data', (r) => this.onAvRecord(conn, r));
      dtls.on('error', () => {
        failed = true;
        this.drops.count('device', 'dtls-error');
      });
      dtls.on('close', () => this.endConnection(conn, failed ? 'dtls-failed' : 'closed-by-client', false));
      return dtls;
    });
    this.conn = c;
    this.counters.connections++;
    c.timers.interval(this.o.keepaliveIntervalMs, () => {
      this.sendConn(c, flavour.keepalive());
      this.counters.keepalivesSent++;
    });
    c.timers.interval(Math.max(20, Math.min(1000, this.o.clientTimeoutMs / 4)), () => {
      if (Date.now() - c.lastRx >= this.o.clientTimeoutMs) this.endConnection(c, 'timeout');
    });
    this.emit('connection', { flavour: flavour.name, client: { ...client } });
  }

  private endConnection(c: DeviceConnection, reason: CameraDeviceEvents['disconnect'][0]['reason'], closeDtls = true): void {
    if (!c.alive) return;
    c.dtls.removeAllListeners('close');
    if (closeDtls) c.dtls.close();
    // From here on nothing reaches the wire: a silent end sends no close_notify.
    c.alive = false;
    c.timers.close();
    c.stream?.abort();
    c.stream = undefined;
    c.streaming = false;
    const back = c.backDtls;
    c.backDtls = undefined;
    back?.removeAllListeners('close');
    back?.close();
    c.dtls.close();
    if (this.conn === c) this.conn = undefined;
    this.emit('disconnect', { reason });
  }

  // ---- AV layer, channel 0 (FACTS §8, §14)

  private onAvRecord(c: DeviceConnection, r: Uint8Array): void {
    if (r.length < 2) {
      this.drops.count('av', 'short');
      return;
    }
    try {
      switch (u16le(r, 0)) {
        case AvMagic.Login1:
        case AvMagic.Login2: {
          const login = parseAvLogin(r);
          this.counters.logins++;
          c.resend ??= this.o.resend ?? (login.resend === 1 ? 1 : 0);
          // Both copies are answered; the client uses the first (FACTS §8.2).
          c.dtls.send(buildAvLoginResponse(Uint8Array.from(login.randomId), this.o.twoWayAudio));
          return;
        }
        case AvMagic.Ack:
          this.lastAckSeen = parseAck(r);
          this.counters.acksReceived++;
          return;
        case AvMagic.Control:
        case AvMagic.Ioctrl: {
          const f = parseIoctrlFrame(r);
          this.onIoctrl(c, r.length >= 32 ? u32le(r, 28) : 0, f.hl);
          return;
        }
        default:
          this.drops.count('av', 'unknown-magic');
      }
    } catch (e) {
      if (!(e instanceof TutkParseError)) throw e;
      this.drops.count(e.layer, e.reason);
    }
  }

  /** FACTS §8.5, §9, §14: answers by command; a resend of the same request gets the same reply. */
  private onIoctrl(c: DeviceConnection, cmdSeq: number, hl: HlMessage): void {
    this.counters.ioctrlRequests++;
    const cached = c.replies.get(cmdSeq);
    if (cached) {
      this.counters.ioctrlDuplicates++;
      c.dtls.send(cached);
      return;
    }
    let reply: Uint8Array;
    let then: (() => void) | undefined;
    switch (hl.cmd) {
      case KCmd.AuthRequest: {
        c.secret = randomFillSync(new Uint8Array(16));
        const status = this.o.authStatus;
        const keys = this.authKeys.kauthKeys.get(status);
        if (!keys) throw new KAuthStatusError(status);
        reply = buildK10001({ status, challenge: kauthEncrypt(keys, c.secret) });
        break;
      }
      case KCmd.ChallengeResponse: {
        const k = parseK10002(hl);
        const ok = c.secret !== undefined && kauthVerify(c.secret, k.response);
        if (ok) this.counters.authAccepted++;
        else this.counters.authRefused++;
        reply = buildK10003(k10003Json({ connectionRes: ok ? ConnectionRes.Ok : ConnectionRes.WrongKey, audio: true, video: true, basicInfo: { firmware: '4.52.9.4188', mac: this.o.mac.toUpperCase(), model: this.o.model, type: 'camera' } }));
        if (ok) {
          c.videoOn = k.video;
          c.audioOn = k.audio;
          // FACTS §6 step 8: the camera starts streaming on its own after K10003.
          then = () => this.startStreaming(c);
        }
        break;
      }
      case KCmd.ControlChannel: {
        const k = parseK10010(hl);
        reply = buildKReply(KCmd.ControlChannelReply);
        if (k.media === KMedia.Video) c.videoOn = k.enable;
        else if (k.media === KMedia.Audio) c.audioOn = k.enable;
        else if (k.media === KMedia.ReturnAudio) then = k.enable ? () => this.startBackchannel(c) : () => this.stopBackchannel(c);
        break;
      }
      case KCmd.SetResolution:
      case KCmd.SetResolutionDoorbell: {
        const req = hl.cmd === KCmd.SetResolution ? parseK10056(hl) : parseK10052(hl);
        reply = buildKReply(hl.cmd === KCmd.SetResolution ? KCmd.SetResolutionReply : KCmd.SetResolutionDoorbellReply);
        const q: DeviceQuality = req.frameSize === FrameSize.P360 ? 'sd' : 'hd';
        then = () => this.switchQuality(c, q);
        break;
      }
      default:
        this.drops.count('hl', 'unknown-command');
        return;
    }
    const frame = buildIoctrlFrame({ avSeq: c.camSeq++, cmdSeq, hl: reply, from: 'camera' });
    c.replies.set(cmdSeq, frame);
    if (c.replies.size > REPLY_CACHE) c.replies.delete(c.replies.keys().next().value!);
    c.dtls.send(frame);
    then?.();
  }

  // ---- media (FACTS §10, §14)

  private sourceFor(q: DeviceQuality): MediaSource {
    return (q === 'sd' ? this.o.sources.sd : undefined) ?? this.o.sources.hd;
  }

  private startStreaming(c: DeviceConnection): void {
    if (c.streaming || !c.alive) return;
    c.streaming = true;
    this.emit('streaming', c.quality);
    void this.pump(c);
  }

  private switchQuality(c: DeviceConnection, q: DeviceQuality): void {
    if (c.quality === q) return;
    c.quality = q;
    this.emit('quality', q);
    if (c.streaming) void this.pump(c);
  }

  /** Runs the current quality's source until it ends, the quality changes or the session ends. */
  private async pump(c: DeviceConnection): Promise<void> {
    c.stream?.abort();
    const ctl = new AbortController();
    c.stream = ctl;
    const quality = c.quality;
    // A fresh source starts at its own time 0; the stream's time must still go on forward (FACTS §10.4).
    let shift: number | undefined;
    try {
      for await (const f of this.sourceFor(quality).frames(ctl.signal)) {
        if (ctl.signal.aborted || !c.alive) break;
        shift ??= c.lastStreamUs === undefined ? 0 : c.lastStreamUs + FRAME_GAP_US - f.timestampUs;
        this.sendFrame(c, quality, shift === 0 ? f : { ...f, timestampUs: f.timestampUs + shift });
      }
    } catch {
      this.drops.count('device', 'source-error');
    } finally {
      if (c.stream === ctl) c.stream = undefined;
    }
  }

  private sendFrame(c: DeviceConnection, quality: DeviceQuality, f: MediaFrame): void {
    if (c.dtls.state !== 'connected') return;
    const video = f.kind === 'video';
    if (video ? !c.videoOn : !c.audioOn) return;
    const channel = video ? (f.keyframe ? MediaChannel.IFrame : MediaChannel.PFrame) : MediaChannel.Audio;
    // Frame numbers from 1, never 0 (FACTS §10.3); video frames linked by the previous-frame field.
    const frameNo = video ? ++c.videoNo : ++c.audioNo;
    c.lastStreamUs = f.timestampUs;
    let us: number;
    let sec: number;
    if (this.o.frameInfoTime === 'unix') {
      const abs = c.startUnixUs + f.timestampUs + this.clockOffsetUs;
      us = abs % 1_000_000;
      sec = Math.floor(abs / 1_000_000);
    } else {
      const t = f.timestampUs + this.clockOffsetUs;
      us = ((t % 1_000_000) + 1_000_000) % 1_000_000;
      sec = this.o.sessionMarker ?? Math.floor(c.startUnixUs / 1_000_000);
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
      deviceId: this.o.mac.toUpperCase(),
    };
    const resend = c.resend ?? 0;
    const packets = packetizeFrame(f.data, {
      channel,
      frameNo,
      prevFrameNo: frameNo - 1,
      frameInfo: info,
      txSeq: c.txSeq,
      counter: c.txSeq,
      resend,
      maxPayload: this.o.maxPacketPayload,
    });
    c.txSeq += packets.length;
    for (const p of packets) c.dtls.send(p);
    this.counters.framesSent++;
    this.counters.packetsSent += packets.length;
    this.emit('frame-sent', { quality, kind: f.kind, channel, frameNo, data: f.data, info, packets: packets.length, resend });
  }

  // ---- backchannel, channel 1 (FACTS §7.3, §11.2)

  private startBackchannel(c: DeviceConnection): void {
    this.stopBackchannel(c, false);
    const flavour = c.flavour;
    const dtls = new DtlsClient({
      psk: this.keys.psk,
      suites: [TLS_PSK_WITH_AES_128_CBC_SHA256],
      handshakeTimeoutMs: this.o.dtlsTimeoutMs,
      retransmitInitialMs: 300,
      send: (d) => this.sendConn(c, flavour.wrap(1, d)),
      decryptInPlace: true,
    });
    c.backDtls = dtls;
    c.intercomReady = false;
    dtls.on('connected', () => {
      const [l1, l2] = buildAvLoginPair({ password: this.keys.avLoginPassword, randomId: randomFillSync(new Uint8Array(4)) });
      dtls.send(l1);
      // FACTS §11.2: the second copy within 500 ms.
      c.timers.timeout(LOGIN_GAP_MS, () => {
        if (dtls.state === 'connected') dtls.send(l2);
      });
    });
    dtls.on('data', (r) => this.onBackRecord(c, r));
    dtls.on('error', () => this.drops.count('device', 'backchannel-dtls-error'));
    dtls.on('close', () => {
      if (c.backDtls === dtls) {
        c.backDtls = undefined;
        c.intercomReady = false;
        this.emit('intercom', 'stopped');
      }
    });
    dtls.start();
    this.emit('intercom', 'started');
  }

  private stopBackchannel(c: DeviceConnection, announce = true): void {
    const dtls = c.backDtls;
    if (!dtls) return;
    c.backDtls = undefined;
    c.intercomReady = false;
    dtls.close();
    if (announce) this.emit('intercom', 'stopped');
  }

  private onBackRecord(c: DeviceConnection, r: Uint8Array): void {
    if (r.length >= 2 && u16le(r, 0) === AvMagic.LoginResponse) {
      if (!c.intercomReady) {
        c.intercomReady = true;
        this.emit('intercom', 'ready');
      }
      return;
    }
    try {
      const a = parseAudioTxFrame(r);
      const record = Uint8Array.from(r);
      const got: ReceivedAudio = { ...a, payload: Uint8Array.from(a.payload), record };
      this.receivedAudio.push(got);
      this.counters.audioFramesReceived++;
      this.emit('audio-received', got);
    } catch (e) {
      if (!(e instanceof TutkParseError)) throw e;
      this.drops.count(e.layer, e.reason);
    }
  }
}

/** Every local IPv4 address, loopback included, so each gets its own socket (FACTS §2). */
function localIpv4Addresses(): string[] {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4') out.add(a.address);
  }
  return out.size ? [...out] : ['0.0.0.0'];
}
