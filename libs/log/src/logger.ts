import pino from 'pino';
import { redactSecrets } from './redact-secrets';
import { secretRegistry, type SecretRegistry } from './secret-registry';

export type Logger = pino.Logger;
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** Where serialized lines go: anything with a `write(line)`; pino writes one whole line per call. */
export interface LogDestination {
  write(line: string): unknown;
  flush?(cb?: (err?: Error | null) => void): void;
  flushSync?(): void;
}

export interface CreateLoggerOptions {
  level?: LogLevel;
  /** The process or component: `recorder`, `api`. */
  name?: string;
  /** Defaults to stdout, written synchronously so that the last lines before a crash are not lost. */
  destination?: LogDestination;
  /** Defaults to the process-wide registry filled by registerSecret. */
  secrets?: SecretRegistry;
}

/** Conventional binding names for child loggers, so that every component filters the same way. */
export interface LogBindings {
  cameraId?: string;
  requestId?: string;
  jobId?: string;
  [key: string]: unknown;
}

/**
 * One JSON object per line: `{ level, time (ISO 8601), name, …bindings, msg }`. Sensitive field names
 * are redacted at any depth, then every registered secret is cut out of the finished line.
 */
export function createLogger(opts: CreateLoggerOptions = {}): Logger {
  const target = opts.destination ?? pino.destination({ dest: 1, sync: true });
  const stream = new RedactingStream(target, opts.secrets ?? secretRegistry);
  return pino(
    {
      name: opts.name,
      level: opts.level ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redactSecrets(bindings) as Record<string, unknown>,
        log: (obj) => redactSecrets(obj) as Record<string, unknown>,
      },
      // redactSecrets has already turned errors into plain objects; pino's own err serializer would
      // rename their type to "Object".
      serializers: { err: (err: unknown) => err },
    },
    stream,
  );
}

export function childLogger(logger: Logger, bindings: LogBindings): Logger {
  return logger.child(bindings);
}

export class RedactingStream implements LogDestination {
  constructor(
    private readonly target: LogDestination,
    private readonly secrets: SecretRegistry,
  ) {}

  write(line: string): unknown {
    return this.target.write(this.secrets.redact(line));
  }

  flush(cb?: (err?: Error | null) => void): void {
    if (this.target.flush) this.target.flush(cb);
    else cb?.(null);
  }

  flushSync(): void {
    this.target.flushSync?.();
  }
}
