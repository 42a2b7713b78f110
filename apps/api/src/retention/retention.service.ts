import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { RetentionPolicyEntity } from '@wyze-nvr/db';
import { JobHandler, JobName, QueueName, type AddedJob, type JobContext } from '@wyze-nvr/jobs';
import { API_DEPS, type ApiDeps } from '../api.deps';
import { DomainError } from '../common/domain.error';
import { ClockRepository } from '../repositories/clock.repository';
import { CameraRepository } from '../repositories/camera.repository';
import { JobQueueRepository } from '../repositories/job-queue.repository';
import { MediaFileRepository } from '../repositories/media-file.repository';
import { RetentionRepository, type JournalRow } from '../repositories/retention.repository';
import { PolicyDto, type CameraPolicyBody, type GlobalPolicyBody, type PoliciesDto } from './retention.dto';

export const RETENTION_BATCH = 100;
export const DEFAULT_RETENTION_INTERVAL_MS = 10 * 60_000;
const SCHEDULE_NAME = 'retention-sweep';

export interface SweepResult {
  bytesFreed: number;
  segmentsDeleted: number;
  /** Journal rows of an earlier, interrupted sweep that this one finished. */
  resumed: number;
  byReason: { age: number; size: number; freeSpace: number };
  /** Minutes of motion activity deleted with the footage they belonged to. */
  activityMinutesDeleted: number;
}

/** A camera without any segment keeps its motion activity this long (the recorder writes segments first). */
export const ORPHAN_ACTIVITY_US = 3600 * 1e6;

/** Retention job id for a schedule period: the same period never queues twice. */
export function retentionJobId(nowMs: number, intervalMs: number): string {
  return `retention:${Math.floor(nowMs / intervalMs)}`;
}

