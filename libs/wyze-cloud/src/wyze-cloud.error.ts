/**
 * Why a call to the Wyze cloud failed. Every code has a message written for the person running the
 * NVR; none ever carries a password, token, API key, ENR or request body.
 */
export type WyzeCloudErrorCode =
  /** The auth API refused the e-mail/password pair. */
  | 'wrong-password'
  /** The account has a second factor and no way to answer it was given. */
  | 'mfa-required'
  /** The second-factor code was refused. */
  | 'wrong-mfa-code'
  /** HTTP 429 still after the bounded retries. */
  | 'rate-limited'
  /** HTTP 403 from the web application firewall in front of the API (an HTML page, not JSON). */
  | 'blocked'
  /** Network error, DNS failure, refused connection or timeout. */
  | 'cloud-unreachable'
  /** Not JSON, or JSON of an unexpected shape. */
  | 'bad-response'
  /** The access token expired and refreshing it did not help: log in again. */
  | 'expired-token'
  /** No saved session, or one this SECRET_KEY cannot open: run `wyze-nvr cloud login`. */
  | 'not-logged-in'
  /** Any other refusal carrying the cloud's own code and message. */
  | 'rejected';

export interface WyzeCloudErrorDetails {
  /** HTTP status when there was an answer. */
  status?: number;
  /** The cloud's own `code`/`errorCode`, as text. */
  cloudCode?: string;
  /** Seconds the server asked us to wait (Retry-After). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class WyzeCloudError extends Error {
  override readonly name = 'WyzeCloudError';
  readonly status?: number;
  readonly cloudCode?: string;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: WyzeCloudErrorCode,
    message: string,
    details: WyzeCloudErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.status !== undefined) this.status = details.status;
    if (details.cloudCode !== undefined) this.cloudCode = details.cloudCode;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

export function isWyzeCloudError(e: unknown, code?: WyzeCloudErrorCode): e is WyzeCloudError {
  return e instanceof WyzeCloudError && (code === undefined || e.code === code);
}
