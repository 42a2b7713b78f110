import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { ALL_QUEUE_NAMES, JOB_QUEUE, type JobName, type JobPayloads, type QueueName } from './job-names';
import {
  CANCELLED_REASON,
  clampProgress,
  DEFAULT_KEEP_FINISHED,
  errorMessage,
  isFinalJobState,
  JobCancelledError,
  normalizeJobOptions,
  PermanentJobError,
  type AddedJob,
  type JobContext,
  type JobOptions,
  type JobQueue,
  type JobQueueOptions,
  type JobState,
  type JobStatus,
} from './job-queue';
import type { JobRegistry } from './job-registry';

/** The subset of a pino logger the driver writes to. */
export interface JobLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface BullMqJobQueueOptions extends JobQueueOptions {
  /** redis:// or rediss:// URL. */
  redisUrl: string;
  /** Key prefix in Redis; separate deployments (and tests) sharing one Redis use different prefixes. */
  prefix?: string;
  /** False in a process that only enqueues and queries: no workers, and start() needs no handlers. */
  runWorkers?: boolean;
  logger?: JobLogger;
}

export const DEFAULT_PREFIX = 'wyze-nvr';

/** Field added to BullMQ's job hash; it lives and dies with the job. */
const CANCEL_FIELD = 'nvrCancelled';
const FLAG_IF_EXISTS = `if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1 end return 0`;
const FINISHED_RETENTION_S = 7 * 24 * 3600;

/**
 * BullMQ refuses custom ids that look like integers or contain ':' (its key separator), yet ids such as
 * `retention:<camera>:<day>` are what callers want. The public id is mapped reversibly.
 */
export function toBullId(id: string): string {
  return `j-${id.replace(/%/g, '%25').replace(/:/g, '%3A')}`;
}

export function fromBullId(bullId: string): string {
  return bullId.slice(2).replace(/%3A/g, ':').replace(/%25/g, '%');
}

/**
 * Jobs in Redis through BullMQ: survive restarts, and workers in several processes share them.
 * Cancellation of an active job reaches whichever process runs it through a pub/sub channel; the flag
 * on the job hash covers a job that is picked up after it was cancelled.
 */
export class BullMqJobQueue implements JobQueue {
  private readonly client: Redis;
  private subscriber: Redis | undefined;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  /** Active jobs in this process by `<queue>:<bull id>`. */
  private readonly active = new Map<string, AbortController>();
  private readonly prefix: string;
  private readonly cancelChannel: string;
  private closed = false;

  constructor(
    private readonly registry: JobRegistry,
    private readonly opts: BullMqJobQueueOptions,
  ) {
    this.prefix = opts.prefix ?? DEFAULT_PREFIX;
    this.cancelChannel = `${this.prefix}:cancel`;
    // BullMQ's blocking commands need ioredis to retry forever rather than fail a request.
    this.client = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
    this.client.on('error', (err) => this.opts.logger?.error({ err }, 'redis connection error'));
    const keep = { age: FINISHED_RETENTION_S, count: opts.keepFinished ?? DEFAULT_KEEP_FINISHED };
    for (const name of ALL_QUEUE_NAMES) {
      this.queues.set(
        name,
        new Queue(name, { connection: this.client, prefix: this.prefix, defaultJobOptions: { removeOnComplete: keep, removeOnFail: keep } }),
      );
    }
  }

