import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CameraEntity } from './camera.entity';

/**
 * A camera's motion level per GOP for one UTC minute, packed (see motion-activity.ts). One row a minute
 * keeps the index within its budget where a row per GOP would not; no timestamps, for the same reason.
 */
@Entity({ name: 'motion_activity' })
@Check('motion_activity_minute_check', `minute_us % 60000000 = 0`)
@Check('motion_activity_entries_check', `length(entries) % 3 = 0`)
@Check('motion_activity_max_level_check', `max_level BETWEEN 0 AND 100`)
export class MotionActivityEntity {
  @PrimaryColumn({ name: 'camera_id', type: 'integer', primaryKeyConstraintName: 'motion_activity_pkey' })
  cameraId!: number;

  @ManyToOne(() => CameraEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'camera_id', foreignKeyConstraintName: 'motion_activity_camera_id_fkey' })
  camera?: CameraEntity;

  /** Start of the minute, µs since the Unix epoch, UTC (a multiple of 60 s). */
  @PrimaryColumn({ name: 'minute_us', type: 'bigint', primaryKeyConstraintName: 'motion_activity_pkey' })
  minuteUs!: number;

  /** The highest level among the entries. */
  @Column({ name: 'max_level', type: 'smallint' })
  maxLevel!: number;

  @Column({ type: 'bytea' })
  entries!: Buffer;
}
