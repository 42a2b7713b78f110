import { alertName } from './constants';

export type DtlsErrorCode =
  /** The handshake did not finish within handshakeTimeoutMs. */
  | 'handshake-timeout'
  /** The peer's Finished failed to authenticate or verify, or the peer said so: the PSKs differ. */
  | 'bad-psk'
  /** The peer sent a fatal alert (see `alert`). */
  | 'alert'
  /** The peer broke the protocol: unexpected message, bad field, unsupported choice. */
  | 'protocol'
  /** The peer chose something we do not implement (suite, group, compression). */
  | 'unsupported'
  /** send() before the handshake finished or after close. */
  | 'not-connected';

export class DtlsError extends Error {
  constructor(
    readonly code: DtlsErrorCode,
    message: string,
    /** The alert description number, for code 'alert' (and 'bad-psk' when an alert said so). */
    readonly alert?: number,
  ) {
    super(alert === undefined ? message : `${message} (${alertName(alert)})`);
    this.name = 'DtlsError';
  }
}
