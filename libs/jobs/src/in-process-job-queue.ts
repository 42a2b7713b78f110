import { randomUUID } from 'node:crypto';
import { ALL_QUEUE_NAMES, JOB_QUEUE, type JobName, type JobPayloads, type QueueName } from './job-names';
import {
  CANCELLED_REASON,
  clampProgress,
  DEFAULT_KEEP_FINISHED,
  errorMessage,
  isFinalJobState,
  jsonCopy,
  JobCancelledError,
  normalizeJobOptions,
  PermanentJobError,
  retryDelayMs,
  type AddedJob,
  type JobContext,
  type JobOptions,
  type JobQueue,
  type JobQueueOptions,
  type JobState,
  type JobStatus,
} from './job-queue';
import type { JobRegistry } from './job-registry';

interface Entry {
  id: string;
  name: JobName;
  queue: QueueName;
  data: unknown;
  attempts: number;
  backoffMs: number;
  state: JobState;
  progress: number;
  result: unknown;
  error: string | undefined;
  attemptsMade: number;
  controller?: AbortController;
  retryTimer?: NodeJS.Timeout;
}

/**
 * Jobs in this process's memory: the embedded default (no Redis) and deterministic tests. Same
 * contract as BullMqJobQueue: dedupe by id while pending, retries with exponential backoff, per-queue
 * concurrency, cancellation through the handler's AbortSignal. Jobs do not survive a restart.
 */
export class InProcessJobQueue implements JobQueue {
  private readonly jobs = new Map<string, Entry>();
  private readonly waiting = new Map<QueueName, string[]>(ALL_QUEUE_NAMES.map((q) => [q, []]));
  private readonly active = new Map<QueueName, number>(ALL_QUEUE_NAMES.map((q) => [q, 0]));
  private readonly finished = new Map<QueueName, string[]>(ALL_QUEUE_NAMES.map((q) => [q, []]));
  private readonly running = new Set<Promise<void>>();
  private readonly concurrency: Record<QueueName, number>;
  private readonly keepFinished: number;
  private started = false;
  private closed = false;

  constructor(
    private readonly registry: JobRegistry,
    opts: JobQueueOptions = {},
  ) {
    this.concurrency = Object.fromEntries(ALL_QUEUE_NAMES.map((q) => [q, opts.concurrency?.[q] ?? 1])) as Record<QueueName, number>;
    this.keepFinished = opts.keepFinished ?? DEFAULT_KEEP_FINISHED;
  }

  async start(): Promise<void> {
    if (this.closed) throw new Error('job queue is closed');
    if (this.started) return;
    this.registry.validate();
    this.started = true;
    for (const q of ALL_QUEUE_NAMES) this.pump(q);
  }

  async add<N extends JobName>(name: N, data: JobPayloads[N], opts: JobOptions = {}): Promise<AddedJob> {
    if (this.closed) throw new Error('job queue is closed');
    const queue = JOB_QUEUE[name];
    if (!queue) throw new RangeError(`unknown job name ${JSON.stringify(name)}`);
    const { attempts, backoffMs } = normalizeJobOptions(opts);
    const id = opts.jobId ?? randomUUID();

    const existing = this.jobs.get(id);
    if (existing && !isFinalJobState(existing.state)) return { id, deduplicated: true };
    if (existing) this.forget(existing);

    this.jobs.set(id, {
      id,
      name,
      queue,
      data: jsonCopy(data),
      attempts,
      backoffMs,
      state: 'waiting',
      progress: 0,
      result: undefined,
      error: undefined,
      attemptsMade: 0,
    });
    this.waiting.get(queue)!.push(id);
    // Like a Redis round trip, the job never starts inside add().
    setImmediate(() => this.pump(queue));
    return { id, deduplicated: false };
  }

