// Numbers and times as the pages show them: local time (a person's clock), sizes in decimal units.

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** 1234567 → "1.2 MB". */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${n < 0 ? '-' : ''}${v.toFixed(digits)} ${UNITS[u]}`;
}

/** Seconds → "45 s", "3 min 05 s", "2 h 04 min", "3 d 4 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** The seconds between two ISO times. */
export function secondsBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 1000;
}

/** An ISO time as local date and time, e.g. "15 Jan 2031, 13:04:05". */
export function formatTime(iso: string | null | undefined, opts: { seconds?: boolean; date?: boolean } = {}): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', ...(opts.seconds === false ? {} : { second: '2-digit' }) });
  if (opts.date === false) return time;
  return `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}, ${time}`;
}

/** A local calendar day (YYYY-MM-DD, as <input type=date> gives it) of a Date. */
export function localDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The API window [from, to) of a local calendar day (23 or 25 hours long on a DST change). */
export function dayWindow(day: string): { from: string; to: string } {
  const [y, m, d] = day.split('-').map(Number);
  return { from: new Date(y, m - 1, d).toISOString(), to: new Date(y, m - 1, d + 1).toISOString() };
}

/** A value for <input type=datetime-local> (local, to the second) of an ISO time, and back. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  return `${localDay(d)}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

export function fromLocalInput(value: string): string | undefined {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * A form's number field: blank is "no limit" (null), otherwise a positive number of `unit`s, whole
 * `scale`s of it; undefined when the text is not such a number.
 */
export function parseLimit(text: string, scale: number): number | null | undefined {
  const t = text.trim().replace(',', '.');
  if (t === '') return null;
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  const v = Math.round(Number(t) * scale);
  return v >= 1 && Number.isSafeInteger(v) ? v : undefined;
}

/** The text a limit field starts with: blank for no limit, else the value in its unit (at most 3 decimals). */
export function limitText(value: number | null | undefined, scale: number): string {
  if (value === null || value === undefined) return '';
  return String(Math.round((value / scale) * 1000) / 1000);
}

export const DAY_S = 86_400;
export const GB = 1e9;
