import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  ALL_QUEUE_NAMES,
  createJobQueue,
  JobRegistry,
  QueueName,
  type AddedJob,
  type JobName,
  type JobOptions,
  type JobPayloads,
  type JobQueue,
  type JobStatus,
} from '@wyze-nvr/jobs';
import { API_DEPS, type ApiDeps } from '../api.deps';

export const DEFAULT_CONCURRENCY: Record<QueueName, number> = { [QueueName.Export]: 2, [QueueName.Retention]: 1, [QueueName.Cloud]: 1 };

/**
 * The job queue of the API process: BullMQ when REDIS_URL is set, in-process otherwise. Handlers are
 * registered by JobWorkers during module init; the queue starts (and refuses a missing handler) at bootstrap.
 */
@Injectable()
export class JobQueueRepository implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly registry = new JobRegistry();
  private readonly queue: JobQueue;

  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.queue = createJobQueue(this.registry, {
      redisUrl: deps.config.redisUrl,
      prefix: deps.jobs?.prefix,
      concurrency: { ...DEFAULT_CONCURRENCY, ...deps.jobs?.concurrency },
      logger: deps.logger,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }

  add<N extends JobName>(name: N, data: JobPayloads[N], opts?: JobOptions): Promise<AddedJob> {
    return this.queue.add(name, data, opts);
  }

  get(id: string): Promise<JobStatus | undefined> {
    return this.queue.getJob(id);
  }

  cancel(id: string): Promise<boolean> {
    return this.queue.cancel(id);
  }

  pending(queue?: QueueName): Promise<number> {
    return this.queue.pending(queue);
  }

  async pendingByQueue(): Promise<Record<QueueName, number>> {
    const entries = await Promise.all(ALL_QUEUE_NAMES.map(async (q) => [q, await this.queue.pending(q)] as const));
    return Object.fromEntries(entries) as Record<QueueName, number>;
  }
}
