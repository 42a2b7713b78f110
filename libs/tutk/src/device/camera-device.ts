/**
 * The camera side of the protocol: the emulator's core. This file binds the sockets, routes datagrams by
 * flavour, starts and replaces client sessions, and holds the controls tests use (reboot, clock jumps,
 * source-port moves) and the camera's settings (./control-state). A session (./device-connection) answers
 * K-commands through ./k-command-responder and ./k-command-handlers (controls: ./control-handlers), streams
 * through ./media-pump and runs the intercom in ./backchannel.
 */
import { EventEmitter } from 'node:events';
import { networkInterfaces } from 'node:os';
import { TutkParseError } from '../wire/parse-error';
import { deriveCameraKeys, type CameraKeys } from '../credentials/camera-keys';
import { isCc51 } from '../cc51/header';
import type { DeviceEvent, DeviceFlavour, FlavourName } from '../flavour/flavour';
import { OldFlavourDevice } from '../flavour/old';
import { Cc51FlavourDevice } from '../flavour/cc51';
import type { AvAck } from '../av/ack';
import { DEFAULT_MAX_PACKET_PAYLOAD } from '../frames/packetizer';
import { UdpTransport, type DatagramTransport, type PeerAddress } from '../session/transport';
import { ParseDropCounter } from '../session/drops';
import type { CameraState } from './camera-state';
import { CameraControlState } from './control-state';
import { DeviceConnection } from './device-connection';
import type { CameraDeviceEvents, CameraDeviceOptions, CameraDeviceStats, DeviceHost, DeviceQuality, DisconnectReason, ReceivedAudio, ResolvedDeviceOptions } from './device-types';

export type { CameraDeviceEvents, CameraDeviceOptions, CameraDeviceStats, DeviceQuality, ReceivedAudio, SentFrame } from './device-types';

const FIRMWARE = '4.52.9.4188';

/**
 * The camera side of the protocol, built from the same codecs as the client. Answers discovery and session
 * requests for the flavours it serves, runs the DTLS server on channel 0, the AV login, K-auth, K-commands
 * and streaming, the channel-1 backchannel as DTLS client, and pings (FACTS §14). One client session at a
 * time; a new session request replaces the old session.
 */
export class CameraDevice extends EventEmitter<CameraDeviceEvents> {
  /** Every intercom audio frame received, in order. */
  readonly receivedAudio: ReceivedAudio[] = [];
  private readonly o: ResolvedDeviceOptions;
  private readonly keys: CameraKeys;
  private readonly camera: CameraState;
  /** What this device lends its client sessions. */
  private readonly host: DeviceHost;
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
    controlsRefused: 0,
    authAccepted: 0,
    authRefused: 0,
    framesSent: 0,
    framesWithheld: 0,
    packetsSent: 0,
    packetsResent: 0,
    keepalivesSent: 0,
    keepalivesAnswered: 0,
    audioFramesReceived: 0,
    sessionsOverlapped: 0,
    concurrentSessionsMax: 0,
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
      pauseMediaAfterMs: options.pauseMediaAfterMs ?? 2000,
      clientTimeoutMs: options.clientTimeoutMs ?? 10_000,
      dtlsTimeoutMs: options.dtlsTimeoutMs ?? 5000,
      maxPacketPayload: options.maxPacketPayload ?? DEFAULT_MAX_PACKET_PAYLOAD,
    };
    this.keys = deriveCameraKeys(options.enr, options.uid, options.mac);
    this.camera = {
      mac: this.o.mac,
      model: this.o.model,
      firmware: FIRMWARE,
      authStatus: this.o.authStatus,
      authKeys: options.authEnr === undefined ? this.keys : deriveCameraKeys(options.authEnr, options.uid, options.mac),
      controls: new CameraControlState(),
      accessories: new Set(options.accessories ?? []),
    };
    this.host = {
      o: this.o,
      keys: this.keys,
      counters: this.counters,
      drops: this.drops,
      clockOffsetUs: () => this.clockOffsetUs,
      setClock: (unixMs) => (this.clockOffsetUs = Math.round((unixMs - Date.now()) * 1000)),
      emit: this.emit.bind(this),
      ackSeen: (ack) => (this.lastAckSeen = ack),
      send: (via, to, d) => this.send(via, to, d),
    };
    if (this.o.flavours !== 'new') this.old = new OldFlavourDevice(this.keys, { checkAuthKey: options.checkAuthKey });
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
    return c && { flavour: c.flavour.name, quality: c.state.quality, streaming: c.media.streaming, intercomReady: c.backchannel.ready, client: { ...c.client } };
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

  /** The settings control K-commands read and change (night vision, lights, PTZ position…), live. */
  get controls(): CameraControlState {
    return this.camera.controls;
  }

  /** The camera's clock (what K10090 reports and FRAMEINFO carries), ms since the Unix epoch. */
  clockNowMs(): number {
    return Date.now() + this.clockOffsetUs / 1000;
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
    this.conn?.end('device-closed', false);
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
    c.end('closed-by-client');
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
    this.conn?.end('device-closed', false);
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
        else if (!c.backchannel.handleDatagram(ev.payload)) this.drops.count('device', 'backchannel-not-started');
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
    const old = this.conn;
    const overlapped = !!old && Date.now() - old.lastRx < LIVE_CLIENT_MS && (old.client.address !== client.address || old.client.port !== client.port);
    if (overlapped) this.counters.sessionsOverlapped++;
    this.counters.concurrentSessionsMax = Math.max(this.counters.concurrentSessionsMax, overlapped ? 2 : 1);
    old?.end('replaced');
    const c = new DeviceConnection(this.host, this.camera, flavour, client, via, this.receivedAudio, (ended, reason) => this.onConnectionEnd(ended, reason));
    this.conn = c;
    this.counters.connections++;
    this.emit('connection', { flavour: flavour.name, client: { ...client } });
  }

  private onConnectionEnd(c: DeviceConnection, reason: DisconnectReason): void {
    if (this.conn === c) this.conn = undefined;
    this.emit('disconnect', { reason });
  }
}

/** A client that sent anything this recently is still talking (its keepalives come every second or so). */
const LIVE_CLIENT_MS = 2000;

/** Every local IPv4 address, loopback included, so each gets its own socket (FACTS §2). */
function localIpv4Addresses(): string[] {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4') out.add(a.address);
  }
  return out.size ? [...out] : ['0.0.0.0'];
}
