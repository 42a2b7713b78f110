import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The web app's sign-in sessions (server-side, so sign-out revokes one at once and expiry slides with
 * use). The primary key is a hash of the session id: the cookie's value is never stored.
 */
export class Sessions1795617300000 implements MigrationInterface {
  name = 'Sessions1795617300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sessions (
        id_hash    text NOT NULL,
        expires_us bigint NOT NULL,
        renewed_us bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sessions_pkey PRIMARY KEY (id_hash)
      )`);
    await q.query(`CREATE INDEX sessions_expires_us_idx ON sessions (expires_us)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sessions`);
  }
}
