import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { CameraEntity } from './camera.entity';

export type EventKind = 'motion';

export const EVENTS_CAMERA_RANGE_INDEX = 'events_camera_range_idx';

/**
 * A detected event over [startUs, endUs) (endUs null while it lasts). The footage worth keeping is
 * [startUs - preRollUs, endUs + postRollUs); `protected` keeps that footage from retention.
 */
@Entity({ name: 'events' })
@Index(EVENTS_CAMERA_RANGE_INDEX, { synchronize: false })
@Index('events_camera_kind_start_key', ['cameraId', 'kind', 'startUs'], { unique: true }) // the recorder's upsert key
@Check('events_range_check', `end_us IS NULL OR end_us >= start_us`)
@Check('events_kind_check', `kind IN ('motion')`)
@Check('events_roll_check', `pre_roll_us >= 0 AND post_roll_us >= 0`)
export class EventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT', primaryKeyConstraintName: 'events_pkey' })
  id!: number;

  @Column({ name: 'camera_id', type: 'integer' })
  cameraId!: number;

  @ManyToOne(() => CameraEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'camera_id', foreignKeyConstraintName: 'events_camera_id_fkey' })
  camera?: CameraEntity;

  @Column({ type: 'text', default: 'motion' })
  kind!: EventKind;

  @Column({ name: 'start_us', type: 'bigint' })
  startUs!: number;

  @Column({ name: 'end_us', type: 'bigint', nullable: true })
  endUs!: number | null;

  /** Highest motion score seen during the event (scale defined by the motion scorer). */
  @Column({ name: 'peak_score', type: 'double precision', default: 0 })
  peakScore!: number;

  @Column({ name: 'pre_roll_us', type: 'bigint', default: 0 })
  preRollUs!: number;

  @Column({ name: 'post_roll_us', type: 'bigint', default: 0 })
  postRollUs!: number;

  @Column({ type: 'boolean', default: false })
  protected!: boolean;

  /** The recorder node that wrote the row under a camera lease; null when written without one (API, CLI, reconcile). */
  @Column({ name: 'node_id', type: 'text', nullable: true })
  nodeId!: string | null;

  /** The lease epoch (fencing token) it was written under; see camera-lease.entity.ts. */
  @Column({ type: 'bigint', nullable: true })
  epoch!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
