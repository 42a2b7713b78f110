import { rm } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { DataSource } from 'typeorm';

/** A journal row (segment_deletions): a segment retention removed, whose file may still be on disk. */
export interface PendingDeletion {
  segmentId: number;
  path: string;
}

/** The retention journal as a recorder sees it: the rows whose files lie under its own RECORDINGS_DIR. */
export class PgDeletionJournal {
  constructor(private readonly ds: DataSource) {}

  pending(root: string, limit: number): Promise<PendingDeletion[]> {
    return this.ds.query(`SELECT segment_id AS "segmentId", path FROM segment_deletions WHERE path LIKE $1 ORDER BY segment_id LIMIT $2`, [
      `${root.replace(/[\\%_]/g, '\\$&')}/%`,
      limit,
    ]);
  }

  async clear(segmentIds: readonly number[]): Promise<void> {
    if (segmentIds.length) await this.ds.query(`DELETE FROM segment_deletions WHERE segment_id = ANY($1::int8[])`, [segmentIds]);
  }
}

const BATCH = 500;

/**
 * Deletes the files retention removed from the index that are on this recorder's disk (the API, on
 * another machine, cannot), then their journal rows; files first, as the API's sweep does. Returns how
 * many it deleted.
 */
export async function deleteOwnRetainedFiles(journal: Pick<PgDeletionJournal, 'pending' | 'clear'>, recordingsDir: string): Promise<number> {
  const root = resolve(recordingsDir);
  let total = 0;
  for (;;) {
    const rows = (await journal.pending(root, BATCH)).filter((r) => {
      const rel = relative(root, resolve(r.path));
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    });
    if (!rows.length) return total;
    for (const r of rows) await rm(r.path, { force: true });
    await journal.clear(rows.map((r) => r.segmentId));
    total += rows.length;
    if (rows.length < BATCH) return total;
  }
}
