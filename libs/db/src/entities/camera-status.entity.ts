import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { CameraEntity } from './camera.entity';

/** What the recorder is doing with a camera; see apps/recorder (CameraState). */
export type CameraRecordingState = 'starting' | 'connecting' | 'recording' | 'degraded' | 'backoff' | 'stopped';

/** Live status of one camera, upserted by the recorder every few seconds. */
@Entity({ name: 'camera_status' })
export class CameraStatusEntity {
  @PrimaryColumn({ name: 'camera_id', type: 'integer', primaryKeyConstraintName: 'camera_status_pkey' })
  cameraId!: number;

  @OneToOne(() => CameraEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'camera_id', foreignKeyConstraintName: 'camera_status_camera_id_fkey' })
  camera?: CameraEntity;

  @Column({ type: 'text' })
  state!: CameraRecordingState;

  /** µs since the Unix epoch of the newest frame recorded; null before the first. */
  @Column({ name: 'last_frame_us', type: 'bigint', nullable: true })
  lastFrameUs!: number | null;

  @Column({ type: 'bigint', default: 0 })
  frames!: number;

  @Column({ type: 'bigint', default: 0 })
  bytes!: number;

  @Column({ type: 'integer', default: 0 })
  reconnects!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** host:pid of the recorder that wrote the row. */
  @Column({ type: 'text', nullable: true })
  recorder!: string | null;

  /**
   * Base URL of that recorder's internal server (RECORDER_ADVERTISE_URL, or the address it bound): where the
   * API proxies this camera's live view and snapshots, with the internal token.
   */
  @Column({ name: 'recorder_url', type: 'text', nullable: true })
  recorderUrl!: string | null;

  /** Set by the recorder on every write: a stale value means the recorder is not running. */
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