  async getJob(id: string): Promise<JobStatus | undefined> {
    const e = this.jobs.get(id);
    if (!e) return undefined;
    return {
      id: e.id,
      name: e.name,
      queue: e.queue,
      state: e.state,
      progress: e.progress,
      result: e.result,
      error: e.error,
      attemptsMade: e.attemptsMade,
      data: jsonCopy(e.data),
    };
  }

  async cancel(id: string): Promise<boolean> {
    const e = this.jobs.get(id);
    if (!e || isFinalJobState(e.state)) return false;
    if (e.state === 'active') {
      e.controller?.abort(new JobCancelledError(id));
      return true;
    }
    if (e.retryTimer) clearTimeout(e.retryTimer);
    e.retryTimer = undefined;
    const list = this.waiting.get(e.queue)!;
    const at = list.indexOf(id);
    if (at >= 0) list.splice(at, 1);
    this.finish(e, 'cancelled', CANCELLED_REASON);
    return true;
  }

  async pending(queue?: QueueName): Promise<number> {
    let n = 0;
    for (const e of this.jobs.values()) if ((queue === undefined || e.queue === queue) && !isFinalJobState(e.state)) n++;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const e of this.jobs.values()) {
      if (e.retryTimer) clearTimeout(e.retryTimer);
      e.retryTimer = undefined;
    }
    await Promise.all([...this.running]);
  }

  private pump(queue: QueueName): void {
    if (!this.started || this.closed) return;
    const list = this.waiting.get(queue)!;
    while (this.active.get(queue)! < this.concurrency[queue] && list.length) {
      const e = this.jobs.get(list.shift()!);
      if (e?.state === 'waiting') this.run(e);
    }
  }

  private run(e: Entry): void {
    const controller = new AbortController();
    e.state = 'active';
    e.controller = controller;
    this.active.set(e.queue, this.active.get(e.queue)! + 1);
    const ctx: JobContext = {
      id: e.id,
      name: e.name,
      data: jsonCopy(e.data) as JobContext['data'],
      attempt: e.attemptsMade + 1,
      signal: controller.signal,
      updateProgress: async (percent) => {
        e.progress = clampProgress(percent);
      },
    };
    const handler = this.registry.handlerFor(e.name);
    const done = (async () => {
      try {
        const result = await handler(ctx);
        e.attemptsMade++;
        if (controller.signal.aborted) this.finish(e, 'cancelled', CANCELLED_REASON);
        else this.finish(e, 'completed', undefined, jsonCopy(result));
      } catch (err) {
        e.attemptsMade++;
        if (controller.signal.aborted) this.finish(e, 'cancelled', CANCELLED_REASON);
        else if (e.attemptsMade < e.attempts && !(err instanceof PermanentJobError) && !this.closed) this.retryLater(e, errorMessage(err));
        else this.finish(e, 'failed', errorMessage(err));
      } finally {
        e.controller = undefined;
        this.active.set(e.queue, this.active.get(e.queue)! - 1);
        this.pump(e.queue);
      }
    })();
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }

  private retryLater(e: Entry, error: string): void {
    e.state = 'waiting';
    e.error = error;
    e.retryTimer = setTimeout(() => {
      e.retryTimer = undefined;
      this.waiting.get(e.queue)!.push(e.id);
      this.pump(e.queue);
    }, retryDelayMs(e.backoffMs, e.attemptsMade));
  }

  private finish(e: Entry, state: JobState, error: string | undefined, result?: unknown): void {
    e.state = state;
    e.error = error;
    e.result = result;
    const list = this.finished.get(e.queue)!;
    list.push(e.id);
    // Oldest finished jobs are dropped, as BullMQ's removeOnComplete/removeOnFail count does.
    while (list.length > this.keepFinished) this.jobs.delete(list.shift()!);
  }

  private forget(e: Entry): void {
    const list = this.finished.get(e.queue)!;
    const at = list.indexOf(e.id);
    if (at >= 0) list.splice(at, 1);
    this.jobs.delete(e.id);
  }
}
