import { BullMqJobQueue, type JobLogger } from './bullmq-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import type { JobQueue, JobQueueOptions } from './job-queue';
import type { JobRegistry } from './job-registry';

export interface CreateJobQueueOptions extends JobQueueOptions {
  /** REDIS_URL; absent: jobs run in this process. */
  redisUrl?: string;
  prefix?: string;
  runWorkers?: boolean;
  logger?: JobLogger;
}

/** BullMQ when Redis is configured, otherwise the in-process driver. */
export function createJobQueue(registry: JobRegistry, opts: CreateJobQueueOptions = {}): JobQueue {
  const { redisUrl, ...rest } = opts;
  return redisUrl ? new BullMqJobQueue(registry, { ...rest, redisUrl }) : new InProcessJobQueue(registry, rest);
}
