import type { EntityManager } from 'typeorm';
import { EventEntity } from '../entities/event.entity';
import { isNonEmptyWindow, overlapCondition } from '../time-range';

export class EventRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Events of one camera whose [start_us, end_us) overlaps [fromUs, toUs), oldest first; pre/post roll is not included. */
  findOverlapping(cameraId: number, fromUs: number, toUs: number): Promise<EventEntity[]> {
    if (!isNonEmptyWindow(fromUs, toUs)) return Promise.resolve([]);
    return this.manager
      .createQueryBuilder(EventEntity, 'e')
      .where(overlapCondition('e'), { cameraId, fromUs, toUs })
      .orderBy('e.start_us', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .getMany();
  }
}
