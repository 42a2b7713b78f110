import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CameraEntity } from './camera.entity';

/**
 * A segment whose row retention has removed and whose file may still be on disk (see the
 * SegmentDeletions migration): the file is deleted, then this row.
 */
@Entity({ name: 'segment_deletions' })
export class SegmentDeletionEntity {
  @PrimaryColumn({ name: 'segment_id', type: 'bigint', primaryKeyConstraintName: 'segment_deletions_pkey' })
  segmentId!: number;

  @Column({ name: 'camera_id', type: 'integer' })
  cameraId!: number;

  @ManyToOne(() => CameraEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'camera_id', foreignKeyConstraintName: 'segment_deletions_camera_id_fkey' })
  camera?: CameraEntity;

  @Column({ type: 'text' })
  path!: string;

  @Column({ type: 'bigint', default: 0 })
  bytes!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
