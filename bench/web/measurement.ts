import type { Browser } from 'playwright-core';
import type { WebDemo } from '../../test/support/web-app';

/** One figure bench:web prints. */
export interface Measurement {
  name: string;
  value: number;
  unit: string;
  /** The figure it should stay within, as the issue states it (e.g. "≤ 250 KB"). */
  target?: string;
  /** How it was measured (runs, what p50/p95 of). */
  note?: string;
}

/**
 * What a measurement may use, started on first use and shared by the measurements of one run: `demo` on a
 * fresh PostgreSQL database (seed it with `demo.query`), and Debian's Chromium.
 */
export interface WebBenchContext {
  demo(o?: { camera?: boolean }): Promise<WebDemo>;
  browser(): Promise<Browser>;
}

export type MeasurementFn = (ctx: WebBenchContext) => Promise<Measurement[]>;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
