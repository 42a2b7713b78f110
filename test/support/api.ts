// An API process for e2e tests: a fresh PostgreSQL database with the real migrations, a unique Redis
// prefix (BullMQ) or in-process jobs, temp DATA_DIR/RECORDINGS_DIR, listening on 127.0.0.1:0.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@wyze-nvr/config';
import { CameraEntity, createDataSource, runMigrations } from '@wyze-nvr/db';
import { createLogger, type Logger } from '@wyze-nvr/log';
import type { WyzeCloudClient } from '@wyze-nvr/wyze-cloud';
import IORedis from 'ioredis';
import type { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/src/api.app';
import type { ApiDeps } from '../../apps/api/src/api.deps';
import { createTestDatabase, type TestDatabase } from './pg';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestApi {
  url: string;
  token: string;
  secretKey: Buffer;
  ds: DataSource;
  app: INestApplication;
  dataDir: string;
  recordingsDir: string;
  /** Log lines the API wrote (JSON). */
  logs: string[];
  request(method: string, path: string, opts?: { body?: unknown; rawBody?: string; headers?: Record<string, string>; token?: string | null }): Promise<Response>;
  json<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export interface StartApiOptions {
  redis?: boolean;
  jobs?: ApiDeps['jobs'];
  cloudClient?: WyzeCloudClient;
  now?: () => number;
  /** SECRET_KEY (default: random); the recorder's, when the API talks to it (live view). */
  secretKey?: Buffer;
  /** Serve an existing database (migrated) and data directory, e.g. where the recorder wrote footage; close() drops and removes them. */
  existing?: { db: TestDatabase; dataDir: string; recordingsDir: string };
}

export async function startTestApi(opts: StartApiOptions = {}): Promise<TestApi> {
  const db: TestDatabase = opts.existing?.db ?? (await createTestDatabase('wyze_nvr_api'));
  const dataDir = opts.existing?.dataDir ?? mkdtempSync(join(tmpdir(), 'nvr-api-data-'));
  const recordingsDir = opts.existing?.recordingsDir ?? join(dataDir, 'recordings');
  const token = randomBytes(24).toString('hex');
  const secretKey = opts.secretKey ?? randomBytes(32);
  const config = loadConfig(
    {
      DATA_DIR: dataDir,
      RECORDINGS_DIR: recordingsDir,
      API_TOKEN: token,
      DATABASE_URL: db.url,
      ...(opts.redis ? { REDIS_URL } : {}),
    },
    { require: ['API_TOKEN'] },
  );
  const ds = createDataSource({ url: db.url });
  await ds.initialize();
  await runMigrations(ds);
  const logs: string[] = [];
  const logger: Logger = createLogger({ name: 'api-test', level: 'info', destination: { write: (line: string) => void logs.push(line) } });
  const prefix = `nvr-test-${randomBytes(6).toString('hex')}`;
  const app = await createApiApp(
    { config, dataSource: ds, secretKey, logger, jobs: { prefix, ...opts.jobs }, retentionIntervalMs: 0, cloudClient: opts.cloudClient, now: opts.now },
    false,
  );
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  const request: TestApi['request'] = (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    const t = o.token === undefined ? token : o.token;
    if (t !== null) headers.authorization = `Bearer ${t}`;
    let body: string | undefined;
    if (o.rawBody !== undefined) body = o.rawBody;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    return fetch(`${url}${path}`, { method, headers, body });
  };

  return {
    url,
    token,
    secretKey,
    ds,
    app,
    dataDir,
    recordingsDir,
    logs,
    request,
    async json<T>(method: string, path: string, body?: unknown) {
      const res = await request(method, path, { body });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async close() {
      await app.close();
      await ds.destroy();
      await db.drop();
      if (opts.redis) await deleteRedisPrefix(prefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function deleteRedisPrefix(prefix: string): Promise<void> {
  const r = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

export async function addCamera(ds: DataSource, n: number, enrEncrypted = 'v1:AAAA'): Promise<CameraEntity> {
  const repo = ds.getRepository(CameraEntity);
  const mac = `2CAA8E${n.toString(16).toUpperCase().padStart(6, '0')}`;
  const r = await repo.insert({ name: `cam ${n}`, uid: `UID${String(n).padStart(17, '0')}`, enrEncrypted, mac, model: 'WYZE_CAKP2JFUS' });
  return repo.findOneByOrFail({ id: r.identifiers[0].id as number });
}
