import { Check, Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { CameraEntity } from './camera.entity';

/**
 * Which recorder node owns a camera, until expiresAt. `epoch` is the fencing token: it grows at every
 * change of owner, and rows written under the lease carry it (the migration's fence trigger refuses stale
 * ones). nodeId is null once the owner released the lease.
 */
@Entity({ name: 'camera_leases' })
@Index('camera_leases_node_id_idx', ['nodeId'])
@Check('camera_leases_epoch_check', `epoch > 0`)
export class CameraLeaseEntity {
  @PrimaryColumn({ name: 'camera_id', type: 'integer', primaryKeyConstraintName: 'camera_leases_pkey' })
  cameraId!: number;

  @OneToOne(() => CameraEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'camera_id', foreignKeyConstraintName: 'camera_leases_camera_id_fkey' })
  camera?: CameraEntity;

  @Column({ name: 'node_id', type: 'text', nullable: true })
  nodeId!: string | null;

  @Column({ type: 'bigint' })
  epoch!: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
