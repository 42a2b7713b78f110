// A recorder child and an API in this process on one database, data directory and SECRET_KEY, as the live
// view and camera controls need them (the API reaches the recorder's internal server with a token both
// derive from SECRET_KEY), and camera rows for emulated cameras on 127.0.0.1.
import { join } from 'node:path';
import { SecretBox } from '@wyze-nvr/config';
import { startTestApi, type TestApi } from './api';
import type { CliProcess } from './cli';
import { SECRET_KEY_HEX, startRecorder, type MigratedDatabase } from './recorder-harness';

/** A camera row for a camera at 127.0.0.1:`port`, its ENR encrypted with the tests' SECRET_KEY; its id. */
export async function insertTestCamera(db: MigratedDatabase, name: string, port: number, c: { uid: string; enr: string; mac: string; model: string }, enabled = true): Promise<number> {
  const box = new SecretBox(Buffer.from(SECRET_KEY_HEX, 'hex'));
  const rows: { id: number }[] = await db.ds.query(`INSERT INTO cameras (name, uid, enr_encrypted, mac, ip, port, model, enabled) VALUES ($1, $2, $3, $4, '127.0.0.1', $5, $6, $7) RETURNING id`, [
    name,
    c.uid,
    box.encrypt(c.enr),
    c.mac,
    port,
    c.model,
    enabled,
  ]);
  return rows[0].id;
}

/** `wyze-nvr record` (motion off unless `env` says) and then the API, both on `db` and `dataDir`. */
export async function startRecorderAndApi(db: MigratedDatabase, dataDir: string, env: Record<string, string> = {}): Promise<{ recorder: { proc: CliProcess; metricsUrl: string }; api: TestApi }> {
  const recordingsDir = join(dataDir, 'recordings');
  const recorder = await startRecorder({ DATABASE_URL: db.db.url, DATA_DIR: dataDir, RECORDINGS_DIR: recordingsDir, SECRET_KEY: SECRET_KEY_HEX, RECORDER_INTERNAL_PORT: '0', RECORDER_MOTION: 'off', ...env });
  const api = await startTestApi({ existing: { db: db.db, dataDir, recordingsDir }, secretKey: Buffer.from(SECRET_KEY_HEX, 'hex') });
  return { recorder, api };
}
