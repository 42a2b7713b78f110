import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { NODE_ID_PATTERN } from '@wyze-nvr/config';

export const NODE_ID_FILE = 'node-id';

/**
 * RECORDER_NODE_ID when given; otherwise the id kept in `<dataDir>/node-id`, created once as
 * `<hostname>-<8 hex>` so that a restarted recorder is the same node (it takes its own leases back at once
 * rather than waiting for them to lapse). Two recorders sharing a DATA_DIR must each set RECORDER_NODE_ID.
 */
export function recorderNodeId(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const path = join(dataDir, NODE_ID_FILE);
  try {
    const stored = readFileSync(path, 'utf8').trim();
    if (!NODE_ID_PATTERN.test(stored)) throw new Error(`${path} does not hold a node id (set RECORDER_NODE_ID or delete the file)`);
    return stored;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const host = hostname().replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 40) || 'recorder';
  const id = `${host}-${randomBytes(4).toString('hex')}`;
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, `${id}\n`, { flag: 'wx' });
    return id;
  } catch (e) {
    // Another process created it first: use its id.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8').trim();
    throw e;
  }
}
