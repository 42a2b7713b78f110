// One fuzz family in a worker thread, so that the runner's thread stays free to notice a parser that
// never returns. Before each input the worker publishes which input it is on, and its bytes, in shared
// memory: a runner that gives up on the thread can still say what hung.
import { parentPort, workerData } from 'node:worker_threads';
import { runFuzz } from '@wyze-nvr/tutk/wire/fuzz';
import { FAMILIES } from './families';
import { PROGRESS_HEADER_BYTES, type FamilyJob, type TargetReport } from './protocol';

const job = workerData as FamilyJob;
const progress = new Int32Array(job.progress, 0, PROGRESS_HEADER_BYTES / 4);
const inputBytes = new Uint8Array(job.progress, PROGRESS_HEADER_BYTES);

const family = FAMILIES.find((f) => f.name === job.family);
if (!family) throw new Error(`no fuzz family ${job.family}`);
const targets = family.targets();
const perTarget = Math.ceil(job.inputs / targets.length);

for (const [t, target] of targets.entries()) {
  const seed = job.seed + t;
  const started = performance.now();
  const run = runFuzz(target.make(), target.samples, {
    count: perTarget,
    seed,
    isTypedError: target.isTypedError,
    hangMs: job.hangMs,
    maxFindings: job.maxFindings,
    beforeInput(index, input) {
      const n = Math.min(input.length, inputBytes.length);
      inputBytes.set(n === input.length ? input : input.subarray(0, n));
      progress[2] = input.length;
      Atomics.store(progress, 1, index);
      Atomics.store(progress, 0, t);
    },
  });
  const report: TargetReport = {
    target: target.name,
    seed,
    inputs: run.inputs,
    rejected: run.rejected,
    ms: performance.now() - started,
    findings: run.findings.map((f) => ({ ...f, input: Buffer.from(f.input).toString('hex') })),
  };
  parentPort!.postMessage(report);
}
