import type { EntityManager } from 'typeorm';
import { SegmentEntity } from '../entities/segment.entity';
import { isNonEmptyWindow, overlapCondition } from '../time-range';

export class SegmentRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Segments of one camera whose [start_us, end_us) overlaps [fromUs, toUs), oldest first.
   * Uses the indexed predicate (segments_camera_range_idx); do not rewrite it as start/end comparisons.
   */
  findOverlapping(cameraId: number, fromUs: number, toUs: number): Promise<SegmentEntity[]> {
    if (!isNonEmptyWindow(fromUs, toUs)) return Promise.resolve([]);
    return this.manager
      .createQueryBuilder(SegmentEntity, 's')
      .where(overlapCondition('s'), { cameraId, fromUs, toUs })
      .orderBy('s.start_us', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
  }
}
