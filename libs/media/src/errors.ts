/** Why a media input was rejected. Callers count these per camera; they never crash the pipeline. */
export type MediaParseErrorCode =
  | 'truncated' // a read ran past the end of the input
  | 'invalid' // a field holds a value the spec forbids or we cannot represent
  | 'unsupported' // valid, but outside what this library handles
  | 'missing'; // a required element (SPS, sample entry, box) is absent

/** A malformed or unsupported media input (bitstream, ADTS header, MP4 box). */
export class MediaParseError extends Error {
  override readonly name = 'MediaParseError';
  constructor(
    readonly code: MediaParseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The caller asked the writer for something its tracks cannot take (wrong order, config change, no track). */
export class MediaWriteError extends Error {
  override readonly name = 'MediaWriteError';
  constructor(
    readonly code: 'no-track' | 'config-changed' | 'too-large' | 'not-keyframe' | 'mismatch',
    message: string,
  ) {
    super(message);
  }
}
