import { Inject, Injectable } from '@nestjs/common';
import type { ExportEntity } from '@wyze-nvr/db';
import { JobCancelledError, JobHandler, JobName, PermanentJobError, type JobContext } from '@wyze-nvr/jobs';
import { API_DEPS, type ApiDeps } from '../api.deps';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { DomainError } from '../common/domain.error';
import { toWindow } from '../common/range.dto';
import { ExportRepository } from '../repositories/export.repository';
import { JobQueueRepository } from '../repositories/job-queue.repository';
import { MediaFileRepository } from '../repositories/media-file.repository';
import { isSegmentDamaged, isStreamMismatch, MAX_PLAYBACK_US, RecordingsService } from '../recordings/recordings.service';
import { ExportDto, type CreateExportDto, type ExportPageDto, type ListExportsQuery } from './exports.dto';

export const EXPORT_ATTEMPTS = 3;
const PENDING = ['queued', 'active'] as const;

export function exportJobId(id: string): string {
  return `export:${id}`;
}

@Injectable()
export class ExportsService {
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(
    @Inject(API_DEPS) deps: ApiDeps,
    private readonly exportsRepo: ExportRepository,
    private readonly jobs: JobQueueRepository,
    private readonly files: MediaFileRepository,
    private readonly recordings: RecordingsService,
  ) {
    this.attempts = deps.jobs?.exportAttempts ?? EXPORT_ATTEMPTS;
    this.backoffMs = deps.jobs?.exportBackoffMs ?? 2000;
  }

  async create(dto: CreateExportDto): Promise<ExportDto> {
    const window = toWindow(dto, MAX_PLAYBACK_US);
    await this.recordings.planRange(dto.camera, window);
    const row = await this.exportsRepo.create({ cameraId: dto.camera, ...window });
    await this.jobs.add(JobName.ExportRange, { exportId: row.id }, { jobId: exportJobId(row.id), attempts: this.attempts, backoffMs: this.backoffMs });
    return ExportDto.from(row);
  }

  /** Every export, newest first, paged: what the exports page lists and polls. */
  async list(q: ListExportsQuery): Promise<ExportPageDto> {
    const limit = q.limit ?? 100;
    const after = q.cursor ? decodeCursor('exports', q.cursor, ['number', 'string']) : undefined;
    const rows = await this.exportsRepo.page({ cameraId: q.camera, after: after && { createdUs: after[0] as number, id: after[1] as string }, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map((r) => ExportDto.from(r.row)), nextCursor: rows.length > limit ? encodeCursor('exports', [last.createdUs, last.row.id]) : null };
  }

  async get(id: string): Promise<ExportDto> {
    return ExportDto.from(await this.require(id));
  }

  async file(id: string) {
    const row = await this.require(id);
    if (row.state !== 'completed' || !row.path) throw new DomainError('export-not-ready', `export ${id} is ${row.state}`);
    const file = await this.files.openRead(this.files.exportPath(id));
    if (!file) throw new DomainError('file-missing', `the file of export ${id} is gone`);
    return { row, file };
  }

  /**
   * A queued or active export is cancelled (the row at once; an active job stops at its next chunk and
   * removes its temporary file) and stays listed as cancelled. A finished export is removed with its file.
   */
  async delete(id: string): Promise<ExportDto | undefined> {
    const row = await this.require(id);
    if (await this.exportsRepo.transition(id, PENDING, { state: 'cancelled', error: null })) {
      await this.jobs.cancel(exportJobId(id));
      return ExportDto.from((await this.exportsRepo.get(id))!);
    }
    void row;
    await this.files.remove(this.files.exportPath(id));
    await this.files.remove(this.files.exportPath(id, true));
    await this.exportsRepo.delete(id);
    return undefined;
  }

  private async require(id: string): Promise<ExportEntity> {
    const row = await this.exportsRepo.get(id);
    if (!row) throw new DomainError('export-not-found', `export ${id} not found`);
    return row;
  }

  /**
   * Writes the export to `<DATA_DIR>/exports/<id>.mp4.partial`, renames it to `<id>.mp4` when complete.
   * Progress is the share of the segments' bytes copied. A failure that a retry cannot fix (footage gone,
   * stream config change) fails at once; others are retried by the queue.
   */
  @JobHandler(JobName.ExportRange)
  async run(ctx: JobContext<JobName.ExportRange>): Promise<{ bytes: number }> {
    const id = ctx.data.exportId;
    const row = await this.exportsRepo.get(id);
    if (!row || row.state === 'cancelled') return { bytes: 0 };
    if (!(await this.exportsRepo.transition(id, PENDING, { state: 'active', progress: 0, error: null }))) return { bytes: 0 };
    const partial = this.files.exportPath(id, true);
    const final = this.files.exportPath(id);
    try {
      let segments;
      try {
        segments = await this.recordings.planRange(row.cameraId, { fromUs: row.fromUs, toUs: row.toUs });
      } catch (e) {
        if (e instanceof DomainError) throw new PermanentJobError(e.message);
        throw e;
      }
      const total = segments.reduce((n, s) => n + Math.max(1, s.bytes), 0);
      let copied = 0;
      let reported = 0;
      let pendingProgress: Promise<unknown> = Promise.resolve();
      const fh = await this.files.openWrite(partial);
      let bytes = 0;
      try {
        const chunks = this.recordings.copy(segments, {
          fromUs: row.fromUs,
          toUs: row.toUs,
          signal: ctx.signal,
          onSegmentDone: (i) => {
            copied += Math.max(1, segments[i].bytes);
            const percent = Math.min(99, Math.floor((copied * 100) / total));
            if (percent > reported) {
              reported = percent;
              pendingProgress = Promise.all([ctx.updateProgress(percent), this.exportsRepo.transition(id, ['active'], { progress: percent })]);
            }
          },
        });
        for await (const chunk of chunks) {
          ctx.signal.throwIfAborted();
          await fh.write(chunk);
          bytes += chunk.length;
          await pendingProgress;
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      ctx.signal.throwIfAborted();
      await this.files.rename(partial, final);
      if (!(await this.exportsRepo.transition(id, ['active'], { state: 'completed', progress: 100, bytes, path: final }))) {
        // Cancelled between the last chunk and now: nothing may be left behind.
        await this.files.remove(final);
        return { bytes: 0 };
      }
      await ctx.updateProgress(100);
      return { bytes };
    } catch (e) {
      await this.files.remove(partial);
      if (ctx.signal.aborted || e instanceof JobCancelledError) {
        await this.exportsRepo.transition(id, PENDING, { state: 'cancelled' });
        throw e;
      }
      const message = isStreamMismatch(e) ? 'the stream config changed inside the range' : e instanceof Error ? e.message : String(e);
      const permanent = isStreamMismatch(e) || isSegmentDamaged(e);
      const last = e instanceof PermanentJobError || permanent || ctx.attempt >= this.attempts;
      await this.exportsRepo.transition(id, PENDING, { state: last ? 'failed' : 'queued', error: message, progress: 0 });
      throw permanent ? new PermanentJobError(message) : e;
    }
  }
}
