import { mkdirSync } from 'node:fs';
import {
  ConfigError,
  configSecrets,
  loadConfig,
  redactConfig,
  resolveSecretKey,
  type AppConfig,
  type RequirableVariable,
} from '@wyze-nvr/config';
import { createDataSource, runMigrations } from '@wyze-nvr/db';
import { createLogger, registerSecret, type Logger } from '@wyze-nvr/log';
import type { DataSource } from 'typeorm';

/** Arbitrary constant key for pg_advisory_lock: the recorder and the API may start together. */
const MIGRATION_LOCK = 0x77797a65;

export interface Runtime {
  config: AppConfig;
  secretKey: Uint8Array;
  logger: Logger;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * Loads and validates the environment. On a bad value prints every problem, naming the variable, and
 * returns undefined so the caller exits non-zero. Every secret is registered for log redaction before
 * anything is logged.
 */
export function loadConfigOrReport<R extends RequirableVariable = never>(
  name: string,
  env: Record<string, string | undefined>,
  require: R[] = [],
): AppConfig | undefined {
  try {
    const config = loadConfig(env, { require });
    for (const s of configSecrets(config)) registerSecret(s);
    return config;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`wyze-nvr ${name}: configuration error\n${e.message}\n`);
      return undefined;
    }
    throw e;
  }
}

/** Opens the database (applying pending migrations under an advisory lock) and a logger. */
export async function openRuntime(name: string, config: AppConfig, opts: { migrate?: boolean } = {}): Promise<Runtime> {
  const logger = createLogger({ name, level: config.logLevel });
  const secretKey = resolveSecretKey(config);
  registerSecret(Buffer.from(secretKey).toString('hex'));
  logger.info({ config: redactConfig(config) }, 'starting');
  mkdirSync(config.dataDir, { recursive: true });
  const dataSource = createDataSource({ url: config.databaseUrl, dataDir: config.dataDir });
  await dataSource.initialize();
  if (opts.migrate !== false && !config.databaseUrl) {
    // The embedded database belongs to this one process: nobody to race with.
    const applied = await runMigrations(dataSource);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  } else if (opts.migrate !== false) {
    const qr = dataSource.createQueryRunner();
    try {
      await qr.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const applied = await runMigrations(dataSource);
      if (applied.length) logger.info({ applied }, 'migrations applied');
    } finally {
      await qr.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      await qr.release();
    }
  }
  return {
    config,
    secretKey,
    logger,
    dataSource,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
