import type { FrameAssemblerOptions } from '../frames/assembler';
import type { DatagramTransport } from '../session/transport';

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
  /**
   * AV login [536-539]; go2rtc always asks for 0, the direct media format (FACTS §10.1). 1 asks for the
   * wrapped format and the camera's retransmission (INFERRED model, av/received-runs.ts). Media in either
   * format is taken whatever was asked.
   */
  resend?: 0 | 1;
  /** With resend = 1: how long a missing packet or frame is waited for before it is given up (default 400 ms). */
  resendWaitMs?: number;
  assembler?: FrameAssemblerOptions;
  signal?: AbortSignal;
  /** A transport of your own (not closed by the session); by default a fresh UDP socket. */
  socket?: DatagramTransport;
  /**
   * Asked before every datagram the session sends; false withholds it (counted as `packetsWithheld`). A
   * recorder whose right to the camera may have lapsed (its process was paused past its lease) must not
   * talk to a camera another recorder may be connected to by then.
   */
  maySend?: () => boolean;
}

/** ConnectOptions with every default filled in; `socket` stays with the caller. */
export type ResolvedConnectOptions = Required<Omit<ConnectOptions, 'socket' | 'signal' | 'model' | 'assembler' | 'maySend'>> & Pick<ConnectOptions, 'signal' | 'assembler' | 'maySend'> & { model: string };

export function resolveConnectOptions(options: ConnectOptions): ResolvedConnectOptions {
  const ms = (v: number | undefined, d: number) => (v === undefined ? d : v);
  return {
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
    resendWaitMs: ms(options.resendWaitMs, 400),
    assembler: options.assembler,
    signal: options.signal,
    maySend: options.maySend,
  };
}
