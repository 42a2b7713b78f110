import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebBuilt } from '../../test/support/web-app';
import { repoRoot } from '../../test/support/cli';
import type { Measurement } from './measurement';

/** What a browser downloads for the app (dist/web: index.html and every asset), gzipped as a server would send it. */
export async function bundleSize(): Promise<Measurement[]> {
  ensureWebBuilt();
  const dir = join(repoRoot, 'dist', 'web');
  const files = [join(dir, 'index.html'), ...readdirSync(join(dir, 'assets')).map((f) => join(dir, 'assets', f))];
  let raw = 0;
  let gz = 0;
  let js = 0;
  for (const f of files) {
    const bytes = readFileSync(f);
    raw += bytes.length;
    const z = gzipSync(bytes, { level: 9 }).length;
    gz += z;
    if (f.endsWith('.js')) js += z;
  }
  return [
    { name: 'bundle, gzipped (html + js + css)', value: Math.round(gz / 100) / 10, unit: 'KB', target: '≤ 250 KB', note: `${files.length} files, ${Math.round(raw / 1000)} KB uncompressed` },
    { name: 'of which JavaScript, gzipped', value: Math.round(js / 100) / 10, unit: 'KB' },
  ];
}
