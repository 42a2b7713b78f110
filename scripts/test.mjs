// Runs every test file through node's test runner. Node 20's `node --test <dir>` finds no .ts files,
// so files are collected here and passed explicitly.
//   node scripts/test.mjs                 all tiers
//   node scripts/test.mjs unit|int|e2e    one tier (unit: *.spec.ts, int: *.int-spec.ts, e2e: test/**/*.e2e-spec.ts)
//   node scripts/test.mjs <file...>       the named files
import { spawn } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tiers = {
  unit: (f) => f.endsWith('.spec.ts') && !f.endsWith('.int-spec.ts') && !f.endsWith('.e2e-spec.ts'),
  int: (f) => f.endsWith('.int-spec.ts'),
  e2e: (f) => f.endsWith('.e2e-spec.ts'),
};

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(relative(root, p));
  }
  return out;
}

const args = process.argv.slice(2);
let files;
if (args.length && args.every((a) => a in tiers)) {
  const all = ['apps', 'libs', 'test', 'tools'].filter((d) => existsSync(join(root, d))).flatMap((d) => walk(join(root, d), []));
  files = all.filter((f) => args.some((t) => tiers[t](f)));
} else if (args.length) {
  files = args;
} else {
  const all = ['apps', 'libs', 'test', 'tools'].filter((d) => existsSync(join(root, d))).flatMap((d) => walk(join(root, d), []));
  files = all.filter((f) => Object.values(tiers).some((t) => t(f)));
}
files.sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const child = spawn(
  process.execPath,
  ['-r', './scripts/register.js', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
