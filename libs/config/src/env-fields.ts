import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config.error';

// An env file line `API_TOKEN=` means "not set", not "set to the empty string".
export const unset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export function text(fallback: string) {
  return z.preprocess(unset, z.string().default(fallback));
}

/** A variable that `parse` turns into a value, or undefined with the complaint `problem(s)`; absent: undefined. */
function optionalParsed<T>(parse: (s: string) => T | undefined, problem: (s: string) => string) {
  return z.preprocess(
    unset,
    z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined) return undefined;
        const v = parse(s);
        if (v !== undefined) return v;
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem(s) });
        return z.NEVER;
      }),
  );
}

/** An integer in [min, max]; absent: undefined. */
export function optionalInteger(min: number, max: number) {
  return optionalParsed(
    (s) => {
      const n = /^\s*\d+\s*$/.test(s) ? Number(s) : NaN;
      return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
    },
    (s) => `expected an integer ${min}..${max}, got ${JSON.stringify(s)}`,
  );
}

export function integer(min: number, max: number, fallback: number) {
  return optionalInteger(min, max).transform((n) => n ?? fallback);
}

const ON = ['on', 'true', '1', 'yes'];
const OFF = ['off', 'false', '0', 'no'];

/** on|off, also true/false, 1/0, yes/no, in any case. */
export function flag(fallback: boolean) {
  return z.preprocess(
    unset,
    z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined) return fallback;
        const v = s.trim().toLowerCase();
        if (ON.includes(v)) return true;
        if (OFF.includes(v)) return false;
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected on or off, got ${JSON.stringify(s)}` });
        return z.NEVER;
      }),
  );
}

/** A decimal number in 0..1. */
export function fraction(fallback: number) {
  return z.preprocess(
    unset,
    z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined) return fallback;
        const raw = s.trim();
        const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
        if (n >= 0 && n <= 1) return n;
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected a number 0..1, got ${JSON.stringify(raw)}` });
        return z.NEVER;
      }),
  );
}

/** An http:// or https:// base URL (no query or fragment), without its trailing slash; absent: undefined. */
export function httpBaseUrl() {
  return optionalParsed(
    (s) => {
      let u: URL;
      try {
        u = new URL(s.trim());
      } catch {
        return undefined;
      }
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.search && !u.hash ? u.href.replace(/\/+$/, '') : undefined;
    },
    (s) => `expected an http:// or https:// base URL, got ${JSON.stringify(s)}`,
  );
}

/** Every issue of a failed parse, named by its variable. */
export function configErrorOf(error: z.ZodError, extra: readonly ConfigIssue[] = []): ConfigError {
  return new ConfigError([...error.issues.map((i) => ({ variable: String(i.path[0]), message: i.message })), ...extra]);
}
