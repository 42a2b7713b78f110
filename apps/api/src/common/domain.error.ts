/** A field and what is wrong with it, as answered to the client. */
export interface FieldError {
  field: string;
  reason: string;
}

/**
 * Every error the API answers on purpose. The code decides the HTTP status (ApiExceptionFilter); the
 * message is written for the client and must never hold a secret, a path on disk or a stack.
 */
export const ERROR_STATUS = {
  'validation-failed': 400,
  'invalid-range': 400,
  'range-too-long': 400,
  'invalid-json': 400,
  unauthorized: 401,
  'invalid-token': 401,
  'session-expired': 401,
  'csrf-refused': 403,
  'origin-refused': 403,
  'cloud-expired-token': 401,
  'camera-not-found': 404,
  'segment-not-found': 404,
  'export-not-found': 404,
  'job-not-found': 404,
  'not-found': 404,
  'control-not-found': 404,
  'no-footage': 404,
  'camera-exists': 409,
  'camera-in-use': 409,
  'stream-config-changed': 409,
  'export-not-ready': 409,
  'cloud-not-logged-in': 409,
  'payload-too-large': 413,
  'range-not-satisfiable': 416,
  'upgrade-required': 426,
  'no-recordings': 422,
  'cloud-login-refused': 422,
  'cloud-mfa-refused': 422,
  'cloud-mfa-unsupported': 422,
  'segment-damaged': 422,
  'control-not-supported': 422,
  'control-read-only': 422,
  'cloud-rate-limited': 429,
  'too-many-viewers': 429,
  'cloud-unavailable': 502,
  'recorder-unavailable': 502,
  'camera-refused': 502,
  'camera-bad-reply': 502,
  'camera-not-recording': 503,
  'no-keyframe-yet': 503,
  'camera-no-answer': 504,
  'file-missing': 410,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  static field(code: ErrorCode, field: string, reason: string): DomainError {
    return new DomainError(code, `${field}: ${reason}`, { errors: [{ field, reason }] });
  }
}
