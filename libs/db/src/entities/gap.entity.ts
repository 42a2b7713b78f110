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

/**
 * Why footage is missing. Stored as free text (no CHECK) so a new reason needs no migration;
 * these are the reasons the recorder is known to write.
 */
export type GapReason =
  | 'offline'
  | 'discovery_timeout'
  | 'auth_refused'
  | 'network_loss'
  | 'disk_error'
  /** The recordings filesystem is full (ENOSPC); recording resumes by itself when space returns. */
  | 'disk_full'
  | 'recorder_down'
  | 'stalled'
  /** The camera was disabled (API, web app or MQTT `recording/set OFF`); closed by its first footage once enabled. */
  | 'disabled'
  /** The camera's connection details changed and its session was restarted with the new ones. */
  | 'reconfigured'
  /** Handed over to another recorder at a segment boundary (several recorders: a node joined); closed by the new owner's first footage. */
  | 'handover';

export const GAPS_CAMERA_RANGE_INDEX = 'gaps_camera_range_idx';

/** A half-open interval [startUs, endUs) without footage; endUs is null while the gap is still open. */
@Entity({ name: 'gaps' })
@Index(GAPS_CAMERA_RANGE_INDEX, { synchronize: false })
@Index('gaps_one_open_per_camera_key', { synchronize: false })
// The recorder replays pending gap writes after a database outage as upserts on (camera, start).
@Index('gaps_camera_start_key', ['cameraId', 'startUs'], { unique: true })
@Check('gaps_range_check', `end_us IS NULL OR end_us >= start_us`)
export class GapEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT', primaryKeyConstraintName: 'gaps_pkey' })
  id!: number;

  @Column({ name: 'camera_id', type: 'integer' })
  cameraId!: number;

  @ManyToOne(() => CameraEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'camera_id', foreignKeyConstraintName: 'gaps_camera_id_fkey' })
  camera?: CameraEntity;

  @Column({ name: 'start_us', type: 'bigint' })
  startUs!: number;

  @Column({ name: 'end_us', type: 'bigint', nullable: true })
  endUs!: number | null;

  @Column({ type: 'text' })
  reason!: GapReason;

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
