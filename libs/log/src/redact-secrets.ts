import { REDACTED } from './secret-registry';

/** Field names whose values are secrets, compared case-insensitively with `_` and `-` removed. */
export const SENSITIVE_KEYS = ['enr', 'password', 'passwd', 'token', 'apikey', 'secret', 'secretkey', 'privatekey', 'authorization', 'psk', 'cookie'] as const;

const MAX_DEPTH = 8;

/**
 * True for `enr`, `password`, `api_key`, `Authorization`… and for names ending in one of them
 * (`accessToken`, `refresh_token`, `cameraEnr`, `clientSecret`, `set-cookie`).
 */
export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_]/g, '');
  return SENSITIVE_KEYS.some((s) => k === s || k.endsWith(s));
}

/**
 * A copy of `value` with sensitive fields replaced by "[redacted]" at any depth, and every Error turned
 * into a plain `{ type, message, stack, code, cause, …own fields }` so that JSON shows it. Objects that
 * need no change are returned as they are, not copied. Strings are not searched: that is the job of the
 * secret registry on the log stream.
 */
export function redactSecrets(value: unknown): unknown {
  return redact(value, 0, new WeakSet());
}

function redact(value: unknown, depth: number, ancestors: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH || ancestors.has(value)) return value;
  if (value instanceof Error) return errorObject(value, depth, ancestors);
  if (isOpaque(value)) return value;

  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      value.forEach((item, i) => {
        const r = redact(item, depth + 1, ancestors);
        if (r !== item) (out ??= value.slice())[i] = r;
      });
      return out ?? value;
    }
    let out: Record<string, unknown> | undefined;
    const source = value as Record<string, unknown>;
    for (const key of Object.keys(source)) {
      const item = source[key];
      const r = item != null && isSensitiveKey(key) ? REDACTED : redact(item, depth + 1, ancestors);
      // A class instance (an entity with an `enr` column) becomes a plain object: JSON would only
      // have written its own enumerable fields anyway.
      if (r !== item) (out ??= { ...source })[key] = r;
    }
    return out ?? value;
  } finally {
    ancestors.delete(value);
  }
}

function errorObject(err: Error, depth: number, ancestors: WeakSet<object>): Record<string, unknown> {
  ancestors.add(err);
  try {
    const out: Record<string, unknown> = { type: err.constructor?.name ?? err.name, message: err.message, stack: err.stack };
    if (err.name !== out.type) out.name = err.name;
    for (const key of Object.keys(err)) {
      const item = (err as unknown as Record<string, unknown>)[key];
      out[key] = item != null && isSensitiveKey(key) ? REDACTED : redact(item, depth + 1, ancestors);
    }
    if (err.cause !== undefined) out.cause = redact(err.cause, depth + 1, ancestors);
    if (err instanceof AggregateError) out.errors = redact(err.errors, depth + 1, ancestors);
    return out;
  } finally {
    ancestors.delete(err);
  }
}

function isOpaque(value: object): boolean {
  return (
    ArrayBuffer.isView(value) ||
    value instanceof ArrayBuffer ||
    value instanceof Date ||
    value instanceof RegExp ||
    value instanceof Map ||
    value instanceof Set ||
    value instanceof Promise ||
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}
