/** The emulator's public options, events and stats, and what its parts share of the device. */
import type { EventEmitter } from 'node:events';
import type { AvAck } from '../av/ack';
import type { CameraKeys } from '../credentials/camera-keys';
import type { ControlName } from '../controls/model-capabilities';
import type { FlavourName } from '../flavour/flavour';
import type { AudioTxFrame } from '../frames/audio-tx';
import type { FrameInfo } from '../frames/frame-info';
import type { ParseDropCounter } from '../session/drops';
import type { DatagramTransport, PeerAddress } from '../session/transport';
import type { MediaSource } from './media-source';
import type { ResendBufferOptions } from './resend-buffer';

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
  /**
   * OLD: stay silent to a stage-1 disco whose AuthKey is not ours. Default false, as FACTS §4.4 and §14
   * describe OLD firmware: the UID is enough for a 0x0602, and a wrong ENR fails later, at DTLS.
   */
  checkAuthKey?: boolean;
  /**
   * A misbehaving camera, for tests of what a client makes of it: this media format (FACTS §10.1) whatever
   * the client's AV login asked for. Without it the camera answers in the format the login's [536-539]
   * asked for (FACTS §8.2), as a camera does; the login always says, so there is no default to choose.
   */
  forceResend?: 0 | 1;
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
  /**
   * A client silent this long (not one datagram: no ACK, which a client sends every 100 ms, FACTS §8.3, and
   * no keepalive answer, §4.6, §5.3) gets no media until it is heard again. Default 2000.
   */
  pauseMediaAfterMs?: number;
  /** A client silent this long is gone: its session ends. Default 10 000. */
  clientTimeoutMs?: number;
  dtlsTimeoutMs?: number;
  /** Frame bytes per media packet (FACTS §14: about 1 KiB). */
  maxPacketPayload?: number;
  /** Accessories fitted: 'spotlight' (the v3/v4 spotlight accessory); without it the camera ignores K10640/K10646. */
  accessories?: readonly ControlName[];
  /**
   * With resend = 1, resend the media records the client's ACKs have not covered (INFERRED model,
   * av/received-runs.ts); false: a camera that sends the wrapped format but never resends. Default on.
   */
  retransmission?: ResendBufferOptions | false;
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
  /** Control K-commands left unanswered: the model lacks the control (device/control-handlers.ts). */
  controlsRefused: number;
  authAccepted: number;
  authRefused: number;
  framesSent: number;
  /** Frames not sent because the client had gone silent ({@link CameraDeviceOptions.pauseMediaAfterMs}). */
  framesWithheld: number;
  packetsSent: number;
  /** Media records sent again for a client that had not acknowledged them (resend = 1), every copy counted. */
  packetsResent: number;
  keepalivesSent: number;
  keepalivesAnswered: number;
  audioFramesReceived: number;
  /**
   * New sessions that replaced one whose client was still talking (a datagram within the last
   * LIVE_CLIENT_MS, from another address): two clients at once, which a real camera resolves by dropping
   * the first. Several recorders must never cause one.
   */
  sessionsOverlapped: number;
  /** The most client sessions live at once: 1 normally, 2 once a session overlapped another. */
  concurrentSessionsMax: number;
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

export type DisconnectReason = CameraDeviceEvents['disconnect'][0]['reason'];

export type ResolvedDeviceOptions = CameraDeviceOptions &
  Required<Pick<CameraDeviceOptions, 'port' | 'host' | 'model' | 'flavours' | 'authStatus' | 'twoWayAudio' | 'frameInfoTime' | 'keepaliveIntervalMs' | 'pauseMediaAfterMs' | 'clientTimeoutMs' | 'dtlsTimeoutMs' | 'maxPacketPayload'>>;

export type DeviceCounters = Omit<CameraDeviceStats, 'drops'>;

/** What a client session and its parts use of the CameraDevice they belong to. */
export interface DeviceHost {
  readonly o: ResolvedDeviceOptions;
  readonly keys: CameraKeys;
  readonly counters: DeviceCounters;
  readonly drops: ParseDropCounter;
  /** How far the camera's clock has been stepped (CameraDevice.jumpClock, K10092). */
  clockOffsetUs(): number;
  /** K10092: the camera's clock reads `unixMs` now. */
  setClock(unixMs: number): void;
  emit: EventEmitter<CameraDeviceEvents>['emit'];
  /** The newest ACK from the client (CameraDevice.lastAck). */
  ackSeen(ack: AvAck): void;
  /** One datagram to `client` from `via`; nothing while the device is off or closed. */
  send(via: DatagramTransport, client: PeerAddress, d: Uint8Array): void;
}
