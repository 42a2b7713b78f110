import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A browser's sign-in (the web app's session cookie). Only a hash of the session id is stored, so a copy
 * of the table signs nobody in. The session ends at `expires_us` unless used before: each use moves it
 * on (sliding expiry); sign-out deletes the row.
 */
@Entity({ name: 'sessions' })
@Index('sessions_expires_us_idx', ['expiresUs'])
export class SessionEntity {
  /** SHA-256 of the session id, hex. */
  @PrimaryColumn({ name: 'id_hash', type: 'text', primaryKeyConstraintName: 'sessions_pkey' })
  idHash!: string;

  @Column({ name: 'expires_us', type: 'bigint' })
  expiresUs!: number;

  /** When the expiry was last moved on (it is written at most once a minute, not on every request). */
  @Column({ name: 'renewed_us', type: 'bigint' })
  renewedUs!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
