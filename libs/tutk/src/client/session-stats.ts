import type { DtlsStats } from '../dtls/dtls-endpoint';
import type { FlavourName } from '../flavour/flavour';
import type { FrameAssemblerStats } from '../frames/assembler';
import type { RetransmissionStats } from './media-receiver';

export type { RetransmissionStats };

/** Whole microseconds since `t` (a performance.now() value). */
export const usSince = (t: number): number => Math.round((performance.now() - t) * 1000);

/** Whole milliseconds of each of `us`. */
export function timingsInMs(us: HandshakeTimings): HandshakeTimings {
  const ms: HandshakeTimings = {};
  for (const [k, v] of Object.entries(us) as [keyof HandshakeTimings, number][]) ms[k] = Math.round(v / 1000);
  return ms;
}

/**
 * How long each handshake phase took (FACTS §6), on the monotonic clock, and two totals. The phases follow
 * on from one another without gaps, the first from connect(), so they add up to `authDone`.
 */
export interface HandshakeTimings {
  discovery?: number;
  session?: number;
  dtls?: number;
  avLogin?: number;
  auth?: number;
  resolution?: number;
  /** From connect() to K-auth done (FACTS §6 step 6): the figure compared with go2rtc in bench:tutk. */
  authDone?: number;
  /** From connect() to its end. */
  total?: number;
}

export interface CameraSessionStats {
  flavour: FlavourName | undefined;
  twoWayAudio: boolean;
  packetsIn: number;
  bytesIn: number;
  packetsOut: number;
  bytesOut: number;
  /** Datagrams not sent because ConnectOptions.maySend said no. */
  packetsWithheld: number;
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
  /** In whole milliseconds. */
  handshakeMs: HandshakeTimings;
  /** The same in microseconds, for measuring (bench:tutk). */
  handshakeUs: HandshakeTimings;
  /** The channel-0 DTLS cipher suite agreed on (FACTS §7.2), once known. */
  dtlsSuite: string | undefined;
  /** K10001 status the camera asked for (FACTS §9.2: 1, 3 or 6), once known. */
  authStatus: number | undefined;
  dtls: DtlsStats | undefined;
  backchannelDtls: DtlsStats | undefined;
  assembler: FrameAssemblerStats;
  /** Resend = 1 (INFERRED model): the format the camera sends, resend requests and packets recovered. */
  retransmission: RetransmissionStats;
}

/** The plain counters of {@link CameraSessionStats}, in its order; the session and its parts bump them in place. */
export function sessionCounters() {
  return {
    packetsIn: 0,
    bytesIn: 0,
    packetsOut: 0,
    bytesOut: 0,
    packetsWithheld: 0,
    foreignPackets: 0,
    portChanges: 0,
    keepalivesAnswered: 0,
    acksSent: 0,
    records: 0,
    framesDelivered: 0,
    framesDroppedSlowConsumer: 0,
    audioFramesSent: 0,
  };
}
