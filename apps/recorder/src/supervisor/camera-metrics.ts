import { videoFramesLost, type CameraSessionStats } from '@wyze-nvr/tutk';

/** 'degraded': connected, but frames cannot be written (disk full or failing); a gap is open meanwhile. */
export type CameraState = 'starting' | 'connecting' | 'recording' | 'degraded' | 'backoff' | 'stopped';

/** What a camera's supervisor needs to dial it (the ENR only in memory, and never logged). */
export interface CameraTarget {
  id: number;
  name: string;
  uid: string;
  enr: string;
  mac: string;
  ip: string | null;
  port: number | null;
  model: string;
  quality: 'hd' | 'sd';
}

/** Live figures of one camera, read by the metrics endpoint, the status writer and the demo API. */
export interface CameraMetrics {
  cameraId: number;
  name: string;
  state: CameraState;
  videoFrames: number;
  audioFrames: number;
  /** Bytes written to segment files. */
  bytes: number;
  segments: number;
  reconnects: number;
  sessions: number;
  /** Wall-clock µs of the newest recorded frame. */
  lastFrameUs: number | null;
  lastError: string | null;
  clockMode: string;
  clockJumps: number;
  gapOpen: boolean;
  indexPending: number;
  /** The session's UDP receive buffer as the OS granted it (null before a session). */
  receiveBufferBytes: number | null;
  /** Times clock sync set the camera's clock (K10092). */
  clockCorrections: number;
  /** Camera clock − host clock found by the last clock sync, seconds (null before one). */
  clockOffsetSeconds: number | null;
  /** Frame drops by reason: assembler (`assembler:<reason>`), session, slow consumer, segmenter. */
  framesDropped: Record<string, number>;
  packetsDropped: Record<string, number>;
  /** Resend = 1: missing packets the sessions' ACKs asked the camera for, and those that came (INFERRED model). */
  resendRequests: number;
  packetsRecovered: number;
  /** Video frames lost to the network: never seen, incomplete, or withheld after a loss until the next keyframe. */
  framesLostToLoss: number;
  /** network_loss gaps written inside a session: from a lost frame to the keyframe that resumed video. */
  lossGaps: number;
}

/** The loss figures of one session's stats, as CameraMetrics counts them. */
export function sessionLoss(s: CameraSessionStats): Pick<CameraMetrics, 'resendRequests' | 'packetsRecovered' | 'framesLostToLoss'> {
  return { resendRequests: s.retransmission.requested, packetsRecovered: s.retransmission.recovered, framesLostToLoss: videoFramesLost(s.assembler) };
}

export const addInto = (into: Record<string, number>, key: string, n: number): void => {
  if (n > 0) into[key] = (into[key] ?? 0) + n;
};

/**
 * The fields of a camera that may be logged. Loggers get this, never a CameraTarget: the ENR must not
 * depend on the log redactor recognising it. The UID is an identifier (it names the camera in bug reports);
 * alone it opens no session.
 */
export function describeCamera(c: Readonly<CameraTarget>): { id: number; name: string; uid: string; model: string; ip: string | null; port: number | null; quality: string } {
  return { id: c.id, name: c.name, uid: c.uid, model: c.model, ip: c.ip, port: c.port, quality: c.quality };
}
