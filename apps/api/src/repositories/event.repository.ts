import { Inject, Injectable } from '@nestjs/common';
import { EventEntity, windowOverlapCondition } from '@wyze-nvr/db';
import type { DataSource } from 'typeorm';
import { API_DEPS, type ApiDeps } from '../api.deps';
import { SWEEP_LOCK } from './retention.repository';

export interface EventFilter {
  cameraId?: number;
  fromUs: number;
  toUs: number;
}

@Injectable()
export class EventRepository {
  private readonly ds: DataSource;
  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.ds = deps.dataSource;
  }

  /**
   * Events whose [start, end) overlaps [fromUs, toUs) (an event in progress reaches to infinity), by
   * (start, id) after `after`. The test is the events_camera_range_idx expression, so it is an index scan.
   */
  page(f: EventFilter, after: [number, number] | undefined, limit: number): Promise<EventEntity[]> {
    const qb = this.ds
      .createQueryBuilder(EventEntity, 'e')
      .where(windowOverlapCondition('e'), { fromUs: f.fromUs, toUs: f.toUs })
      .orderBy('e.start_us', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(limit);
    if (f.cameraId !== undefined) qb.andWhere('e.camera_id = :cameraId', { cameraId: f.cameraId });
    if (after) qb.andWhere('(e.start_us, e.id) > (:afterStart, :afterId)', { afterStart: after[0], afterId: after[1] });
    return qb.getMany();
  }

  get(id: number): Promise<EventEntity | null> {
    return this.ds.getRepository(EventEntity).findOneBy({ id });
  }

  /** Sets or clears `protected`; null when there is no such event. */
  async setProtected(id: number, value: boolean): Promise<EventEntity | null> {
    return this.ds.transaction(async (m) => {
      // A retention sweep deletes segment rows while holding this lock (RetentionRepository.journal). Taking
      // it here means a sweep either finished before the event was protected or sees the flag, so footage
      // is never deleted after `protect` has answered.
      if (value) await m.query(SWEEP_LOCK);
      const r = await m.createQueryBuilder().update(EventEntity).set({ protected: value }).where('id = :id', { id }).execute();
      if (!r.affected) return null;
      return m.getRepository(EventEntity).findOneBy({ id });
    });
  }
}
