import type { AppConfig } from '@wyze-nvr/config';
import type { DataSource } from 'typeorm';

/** What the API process is built from; created by the CLI (`api`, `demo`) and by tests. */
export interface ApiDeps {
  config: AppConfig;
  dataSource: DataSource;
  /** Present when REDIS_URL is set: resolves when Redis answers PING. */
  redisPing?: () => Promise<void>;
}

export const API_DEPS = Symbol('API_DEPS');
