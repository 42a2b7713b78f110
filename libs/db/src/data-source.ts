import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Extension, PGliteOptions } from '@electric-sql/pglite';
import { types as pgliteTypes } from '@electric-sql/pglite';
import { types as pgTypes } from 'pg';
import { DataSource, type Logger, type LoggerOptions } from 'typeorm';
import { embeddedDriver } from './embedded-driver';
import { entities } from './entities';
import { INT8_ARRAY_OID, INT8_OID, parseInt8, parseInt8Array } from './int8';
import { migrations } from './migrations';

export interface DataSourceConfig {
  /** `postgres://` or `postgresql://` URL of a PostgreSQL server. Without it the embedded database is used. */
  url?: string;
  /** Embedded database only: persisted under `<dataDir>/pglite`. Without it the embedded database lives in memory. */
  dataDir?: string;
  logging?: LoggerOptions;
  /** Receives what `logging` selects; TypeORM's console logger when absent. */
  logger?: Logger;
}

// moduleResolution "node" does not read package `exports`, so this subpath has to be required untyped.
const { btree_gist } = require('@electric-sql/pglite/contrib/btree_gist') as { btree_gist: Extension };

/** Per-pool type parsers for `pg`, so the process-wide `pg.types` stays untouched for other users of pg. */
const pgTypeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (format !== 'binary') {
      if (oid === INT8_OID) return parseInt8;
      if (oid === INT8_ARRAY_OID) return parseInt8Array;
    }
    return pgTypes.getTypeParser(oid, format as 'text');
  },
};

/**
 * A DataSource (not yet initialized) over the schema in ./migrations. Both drivers return int8
 * columns and COUNT(*) as JS numbers (see ./int8.ts). `synchronize` is off: the schema comes only
 * from migrations.
 */
export function createDataSource(config: DataSourceConfig = {}): DataSource {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    // The migrations create what they need (btree_gist); gen_random_uuid() is in core.
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
    logging: config.logging ?? false,
    ...(config.logger ? { logger: config.logger } : {}),
  };

  if (config.url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(config.url)) {
      throw new Error('database url must start with postgres:// or postgresql://');
    }
    return new DataSource({ ...common, url: config.url, extra: { types: pgTypeParsers } });
  }

  const pgliteOptions: PGliteOptions = {
    extensions: { btree_gist },
    parsers: { [pgliteTypes.INT8]: parseInt8, [INT8_ARRAY_OID]: parseInt8Array },
  };
  if (config.dataDir !== undefined) {
    const dir = join(config.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    pgliteOptions.dataDir = dir;
  }
  return new DataSource({ ...common, driver: embeddedDriver(pgliteOptions) });
}

/** Applies every pending migration, all in one transaction. Returns the names applied. */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  const applied = await ds.runMigrations({ transaction: 'all' });
  return applied.map((m) => m.name);
}

/** Reverts every applied migration, newest first. Returns how many were reverted. */
export async function revertAllMigrations(ds: DataSource): Promise<number> {
  let reverted = 0;
  while (await hasAppliedMigrations(ds)) {
    await ds.undoLastMigration({ transaction: 'each' });
    reverted++;
  }
  return reverted;
}

async function hasAppliedMigrations(ds: DataSource): Promise<boolean> {
  const table = ds.options.migrationsTableName ?? 'migrations';
  const runner = ds.createQueryRunner();
  try {
    if (!(await runner.hasTable(table))) return false;
    const rows: { n: number }[] = await runner.query(`SELECT count(*) AS n FROM "${table}"`);
    return rows[0].n > 0;
  } finally {
    await runner.release();
  }
}
