import { resolve, join } from 'node:path';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config.error';
import { configErrorOf, integer, text, unset } from './env-fields';
import { parseSecretKey } from './secret-key';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Variables that are optional in general but that a given process can demand (the API needs a token). */
export type RequirableVariable = 'API_TOKEN' | 'SECRET_KEY' | 'DATABASE_URL' | 'REDIS_URL';

export interface AppConfig {
  /** Absent: the embedded PGlite database under dataDir. */
  readonly databaseUrl: string | undefined;
  /** Absent: jobs run in-process. */
  readonly redisUrl: string | undefined;
  /** Absolute. */
  readonly dataDir: string;
  /** Absolute. */
  readonly recordingsDir: string;
  readonly apiHost: string;
  readonly apiPort: number;
  readonly apiToken: string | undefined;
  /** A web app session (cookie) ends after this long unused; each use moves the end on. */
  readonly sessionIdleSeconds: number;
  /** 32 bytes; absent: see loadOrCreateSecretKey. */
  readonly secretKey: Uint8Array | undefined;
  readonly logLevel: LogLevel;
  /** Target length of one recording file; a file is cut at the first keyframe after it. */
  readonly segmentSeconds: number;
}

// Written `'X' extends R` so that R = never (nothing required) yields plain AppConfig.
type Provided<R extends RequirableVariable> = ('API_TOKEN' extends R ? { readonly apiToken: string } : unknown) &
  ('SECRET_KEY' extends R ? { readonly secretKey: Uint8Array } : unknown) &
  ('DATABASE_URL' extends R ? { readonly databaseUrl: string } : unknown) &
  ('REDIS_URL' extends R ? { readonly redisUrl: string } : unknown);

const REQUIRABLE_FIELD: Record<RequirableVariable, keyof AppConfig> = {
  API_TOKEN: 'apiToken',
  SECRET_KEY: 'secretKey',
  DATABASE_URL: 'databaseUrl',
  REDIS_URL: 'redisUrl',
};

export const API_TOKEN_MIN_LENGTH = 16;

/** The value is never echoed: a connection URL may carry a password. */
function connectionUrl(schemes: readonly string[]) {
  const expected = `expected a ${schemes.map((p) => `${p}//`).join(' or ')} URL`;
  return z.preprocess(
    unset,
    z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined) return undefined;
        let url: URL;
        try {
          url = new URL(s.trim());
        } catch {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${expected}; the value is not a URL` });
          return z.NEVER;
        }
        if (!schemes.includes(url.protocol)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${expected}, got scheme ${JSON.stringify(url.protocol)}` });
          return z.NEVER;
        }
        return s.trim();
      }),
  );
}

const apiToken = z.preprocess(
  unset,
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return undefined;
      if (s.length >= API_TOKEN_MIN_LENGTH) return s;
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must be at least ${API_TOKEN_MIN_LENGTH} characters, got ${s.length}`,
      });
      return z.NEVER;
    }),
);

const secretKey = z.preprocess(
  unset,
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return undefined;
      const key = parseSecretKey(s);
      if (key) return key;
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `expected 32 bytes as 64 hex characters or base64, got ${s.trim().length} characters`,
      });
      return z.NEVER;
    }),
);

const logLevel = z.preprocess(
  unset,
  z
    .string()
    .optional()
    .transform((s, ctx): LogLevel => {
      if (s === undefined) return 'info';
      const level = s.trim().toLowerCase();
      if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected one of ${LOG_LEVELS.join('|')}, got ${JSON.stringify(s)}` });
      return z.NEVER;
    }),
);

const host = z.preprocess(
  unset,
  z
    .string()
    .default('127.0.0.1')
    .refine((s) => !/\s/.test(s), (s) => ({ message: `expected a host name or IP address, got ${JSON.stringify(s)}` })),
);

const environment = z.object({
  DATABASE_URL: connectionUrl(['postgres:', 'postgresql:']),
  REDIS_URL: connectionUrl(['redis:', 'rediss:']),
  DATA_DIR: text('./data'),
  RECORDINGS_DIR: z.preprocess(unset, z.string().optional()),
  API_HOST: host,
  API_PORT: integer(1, 65535, 8080),
  API_TOKEN: apiToken,
  API_SESSION_IDLE_SECONDS: integer(60, 366 * 86_400, 7 * 86_400),
  SECRET_KEY: secretKey,
  LOG_LEVEL: logLevel,
  SEGMENT_SECONDS: integer(1, 3600, 60),
});

export interface LoadConfigOptions<R extends RequirableVariable> {
  require?: readonly R[];
}

/**
 * Parses and validates the environment once, at startup. Throws ConfigError naming every bad variable;
 * messages never contain the value of API_TOKEN, SECRET_KEY or a connection URL.
 */
export function loadConfig<R extends RequirableVariable = never>(
  env: Record<string, string | undefined> = process.env,
  opts: LoadConfigOptions<R> = {},
): AppConfig & Provided<R> {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const absent: ConfigIssue[] = (opts.require ?? []).filter((name) => unset(env[name]) === undefined).map((variable) => ({ variable, message: 'required but not set' }));
    throw configErrorOf(parsed.error, absent);
  }
  const v = parsed.data;
  const dataDir = resolve(v.DATA_DIR);
  const config: AppConfig = {
    databaseUrl: v.DATABASE_URL,
    redisUrl: v.REDIS_URL,
    dataDir,
    recordingsDir: v.RECORDINGS_DIR === undefined ? join(dataDir, 'recordings') : resolve(v.RECORDINGS_DIR),
    apiHost: v.API_HOST,
    apiPort: v.API_PORT,
    apiToken: v.API_TOKEN,
    sessionIdleSeconds: v.API_SESSION_IDLE_SECONDS,
    secretKey: v.SECRET_KEY,
    logLevel: v.LOG_LEVEL,
    segmentSeconds: v.SEGMENT_SECONDS,
  };
  const missing = (opts.require ?? []).filter((name) => config[REQUIRABLE_FIELD[name]] === undefined);
  if (missing.length) throw new ConfigError(missing.map((variable) => ({ variable, message: 'required but not set' })));
  return Object.freeze(config) as AppConfig & Provided<R>;
}
