/**
 * API times: ISO 8601 in UTC with a `Z`, at most microsecond precision (ARCHITECTURE.md: µs inside,
 * ISO 8601 outside). Offsets other than Z are refused rather than converted, so every time a client
 * sends reads the same in logs, URLs and answers.
 */
const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z$/;

export const ISO_UTC_EXAMPLE = '2025-01-31T13:45:00Z';

/** µs since the Unix epoch, or undefined when `text` is not a valid ISO 8601 UTC time. */
export function parseIsoUs(text: string): number | undefined {
  const m = ISO_UTC.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2025-02-30 over into March; a date that does not round-trip does not exist.
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  const micros = m[7] ? Number(m[7].padEnd(6, '0')) : 0;
  return ms * 1000 + micros;
}

/** ISO 8601 UTC with six fraction digits: `2025-01-31T13:45:00.000000Z`. */
export function formatIsoUs(us: number): string {
  const seconds = Math.floor(us / 1e6);
  const micros = us - seconds * 1e6;
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}

export function formatIsoOrNull(us: number | null | undefined): string | null {
  return us === null || us === undefined ? null : formatIsoUs(us);
}
