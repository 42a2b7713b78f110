import type { JobName, JobPayloads, QueueName } from './job-names';
import { FINAL_JOB_STATES, type JobOptions, type JobQueue, type JobState, type JobStatus } from './job-queue';

export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Re-runs `probe` until it stops throwing (an assertion inside it passes) and returns its value; after
 * the deadline, throws the probe's last error. Waiting is polling for a condition, never a fixed sleep.
 */
export async function expectEventually<T>(probe: () => T | Promise<T>, opts: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (err) {
      if (Date.now() >= deadline) {
        if (err instanceof Error) err.message = `still failing after ${timeoutMs} ms: ${err.message}`;
        throw err;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves with the job's status once it is in one of `states` (default: any final state). */
export async function waitForJob(queue: JobQueue, id: string, states: readonly JobState[] = FINAL_JOB_STATES, opts?: EventuallyOptions): Promise<JobStatus> {
  return expectEventually(async () => {
    const status = await queue.getJob(id);
    if (!status) throw new Error(`job ${id} not found`);
    if (!states.includes(status.state)) throw new Error(`job ${id} is ${status.state}, waiting for ${states.join('|')}`);
    return status;
  }, opts);
}

/** Adds one job and waits for it to finish; returns its final status. */
export async function enqueueAndWait<N extends JobName>(
  queue: JobQueue,
  name: N,
  data: JobPayloads[N],
  jobOpts?: JobOptions,
  opts?: EventuallyOptions,
): Promise<JobStatus> {
  const { id } = await queue.add(name, data, jobOpts);
  return waitForJob(queue, id, FINAL_JOB_STATES, opts);
}

/** Waits until no job is waiting or active (in one queue or all). */
export async function drain(queue: JobQueue, queueName?: QueueName, opts?: EventuallyOptions): Promise<void> {
  await expectEventually(async () => {
    const n = await queue.pending(queueName);
    if (n !== 0) throw new Error(`${n} jobs still pending`);
  }, opts);
}

/** Adds the jobs, then drains; returns their final statuses in order. */
export async function enqueueAndDrain(
  queue: JobQueue,
  jobs: ReadonlyArray<{ [N in JobName]: { name: N; data: JobPayloads[N]; opts?: JobOptions } }[JobName]>,
  opts?: EventuallyOptions,
): Promise<JobStatus[]> {
  const ids: string[] = [];
  for (const job of jobs) ids.push((await queue.add(job.name, job.data as never, job.opts)).id);
  await drain(queue, undefined, opts);
  return Promise.all(ids.map((id) => waitForJob(queue, id, FINAL_JOB_STATES, opts)));
}

/** A promise with its resolver outside: lets a test hold a handler mid-run and release it. */
export interface Gate {
  promise: Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
