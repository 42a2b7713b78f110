// What every recorder benchmark starts from: the 2K bench media, a fresh migrated database, a scratch
// directory and a SECRET_KEY with its SecretBox.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBenchMedia, type BenchMedia } from '@wyze-nvr/camera-sim';
import { SecretBox } from '@wyze-nvr/config';
import { createDataSource, runMigrations } from '@wyze-nvr/db';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/support/pg';

export interface BenchSetup {
  /** 2560×1440 20 fps ~2 Mbit/s H.264 and 16 kHz AAC, 60 s, looped by the emulators. */
  media: BenchMedia;
  db: TestDatabase;
  ds: DataSource;
  dir: string;
  secret: Buffer;
  box: SecretBox;
  close(): Promise<void>;
}

export async function openBenchSetup(name: string): Promise<BenchSetup> {
  const media = await ensureBenchMedia({ width: 2560, height: 1440, fps: 20, bitrateKbps: 2000, seconds: 60, audio: true });
  const db = await createTestDatabase('wyze_nvr_bench');
  const ds = createDataSource({ url: db.url });
  await ds.initialize();
  await runMigrations(ds);
  const dir = mkdtempSync(join(tmpdir(), `wyze-nvr-${name}-`));
  const secret = randomBytes(32);
  return {
    media,
    db,
    ds,
    dir,
    secret,
    box: new SecretBox(secret),
    async close() {
      await ds.destroy();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
