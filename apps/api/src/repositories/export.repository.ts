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

  async delete(id: string): Promise<void> {
    await this.ds.getRepository(ExportEntity).delete({ id });
  }

  async countByState(): Promise<Record<string, number>> {
    const rows: { state: string; n: number }[] = await this.ds.query(`SELECT state, count(*)::int8 AS n FROM exports GROUP BY state`);
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }
}
