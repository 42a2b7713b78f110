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
 * Limits for one camera, or the global default when cameraId is null (at most one such row).
 * A null limit means "no limit of this kind".
 */
@Entity({ name: 'retention_policies' })
@Unique('retention_policies_camera_id_key', ['cameraId'])
@Index('retention_policies_one_global_key', { synchronize: false })
@Check('retention_policies_limits_check', `max_age_us > 0 AND max_bytes > 0 AND min_free_bytes >= 0`)
export class RetentionPolicyEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'integer',
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'retention_policies_pkey',
  })
  id!: number;

  @Column({ name: 'camera_id', type: 'integer', nullable: true })
  cameraId!: number | null;

  @ManyToOne(() => CameraEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'camera_id', foreignKeyConstraintName: 'retention_policies_camera_id_fkey' })
  camera?: CameraEntity | null;

  @Column({ name: 'max_age_us', type: 'bigint', nullable: true })
  maxAgeUs!: number | null;

  @Column({ name: 'max_bytes', type: 'bigint', nullable: true })
  maxBytes!: number | null;

  /** Delete oldest footage while the recordings volume has less free space than this. */
  @Column({ name: 'min_free_bytes', type: 'bigint', nullable: true })
  minFreeBytes!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
