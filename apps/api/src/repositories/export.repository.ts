import { Inject, Injectable } from '@nestjs/common';
import { ExportEntity, type ExportState } from '@wyze-nvr/db';
import type { DataSource } from 'typeorm';
import { API_DEPS, type ApiDeps } from '../api.deps';

@Injectable()
export class ExportRepository {
  private readonly ds: DataSource;
  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.ds = deps.dataSource;
  }

  async create(values: { cameraId: number; fromUs: number; toUs: number }): Promise<ExportEntity> {
    const repo = this.ds.getRepository(ExportEntity);
    const r = await repo.insert({ ...values, state: 'queued', progress: 0 });
    return repo.findOneByOrFail({ id: r.identifiers[0].id as string });
  }

  get(id: string): Promise<ExportEntity | null> {
    return this.ds.getRepository(ExportEntity).findOneBy({ id });
  }

  /** Updates only while the row is in one of `from` states; false when it was not (e.g. cancelled meanwhile). */
  async transition(id: string, from: readonly ExportState[], values: Partial<Pick<ExportEntity, 'state' | 'progress' | 'path' | 'bytes' | 'error'>>): Promise<boolean> {
    const r = await this.ds
      .createQueryBuilder()
      .update(ExportEntity)
      .set(values)
      .where('id = :id AND state IN (:...from)', { id, from })
      .execute();
    return (r.affected ?? 0) > 0;
  }

  /**
   * Newest first (creation time, then id), optionally of one camera, after the cursor's (createdUs, id).
   * Each row with its creation time in µs: a Date holds only ms, too coarse to page on.
   */
  async page(o: { cameraId?: number; after?: { createdUs: number; id: string }; limit: number }): Promise<{ row: ExportEntity; createdUs: number }[]> {
    const q = this.ds
      .getRepository(ExportEntity)
      .createQueryBuilder('x')
      .addSelect(`(extract(epoch FROM x.created_at) * 1000000)::int8`, 'created_us')
      .orderBy('x.created_at', 'DESC')
      .addOrderBy('x.id', 'DESC')
      .limit(o.limit);
    if (o.cameraId !== undefined) q.andWhere('x.camera_id = :cameraId', { cameraId: o.cameraId });
    if (o.after) q.andWhere(`(x.created_at, x.id) < ('epoch'::timestamptz + :createdUs * interval '1 microsecond', :id::uuid)`, o.after);
    const { entities, raw } = await q.getRawAndEntities<{ created_us: number }>();
    return entities.map((row, i) => ({ row, createdUs: Number(raw[i].created_us) }));
  }

  async delete(id: string): Promise<void> {
    await this.ds.getRepository(ExportEntity).delete({ id });
  }

  async countByState(): Promise<Record<string, number>> {
    const rows: { state: string; n: number }[] = await this.ds.query(`SELECT state, count(*)::int8 AS n FROM exports GROUP BY state`);
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }
}
