import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { CameraEntity } from './camera.entity';

/**
 * open: being written; closed: finalised; damaged: unreadable or truncated after a crash;
 * missing: the row survives but the file is gone (found by reconcile).
 */
export type SegmentState = 'open' | 'closed' | 'damaged' | 'missing';

/** The GiST index that makes an overlap query on [start_us, end_us) an index scan (see time-range.ts). */
export const SEGMENTS_CAMERA_RANGE_INDEX = 'segments_camera_range_idx';

/** Present (not missing) segments by camera and start, with their end: a partial covering btree (migration 1795620400000). */
export const SEGMENTS_PRESENT_INDEX = 'segments_present_camera_start_idx';

/** One MP4 file covering the half-open interval [startUs, endUs) of one camera. */
@Entity({ name: 'segments' })
@Unique('segments_path_key', ['path'])
@Index(SEGMENTS_CAMERA_RANGE_INDEX, { synchronize: false })
@Index(SEGMENTS_PRESENT_INDEX, { synchronize: false })
@Index('segments_camera_id_start_us_idx', ['cameraId', 'startUs'])
@Index('segments_start_us_idx', ['startUs'])
@Check('segments_range_check', `end_us >= start_us`)
@Check('segments_bytes_check', `bytes >= 0`)
@Check('segments_state_check', `state IN ('open', 'closed', 'damaged', 'missing')`)
export class SegmentEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT', primaryKeyConstraintName: 'segments_pkey' })
  id!: number;

  @Column({ name: 'camera_id', type: 'integer' })
  cameraId!: number;

  @ManyToOne(() => CameraEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'camera_id', foreignKeyConstraintName: 'segments_camera_id_fkey' })
  camera?: CameraEntity;

  /** µs since the Unix epoch, UTC, inclusive. */
  @Column({ name: 'start_us', type: 'bigint' })
  startUs!: number;

  /** µs since the Unix epoch, UTC, exclusive; equals startUs until the first fragment is written. */
  @Column({ name: 'end_us', type: 'bigint' })
  endUs!: number;

  @Column({ type: 'text' })
  path!: string;

  @Column({ type: 'bigint', default: 0 })
  bytes!: number;

  @Column({ name: 'video_frames', type: 'integer', default: 0 })
  videoFrames!: number;

  @Column({ name: 'audio_frames', type: 'integer', default: 0 })
  audioFrames!: number;

  @Column({ type: 'integer', default: 0 })
  keyframes!: number;

  @Column({ name: 'video_codec', type: 'text', nullable: true })
  videoCodec!: string | null;

  @Column({ name: 'audio_codec', type: 'text', nullable: true })
  audioCodec!: string | null;

  @Column({ type: 'integer', nullable: true })
  width!: number | null;

  @Column({ type: 'integer', nullable: true })
  height!: number | null;

  @Column({ type: 'text', default: 'open' })
  state!: SegmentState;

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
