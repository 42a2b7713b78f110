import type { AppConfig } from '@wyze-nvr/config';
import type { QueueName } from '@wyze-nvr/jobs';
import type { Logger } from '@wyze-nvr/log';
import type { WyzeCloudClient } from '@wyze-nvr/wyze-cloud';
import type { DataSource } from 'typeorm';

/** What the API process is built from; created by the CLI (`api`, `demo`) and by tests. */
export interface ApiDeps {
  config: AppConfig;
  dataSource: DataSource;
  /** SECRET_KEY: seals ENRs written through the API and opens the saved Wyze session. */
  secretKey: Uint8Array;
  /** Request log lines and job/stream failures; secrets are redacted by @wyze-nvr/log. */
  logger?: Logger;
  /** Present when REDIS_URL is set: resolves when Redis answers PING. */
  redisPing?: () => Promise<void>;
  jobs?: {
    /** Redis key prefix (tests use one per run). */
    prefix?: string;
    /** Jobs at a time per queue in this process; default export 2, retention 1, cloud 1. */
    concurrency?: Partial<Record<QueueName, number>>;
    /** Export attempts (first run included); default 3. */
    exportAttempts?: number;
    exportBackoffMs?: number;
  };
  /** Period of the scheduled retention sweep; 0 turns the schedule off (tests). Default 10 minutes. */
  retentionIntervalMs?: number;
  /** The Wyze cloud client for `POST /cloud/import`; default: the production hosts. */
  cloudClient?: WyzeCloudClient;
  /** Wall clock in ms (tests); default Date.now. */
  now?: () => number;
}

export const API_DEPS = Symbol('API_DEPS');
