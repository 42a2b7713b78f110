export type TutkSessionPhase = 'discovery' | 'session' | 'dtls' | 'av-login' | 'auth' | 'streaming' | 'intercom';

export type TutkSessionErrorCode =
  /** No valid discovery reply from the camera's IP in time (FACTS §6 step 1). */
  | 'discovery-timeout'
  /** The camera answered discovery but not the session request (FACTS §4.3, §5.2). */
  | 'session-timeout'
  /** The DTLS handshake failed or timed out for a reason other than the key. */
  | 'dtls-failed'
  /** The DTLS PSKs differ, that is the ENR is wrong (FACTS §7.1). */
  | 'wrong-key'
  /** K10003 said connectionRes "2", or K10001 carried a status we cannot answer (FACTS §9.2, §9.3). */
  | 'auth-refused'
  /** A required answer (0x2100, K10001, K10003, K10011, the channel-1 login) did not come in time. */
  | 'login-timeout'
  /** The camera ended the DTLS connection (close_notify or an alert, FACTS §7.2). */
  | 'camera-closed'
  /** Nothing at all from the camera for keepaliveTimeoutMs. */
  | 'camera-lost'
  /** The caller's AbortSignal fired. */
  | 'aborted';

/**
 * The one error a {@link CameraSession} reports. The message names the phase and what went wrong; it never
 * carries the ENR or anything derived from it.
 */
export class TutkSessionError extends Error {
  constructor(
    readonly phase: TutkSessionPhase,
    readonly code: TutkSessionErrorCode,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${phase}: ${code}: ${detail}`, options);
    this.name = 'TutkSessionError';
  }
}
