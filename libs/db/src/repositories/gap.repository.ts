import type { EntityManager } from 'typeorm';
import { GapEntity } from '../entities/gap.entity';
import { isNonEmptyWindow, overlapCondition } from '../time-range';

export class GapRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Gaps of one camera overlapping [fromUs, toUs), oldest first; an open gap overlaps everything after its start. */
  findOverlapping(cameraId: number, fromUs: number, toUs: number): Promise<GapEntity[]> {
    if (!isNonEmptyWindow(fromUs, toUs)) return Promise.resolve([]);
    return this.manager
      .createQueryBuilder(GapEntity, 'g')
      .where(overlapCondition('g'), { cameraId, fromUs, toUs })
      .orderBy('g.start_us', 'ASC')
      .addOrderBy('g.id', 'ASC')
      .getMany();
  }
}
