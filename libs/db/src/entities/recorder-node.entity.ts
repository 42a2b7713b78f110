import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One recorder process (RECORDER_NODE_ID); live while its heartbeat is younger than the lease TTL. */
@Entity({ name: 'recorder_nodes' })
export class RecorderNodeEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'recorder_nodes_pkey' })
  id!: string;

  /** Base URL of its internal server (live view, snapshots, files only it can read). */
  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Column({ type: 'text' })
  hostname!: string;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ name: 'heartbeat_at', type: 'timestamptz', default: () => 'now()' })
  heartbeatAt!: Date;
}
