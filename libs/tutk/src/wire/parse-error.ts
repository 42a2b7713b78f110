/**
 * The one error every tutk parser throws on malformed input. Callers count it by `layer` and drop the
 * packet; anything else escaping a parser is a bug (the fuzz tests hold every parser to this).
 */
export class TutkParseError extends Error {
  constructor(
    /** Protocol layer that rejected the input, e.g. 'transcode', 'iotc', 'cc51', 'dtls', 'av', 'frame'. */
    readonly layer: string,
    /** Short machine-friendly reason, used as a metrics label (e.g. 'short', 'bad-magic', 'bad-hmac'). */
    readonly reason: string,
    detail?: string,
  ) {
    super(`${layer}: ${reason}${detail ? ` (${detail})` : ''}`);
    this.name = 'TutkParseError';
  }
}
