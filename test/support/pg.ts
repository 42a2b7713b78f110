import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  name: string;
  /** Drops the database, closing any sessions still connected to it. */
  drop(): Promise<void>;
}

/** Server to create test databases on; TEST_DATABASE_URL overrides it (its database is only used to connect). */
export function adminDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/**
 * Creates an empty database with a name unique to this call, so test files running in parallel
 * (here or in other checkouts using the same server) never share state.
 */
export async function createTestDatabase(prefix = 'wyze_nvr_test'): Promise<TestDatabase> {
  const admin = adminDatabaseUrl();
  const name = `${prefix}_${process.pid}_${randomBytes(6).toString('hex')}`.toLowerCase();
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unusable test database name: ${name}`);

  await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}"`));

  const url = new URL(admin);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
