import type { JobName, JobPayloads, QueueName } from './job-names';

export type JobState = 'waiting' | 'active' | 'completed' | 'failed' | 'cancelled';

export const FINAL_JOB_STATES: readonly JobState[] = Object.freeze(['completed', 'failed', 'cancelled']);

export function isFinalJobState(state: JobState): boolean {
  return FINAL_JOB_STATES.includes(state);
}

export interface JobOptions {
  /**
   * Deterministic id (e.g. `retention:<camera>:<day>`): while a job with this id is waiting or active,
   * adding it again returns the existing one. A finished job with the id is replaced.
   * Absent: a random UUID. Ids are unique across queues.
   */
  jobId?: string;
  /** Total runs including the first; default 1 (no retry). */
  attempts?: number;
  /** Delay before retry n is backoffMs·2^(n-1); default 1000. */
  backoffMs?: number;
}

export interface AddedJob {
  id: string;
  /** True when a pending job with the same id already existed and nothing new was queued. */
  deduplicated: boolean;
}

export interface JobStatus {
  id: string;
  name: JobName;
  queue: QueueName;
  /** `waiting` includes a job sleeping through its retry backoff. */
  state: JobState;
  /** 0..100, the last value the handler reported. */
  progress: number;
  /** The handler's return value (JSON) once completed. */
  result: unknown;
  /** Message of the last failure; "cancelled" for a cancelled job. */
  error: string | undefined;
  /** Runs that have ended, whatever their outcome. */
  attemptsMade: number;
  data: unknown;
}

export interface JobContext<N extends JobName = JobName> {
  id: string;
  name: N;
  data: JobPayloads[N];
  /** 1 for the first run, 2 for the first retry, … */
  attempt: number;
  /** Aborted when the job is cancelled. A handler must stop soon after: the job stays active until it returns. */
  signal: AbortSignal;
  updateProgress(percent: number): Promise<void>;
}

export type JobHandlerFn<N extends JobName = JobName> = (ctx: JobContext<N>) => unknown;

export interface JobQueueOptions {
  /** Jobs of a queue run at most this many at a time in this process; default 1 per queue. */
  concurrency?: Partial<Record<QueueName, number>>;
  /** Finished jobs kept for getJob, per queue; default 1000. */
  keepFinished?: number;
}

/**
 * The one queue interface the apps use; BullMqJobQueue (Redis) and InProcessJobQueue implement it
 * and run the same handlers.
 */
export interface JobQueue {
  /** Checks that every JobName has exactly one handler, then starts processing. */
  start(): Promise<void>;
  add<N extends JobName>(name: N, data: JobPayloads[N], opts?: JobOptions): Promise<AddedJob>;
  getJob(id: string): Promise<JobStatus | undefined>;
  /**
   * Cancels a waiting job at once, or aborts an active one's signal (it ends `cancelled` when its
   * handler returns). False when the job is unknown or already finished.
   */
  cancel(id: string): Promise<boolean>;
  /** Jobs waiting (including backoff) or active, in one queue or all. */
  pending(queue?: QueueName): Promise<number>;
  /** Stops taking jobs and waits for the active ones to finish. */
  close(): Promise<void>;
}

/** Thrown by a handler for a failure that a retry cannot fix: the job fails without further attempts. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/** The abort reason a handler sees on `signal` when its job is cancelled. */
export class JobCancelledError extends Error {
  override readonly name = 'JobCancelledError';
  constructor(readonly jobId: string) {
    super(`job ${jobId} cancelled`);
  }
}

export const CANCELLED_REASON = 'cancelled';

export const DEFAULT_ATTEMPTS = 1;
export const DEFAULT_BACKOFF_MS = 1000;
export const DEFAULT_KEEP_FINISHED = 1000;

export function retryDelayMs(backoffMs: number, attemptsMade: number): number {
  return Math.round(backoffMs * 2 ** (attemptsMade - 1));
}

export function clampProgress(percent: number): number {
  if (!Number.isFinite(percent)) throw new RangeError(`progress must be a finite number, got ${percent}`);
  return Math.min(100, Math.max(0, percent));
}

export function normalizeJobOptions(opts: JobOptions): { attempts: number; backoffMs: number } {
  const attempts = opts.attempts ?? DEFAULT_ATTEMPTS;
  const backoffMs = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be an integer >= 1, got ${attempts}`);
  if (!Number.isFinite(backoffMs) || backoffMs < 0) throw new RangeError(`backoffMs must be >= 0, got ${backoffMs}`);
  if (opts.jobId !== undefined && opts.jobId.length === 0) throw new RangeError('jobId must not be empty');
  return { attempts, backoffMs };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Payloads and results cross Redis as JSON; the in-process driver round-trips them too, so handlers see the same values. */
export function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