  async start(): Promise<void> {
    if (this.closed) throw new Error('job queue is closed');
    if (this.opts.runWorkers === false || this.workers.length) return;
    this.registry.validate();

    this.subscriber = this.client.duplicate();
    this.subscriber.on('error', (err) => this.opts.logger?.error({ err }, 'redis subscriber error'));
    this.subscriber.on('message', (_channel: string, key: string) => this.active.get(key)?.abort(new JobCancelledError(fromBullId(key.slice(key.indexOf(':') + 1)))));
    await this.subscriber.subscribe(this.cancelChannel);

    for (const queue of ALL_QUEUE_NAMES) {
      const worker = new Worker(queue, (job: Job) => this.process(queue, job), {
        connection: this.client,
        prefix: this.prefix,
        concurrency: this.opts.concurrency?.[queue] ?? 1,
      });
      worker.on('error', (err) => this.opts.logger?.error({ err, queue }, 'job worker error'));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  async add<N extends JobName>(name: N, data: JobPayloads[N], opts: JobOptions = {}): Promise<AddedJob> {
    if (this.closed) throw new Error('job queue is closed');
    const queueName = JOB_QUEUE[name];
    if (!queueName) throw new RangeError(`unknown job name ${JSON.stringify(name)}`);
    const { attempts, backoffMs } = normalizeJobOptions(opts);
    const id = opts.jobId ?? randomUUID();
    const bullId = toBullId(id);
    const queue = this.queues.get(queueName)!;

    // BullMQ keeps a finished job's id taken until the job is removed; this contract frees it as soon
    // as the job is finished. Removal fails if the job was picked up meanwhile; the loop then sees it active.
    for (let round = 0; round < 3; round++) {
      const existing = await queue.getJob(bullId);
      if (existing) {
        const state = await this.stateOf(queueName, existing);
        if (state === undefined) continue;
        if (!isFinalJobState(state)) return { id, deduplicated: true };
        try {
          await existing.remove();
        } catch {
          continue;
        }
      }
      await queue.add(name, data, { jobId: bullId, attempts, backoff: { type: 'exponential', delay: backoffMs } });
      return { id, deduplicated: false };
    }
    return { id, deduplicated: true };
  }

  async getJob(id: string): Promise<JobStatus | undefined> {
    const found = await this.find(id);
    if (!found) return undefined;
    const { queue } = found;
    let { job } = found;
    const state = await this.stateOf(queue, job);
    if (state === undefined) return undefined;
    if (isFinalJobState(state)) {
      // The job may have finished between reading it and reading its state: read it again so the result,
      // error and progress belong to the state reported.
      const fresh = await this.queues.get(queue)!.getJob(job.id!);
      if (!fresh) return undefined;
      job = fresh;
    }
    return {
      id,
      name: job.name as JobName,
      queue,
      state,
      progress: typeof job.progress === 'number' ? job.progress : 0,
      result: job.returnvalue ?? undefined,
      error: state === 'cancelled' ? CANCELLED_REASON : job.failedReason || undefined,
      attemptsMade: job.attemptsMade,
      data: job.data,
    };
  }

  async cancel(id: string): Promise<boolean> {
    const found = await this.find(id);
    if (!found) return false;
    const { queue, job } = found;
    const state = await this.stateOf(queue, job);
    if (state === undefined || isFinalJobState(state)) return false;
    const flagged = await this.client.eval(FLAG_IF_EXISTS, 1, this.queues.get(queue)!.toKey(job.id!), CANCEL_FIELD, String(Date.now()));
    if (flagged !== 1) return false;
    await this.client.publish(this.cancelChannel, `${queue}:${job.id}`);
    return true;
  }

  async pending(queue?: QueueName): Promise<number> {
    const names = queue === undefined ? ALL_QUEUE_NAMES : [queue];
    const counts = await Promise.all(
      names.map((q) => this.queues.get(q)!.getJobCountByTypes('waiting', 'delayed', 'prioritized', 'paused', 'waiting-children', 'active')),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.subscriber?.quit();
    await this.client.quit();
  }

  private async process(queue: QueueName, job: Job): Promise<unknown> {
    const key = `${queue}:${job.id}`;
    const controller = new AbortController();
    // Registered before the flag is read, so a cancel published in between is not missed.
    this.active.set(key, controller);
    try {
      if (await this.isFlagged(queue, job.id!)) controller.abort(new JobCancelledError(fromBullId(job.id!)));
      if (controller.signal.aborted) throw new UnrecoverableError(CANCELLED_REASON);

      const ctx: JobContext = {
        id: fromBullId(job.id!),
        name: job.name as JobName,
        data: job.data,
        attempt: job.attemptsMade + 1,
        signal: controller.signal,
        updateProgress: (percent) => job.updateProgress(clampProgress(percent)),
      };
      const result = await this.registry.handlerFor(job.name as JobName)(ctx);
      if (controller.signal.aborted) throw new UnrecoverableError(CANCELLED_REASON);
      // The result is stored as JSON, which has no undefined.
      return result ?? null;
    } catch (err) {
      if (controller.signal.aborted) throw new UnrecoverableError(CANCELLED_REASON);
      if (err instanceof UnrecoverableError) throw err;
      if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
      throw err instanceof Error ? err : new Error(errorMessage(err));
    } finally {
      this.active.delete(key);
    }
  }

  private async find(id: string): Promise<{ queue: QueueName; job: Job } | undefined> {
    const bullId = toBullId(id);
    const jobs = await Promise.all(ALL_QUEUE_NAMES.map((q) => this.queues.get(q)!.getJob(bullId)));
    const at = jobs.findIndex((j) => j !== undefined);
    return at < 0 ? undefined : { queue: ALL_QUEUE_NAMES[at], job: jobs[at]! };
  }

  private async isFlagged(queue: QueueName, bullId: string): Promise<boolean> {
    return (await this.client.hexists(this.queues.get(queue)!.toKey(bullId), CANCEL_FIELD)) === 1;
  }

  /** Undefined when the job vanished (removed by retention) between lookup and state. */
  private async stateOf(queue: QueueName, job: Job): Promise<JobState | undefined> {
    const [raw, flagged] = await Promise.all([job.getState(), this.isFlagged(queue, job.id!)]);
    switch (raw) {
      case 'completed':
        return 'completed';
      case 'failed':
        return flagged ? 'cancelled' : 'failed';
      case 'active':
        return 'active';
      case 'unknown':
        return undefined;
      default:
        // waiting, delayed (backoff), prioritized, waiting-children: not started. A flagged one is
        // done as far as callers are concerned; a worker discards it when it comes up.
        return flagged ? 'cancelled' : 'waiting';
    }
  }
}