@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly intervalMs: number;
  private readonly nowMs: () => number;

  constructor(
    @Inject(API_DEPS) deps: ApiDeps,
    private readonly repo: RetentionRepository,
    private readonly cameras: CameraRepository,
    private readonly files: MediaFileRepository,
    private readonly jobs: JobQueueRepository,
    private readonly clock: ClockRepository,
    private readonly scheduler: SchedulerRegistry,
  ) {
    this.intervalMs = deps.retentionIntervalMs ?? DEFAULT_RETENTION_INTERVAL_MS;
    this.nowMs = deps.now ?? Date.now;
  }

  onApplicationBootstrap(): void {
    if (this.intervalMs <= 0) return;
    const timer = setInterval(() => void this.enqueue().catch(() => undefined), this.intervalMs);
    timer.unref();
    this.scheduler.addInterval(SCHEDULE_NAME, timer);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', SCHEDULE_NAME)) this.scheduler.deleteInterval(SCHEDULE_NAME);
  }

  /**
   * Queues a sweep under the period's deterministic id; while any sweep is still waiting or running,
   * nothing new is queued, so slow sweeps never pile up.
   */
  async enqueue(): Promise<AddedJob> {
    const id = retentionJobId(this.nowMs(), this.intervalMs > 0 ? this.intervalMs : DEFAULT_RETENTION_INTERVAL_MS);
    if ((await this.jobs.pending(QueueName.Retention)) > 0) {
      const existing = await this.jobs.get(id);
      if (existing) return { id, deduplicated: true };
    }
    return this.jobs.add(JobName.RetentionSweep, {}, { jobId: id });
  }

  async policies(): Promise<PoliciesDto> {
    const rows = await this.repo.policies();
    const global = rows.find((p) => p.cameraId === null);
    return { global: global ? PolicyDto.from(global) : null, cameras: rows.filter((p) => p.cameraId !== null).map(PolicyDto.from) };
  }

  async setGlobal(body: GlobalPolicyBody): Promise<PolicyDto> {
    return PolicyDto.from(await this.repo.upsertPolicy(null, toValues(body)));
  }

  async setCamera(cameraId: number, body: CameraPolicyBody): Promise<PolicyDto> {
    if (!(await this.cameras.get(cameraId))) throw new DomainError('camera-not-found', `camera ${cameraId} not found`);
    return PolicyDto.from(await this.repo.upsertPolicy(cameraId, { ...toValues(body), minFreeBytes: null }));
  }

  async deleteCamera(cameraId: number): Promise<void> {
    if (!(await this.cameras.get(cameraId))) throw new DomainError('camera-not-found', `camera ${cameraId} not found`);
    await this.repo.deletePolicy(cameraId);
  }

  @JobHandler(JobName.RetentionSweep)
  async run(ctx: JobContext<JobName.RetentionSweep>): Promise<SweepResult> {
    return this.sweep(ctx.signal);
  }

  /**
   * One sweep: first the journal of an interrupted sweep, then per camera the age and byte limits, then
   * the global free-space floor. Each batch: rows into the journal (one transaction), files deleted,
   * journal rows deleted; last, the motion activity older than each camera's footage. Never touches open segments or the footage of protected events and pending exports.
   */
  async sweep(signal?: AbortSignal): Promise<SweepResult> {
    const result: SweepResult = { bytesFreed: 0, segmentsDeleted: 0, resumed: 0, byReason: { age: 0, size: 0, freeSpace: 0 }, activityMinutesDeleted: 0 };
    for (;;) {
      const pending = await this.repo.pendingJournal(RETENTION_BATCH, this.files.recordingsDir);
      if (!pending.length) break;
      const removed = await this.removeFiles(pending, signal);
      result.resumed += removed;
      if (removed === 0) break;
    }

    const policies = await this.repo.policies();
    const global = policies.find((p) => p.cameraId === null);
    const perCamera = new Map<number, RetentionPolicyEntity>(policies.filter((p) => p.cameraId !== null).map((p) => [p.cameraId!, p]));
    const bytes = await this.repo.bytesByCamera();
    const nowUs = this.clock.nowUs();

    for (const [cameraId, used] of bytes) {
      const maxAgeUs = perCamera.get(cameraId)?.maxAgeUs ?? global?.maxAgeUs ?? null;
      const maxBytes = perCamera.get(cameraId)?.maxBytes ?? global?.maxBytes ?? null;
      if (maxAgeUs !== null) {
        for (;;) {
          const batch = await this.repo.candidates({ cameraId, endAtMostUs: nowUs - maxAgeUs, limit: RETENTION_BATCH });
          const n = await this.deleteBatch(batch.map((c) => c.id), result, 'age', signal);
          if (n === 0 || batch.length < RETENTION_BATCH) break;
        }
      }
      if (maxBytes !== null) {
        let remaining = (await this.repo.bytesByCamera()).get(cameraId) ?? used;
        while (remaining > maxBytes) {
          const batch = await this.repo.candidates({ cameraId, limit: RETENTION_BATCH });
          const ids: number[] = [];
          let freeing = 0;
          for (const c of batch) {
            if (remaining - freeing <= maxBytes) break;
            ids.push(c.id);
            freeing += c.bytes;
          }
          const before = result.bytesFreed;
          if ((await this.deleteBatch(ids, result, 'size', signal)) === 0) break;
          remaining -= result.bytesFreed - before;
        }
      }
    }

    const floor = global?.minFreeBytes ?? null;
    if (floor !== null && floor > 0) {
      // Only as many of the oldest as cover the shortfall; the volume is read again after each batch, since
      // the recorder keeps writing and a file may free more or less than its size.
      for (;;) {
        const shortfall = floor - (await this.files.volume()).freeBytes;
        if (shortfall <= 0) break;
        const batch = await this.repo.candidates({ limit: RETENTION_BATCH });
        const ids: number[] = [];
        let freeing = 0;
        for (const c of batch) {
          if (freeing >= shortfall) break;
          ids.push(c.id);
          freeing += c.bytes;
        }
        if ((await this.deleteBatch(ids, result, 'freeSpace', signal)) === 0) break;
      }
    }
    result.activityMinutesDeleted = await this.repo.deleteActivityBeforeFootage(this.clock.nowUs() - ORPHAN_ACTIVITY_US);
    return result;
  }

  private async deleteBatch(ids: number[], result: SweepResult, reason: keyof SweepResult['byReason'], signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    const rows = await this.repo.journal(ids);
    await this.removeFiles(rows, signal);
    for (const r of rows) result.bytesFreed += r.bytes;
    result.segmentsDeleted += rows.length;
    result.byReason[reason] += rows.length;
    return rows.length;
  }

  /**
   * Files first, then their journal rows: an interruption leaves rows whose files may or may not exist, never
   * the reverse. A file outside this API's RECORDINGS_DIR is on another recorder's disk: its journal row
   * stays for that recorder to act on.
   */
  private async removeFiles(rows: JournalRow[], signal?: AbortSignal): Promise<number> {
    const done: number[] = [];
    for (const r of rows) {
      signal?.throwIfAborted();
      let abs: string;
      try {
        abs = this.files.segmentPath(r.path);
      } catch {
        continue;
      }
      await this.files.remove(abs);
      done.push(r.segmentId);
    }
    await this.repo.clearJournal(done);
    return done.length;
  }
}

function toValues(body: CameraPolicyBody & { minFreeBytes?: number | null }) {
  return {
    maxAgeUs: body.maxAgeSeconds === undefined || body.maxAgeSeconds === null ? null : body.maxAgeSeconds * 1e6,
    maxBytes: body.maxBytes ?? null,
    minFreeBytes: body.minFreeBytes ?? null,
  };
}
