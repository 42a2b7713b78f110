import { Inject, Injectable } from '@nestjs/common';
import { mkdir, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { API_DEPS, type ApiDeps } from '../api.deps';

export interface CheckResult {
  ok: boolean;
  error?: string;
  ms: number;
}
export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, CheckResult>;
}

const CHECK_TIMEOUT_MS = 2000;

async function timed(fn: () => Promise<unknown>): Promise<CheckResult> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([fn(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)))]);
    return { ok: true, ms: Math.round(performance.now() - t0) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e), ms: Math.round(performance.now() - t0) };
  } finally {
    clearTimeout(timer);
  }
}

/** Readiness: PostgreSQL answers, Redis answers (when configured), the recordings root is writable. */
@Injectable()
export class HealthService {
  constructor(@Inject(API_DEPS) private readonly deps: ApiDeps) {}

  async check(): Promise<HealthReport> {
    const { dataSource, redisPing, config } = this.deps;
    const checks: Record<string, Promise<CheckResult>> = {
      database: timed(() => dataSource.query('SELECT 1')),
      recordings: timed(async () => {
        await mkdir(config.recordingsDir, { recursive: true });
        const probe = join(config.recordingsDir, `.health-${process.pid}`);
        await writeFile(probe, '');
        await unlink(probe);
      }),
    };
    if (redisPing) checks.redis = timed(redisPing);
    const entries = await Promise.all(Object.entries(checks).map(async ([k, p]) => [k, await p] as const));
    const result = Object.fromEntries(entries);
    return { status: Object.values(result).every((c) => c.ok) ? 'ok' : 'degraded', checks: result };
  }
}
