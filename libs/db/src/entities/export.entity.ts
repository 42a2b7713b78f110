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

export type ExportState = 'queued' | 'active' | 'completed' | 'failed' | 'cancelled';

/**
 * A request to write [fromUs, toUs) of one camera into a single MP4. The id is a uuid because it is
 * handed out in the API before the job runs and doubles as the BullMQ job id.
 */
@Entity({ name: 'exports' })
@Index('exports_camera_id_idx', ['cameraId'])
@Check('exports_range_check', `to_us > from_us`)
@Check('exports_state_check', `state IN ('queued', 'active', 'completed', 'failed', 'cancelled')`)
@Check('exports_progress_check', `progress >= 0 AND progress <= 100`)
export class ExportEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'exports_pkey' })
  id!: string;

  @Column({ name: 'camera_id', type: 'integer' })
  cameraId!: number;

  @ManyToOne(() => CameraEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'camera_id', foreignKeyConstraintName: 'exports_camera_id_fkey' })
  camera?: CameraEntity;

  @Column({ name: 'from_us', type: 'bigint' })
  fromUs!: number;

  @Column({ name: 'to_us', type: 'bigint' })
  toUs!: number;

  @Column({ type: 'text', default: 'queued' })
  state!: ExportState;

  /** Percent, 0..100. */
  @Column({ type: 'smallint', default: 0 })
  progress!: number;

  @Column({ type: 'text', nullable: true })
  path!: string | null;

  @Column({ type: 'bigint', nullable: true })
  bytes!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
