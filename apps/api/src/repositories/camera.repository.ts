import { Inject, Injectable } from '@nestjs/common';
import { CameraEntity, CameraStatusEntity } from '@wyze-nvr/db';
import type { DataSource } from 'typeorm';
import { API_DEPS, type ApiDeps } from '../api.deps';

export type CameraValues = Partial<Omit<CameraEntity, 'id' | 'createdAt' | 'updatedAt' | 'camera'>>;

/** PostgreSQL error codes the camera service turns into answers. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';

export function pgCode(e: unknown): string | undefined {
  const err = e as { code?: unknown; driverError?: { code?: unknown } };
  const code = err?.driverError?.code ?? err?.code;
  return typeof code === 'string' ? code : undefined;
}

@Injectable()
export class CameraRepository {
  private readonly ds: DataSource;
  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.ds = deps.dataSource;
  }

  /** Cameras by id after `afterId`, `limit` of them. */
  page(afterId: number, limit: number): Promise<CameraEntity[]> {
    return this.ds
      .getRepository(CameraEntity)
      .createQueryBuilder('c')
      .where('c.id > :afterId', { afterId })
      .orderBy('c.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  get(id: number): Promise<CameraEntity | null> {
    return this.ds.getRepository(CameraEntity).findOneBy({ id });
  }

  async create(values: CameraValues): Promise<CameraEntity> {
    const repo = this.ds.getRepository(CameraEntity);
    const result = await repo.insert(values);
    return (await repo.findOneByOrFail({ id: result.identifiers[0].id as number }));
  }

  async update(id: number, values: CameraValues): Promise<CameraEntity | null> {
    if (Object.keys(values).length) await this.ds.getRepository(CameraEntity).update({ id }, values);
    return this.get(id);
  }

  /** False when no such camera. Throws the driver's foreign-key error while footage or exports point at it. */
  async delete(id: number): Promise<boolean> {
    const r = await this.ds.getRepository(CameraEntity).delete({ id });
    return (r.affected ?? 0) > 0;
  }

  statuses(ids: number[]): Promise<CameraStatusEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.getRepository(CameraStatusEntity).createQueryBuilder('s').where('s.camera_id IN (:...ids)', { ids }).getMany();
  }
}
