// npm run fuzz [family…]: at least FUZZ_FAMILY_INPUTS (1,000,000) seeded, mutated inputs for every parser
// family of tools/fuzz, shared out between the family's parsers, one family per worker thread. Prints per
// family the inputs run, the crashes (anything thrown but the parser's typed error) and the hangs (an input
// slower than FUZZ_HANG_MS twice, or one that never returns), each with its seed, index and input; exits 1
// on any.
//   FUZZ_FAMILY_INPUTS  inputs per family (1,000,000)    FUZZ_SEED  first seed (1)
//   FUZZ_HANG_MS        per-input bound (1000)            FUZZ_JOBS  families at once (the core count)
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FAMILIES, type FuzzFamily } from '../tools/fuzz/families';
import { PROGRESS_HEADER_BYTES, PROGRESS_INPUT_BYTES, type FamilyJob, type TargetReport } from '../tools/fuzz/protocol';

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, got ${JSON.stringify(raw)}`);
  return n;
}

const inputs = setting('FUZZ_FAMILY_INPUTS', 1_000_000);
const hangMs = setting('FUZZ_HANG_MS', 1000);
const seed = setting('FUZZ_SEED', 1);
const jobs = setting('FUZZ_JOBS', availableParallelism());
/** A parser still on one input after this has looped, not slowed: its thread is ended. */
const stuckMs = Math.max(10 * hangMs, 10_000);
const findingsDir = join(tmpdir(), `wyze-nvr-fuzz-${process.pid}`);

interface FamilyResult {
  family: string;
  reports: TargetReport[];
  ms: number;
  /** Why the family did not run to the end: a setup error, or the worker ended on a hang. */
  broken?: string;
}

const workerCode = `require(${JSON.stringify(join(__dirname, 'register.js'))}); require(${JSON.stringify(join(__dirname, '..', 'tools', 'fuzz', 'worker.ts'))});`;

function runFamily(family: FuzzFamily, index: number, targetNames: string[]): Promise<FamilyResult> {
  const progress = new SharedArrayBuffer(PROGRESS_HEADER_BYTES + PROGRESS_INPUT_BYTES);
  const state = new Int32Array(progress, 0, PROGRESS_HEADER_BYTES / 4);
  state[0] = -1;
  // Seeds a thousand apart per family, one per target within it, so no two parsers see the same sequence.
  const job: FamilyJob = { family: family.name, inputs, seed: seed + 1000 * index, hangMs, maxFindings: 20, progress };
  const started = performance.now();
  const result: FamilyResult = { family: family.name, reports: [], ms: 0 };
  return new Promise((resolve) => {
    const worker = new Worker(workerCode, { eval: true, workerData: job });
    let last = '';
    let sameFor = 0;
    const watchdog = setInterval(() => {
      const now = `${Atomics.load(state, 0)}:${Atomics.load(state, 1)}`;
      sameFor = now === last && state[0] >= 0 ? sameFor + 1000 : 0;
      last = now;
      if (sameFor < stuckMs) return;
      const [t, at, length] = [state[0], state[1], state[2]];
      const bytes = new Uint8Array(progress, PROGRESS_HEADER_BYTES, Math.min(length, PROGRESS_INPUT_BYTES));
      result.reports.push({
        target: targetNames[t],
        seed: job.seed + t,
        inputs: at,
        rejected: 0,
        ms: 0,
        findings: [{ kind: 'hang', index: at, seed: job.seed + t, ms: sameFor, error: `did not return within ${sameFor / 1000} s`, input: Buffer.from(bytes).toString('hex') }],
      });
      result.broken = `${targetNames[t]} never returned; the family's later parsers did not run`;
      void worker.terminate();
    }, 1000);
    worker.on('message', (r: TargetReport) => result.reports.push(r));
    worker.on('error', (e) => (result.broken = `worker failed: ${e.stack ?? e}`));
    worker.on('exit', () => {
      clearInterval(watchdog);
      result.ms = performance.now() - started;
      resolve(result);
    });
  });
}

const thousands = (n: number) => n.toLocaleString('en-US');

function print(r: FamilyResult): number {
  const sum = (f: (t: TargetReport) => number) => r.reports.reduce((n, t) => n + f(t), 0);
  const crashes = sum((t) => t.findings.filter((f) => f.kind === 'crash').length);
  const hangs = sum((t) => t.findings.filter((f) => f.kind === 'hang').length);
  const run = sum((t) => t.inputs);
  console.log(`${r.family.padEnd(10)} ${thousands(run).padStart(10)} inputs  ${crashes} crashes  ${hangs} hangs  ${(r.ms / 1000).toFixed(1)} s`);
  for (const t of r.reports) {
    console.log(`  ${t.target.padEnd(42)} ${thousands(t.inputs).padStart(9)} inputs, ${thousands(t.rejected).padStart(9)} typed errors, seed ${t.seed}`);
    for (const f of t.findings) {
      mkdirSync(findingsDir, { recursive: true });
      const file = join(findingsDir, `${r.family}-${t.target.replace(/\W+/g, '_')}-seed${f.seed}-${f.index}.hex`);
      writeFileSync(file, `${f.input}\n`);
      const what = f.kind === 'crash' ? f.error : (f.error ?? `${f.ms.toFixed(0)} ms, twice over the ${hangMs} ms bound`);
      console.log(`    ${f.kind.toUpperCase()} input #${f.index} (seed ${f.seed}): ${what}\n      ${f.input.slice(0, 240)}${f.input.length > 240 ? '…' : ''}\n      full input: ${file}`);
    }
  }
  if (r.broken) console.log(`  ${r.broken}`);
  return crashes + hangs + (r.broken ? 1 : 0);
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !FAMILIES.some((f) => f.name === w));
  if (unknown.length) {
    console.error(`unknown fuzz family ${unknown.join(', ')}; there are ${FAMILIES.map((f) => f.name).join(', ')}`);
    return 2;
  }
  const families = FAMILIES.map((family, index) => ({ family, index })).filter(({ family }) => !wanted.length || wanted.includes(family.name));
  console.log(`fuzz: ${families.length} families, ≥ ${thousands(inputs)} inputs each, hang bound ${hangMs} ms, seed ${seed}, ${jobs} at once`);
  const started = performance.now();
  const queue = [...families];
  let problems = 0;
  let total = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const names = next.family.targets().map((t) => t.name);
        const r = await runFamily(next.family, next.index, names);
        problems += print(r);
        total += r.reports.reduce((n, t) => n + t.inputs, 0);
      }
    }),
  );
  console.log(`fuzz: ${thousands(total)} inputs in ${((performance.now() - started) / 1000).toFixed(1)} s, ${problems ? `${problems} problems` : 'no crashes, no hangs'}`);
  return problems ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(2);
});
