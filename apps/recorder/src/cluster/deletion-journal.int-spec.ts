// The retention journal on a real PostgreSQL, as a recorder acts on it: the files under its own
// RECORDINGS_DIR are deleted and their rows cleared; another node's rows (another root, or a root that
// merely shares a prefix) stay for that node.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migratedDatabase, type MigratedDatabase } from '../../../../test/support/recorder-harness';
import { deleteOwnRetainedFiles, PgDeletionJournal } from './deletion-journal';

describe('retention journal, per recorder', () => {
  let database: MigratedDatabase;
  let dir: string;
  before(async () => {
    database = await migratedDatabase('wyze_nvr_deljournal');
    dir = mkdtempSync(join(tmpdir(), 'deljournal-'));
  });
  after(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('deletes its own files and their journal rows, and leaves the others', async () => {
    const [{ id: cam }]: { id: number }[] = await database.ds.query(`INSERT INTO cameras (name, uid, enr_encrypted, mac, model) VALUES ('c', 'UIDXXXXXXXXXXXXXXXXX', 'v1:x', 'AABBCCDDEEFF', 'HL_CAM4') RETURNING id`);
    const mine = join(dir, 'node-a', `${cam}`, '1.mp4');
    const theirs = join(dir, 'node-a-2', `${cam}`, '2.mp4');
    for (const f of [mine, theirs]) {
      mkdirSync(join(f, '..'), { recursive: true });
      writeFileSync(f, 'x');
    }
    await database.ds.query(`INSERT INTO segment_deletions (segment_id, camera_id, path, bytes) VALUES (1, $1, $2, 1), (2, $1, $3, 1), (3, $1, $4, 1)`, [cam, mine, theirs, join(dir, 'node-a', `${cam}`, 'gone.mp4')]);
    assert.equal(await deleteOwnRetainedFiles(new PgDeletionJournal(database.ds), join(dir, 'node-a')), 2);
    assert.equal(existsSync(mine), false);
    assert.equal(existsSync(theirs), true, 'a root that shares a prefix is another node’s');
    assert.deepEqual(await database.ds.query(`SELECT segment_id FROM segment_deletions`), [{ segment_id: 2 }]);
  });
});
