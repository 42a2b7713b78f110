import { Injectable, type OnModuleInit } from '@nestjs/common';
import { jobHandlerMethods, type JobContext, type JobHandlerFn } from '@wyze-nvr/jobs';
import { CloudService } from '../cloud/cloud.service';
import { ExportsService } from '../exports/exports.service';
import { MetricsService } from '../metrics/metrics.service';
import { JobQueueRepository } from '../repositories/job-queue.repository';
import { RetentionService } from '../retention/retention.service';

/** Registers every @JobHandler method of the API's services, counting outcomes for /metrics. */
@Injectable()
export class JobWorkers implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueueRepository,
    private readonly metrics: MetricsService,
    private readonly exportsService: ExportsService,
    private readonly retention: RetentionService,
    private readonly cloud: CloudService,
  ) {}

  onModuleInit(): void {
    for (const instance of [this.exportsService, this.retention, this.cloud]) {
      for (const { name, method } of jobHandlerMethods(instance)) {
        const fn = ((instance as unknown as Record<string | symbol, JobHandlerFn>)[method]).bind(instance);
        const counted = async (ctx: JobContext) => {
          try {
            const out = await fn(ctx);
            this.metrics.countJob(name, 'completed');
            return out;
          } catch (e) {
            this.metrics.countJob(name, ctx.signal.aborted ? 'cancelled' : 'failed');
            throw e;
          }
        };
        this.jobs.registry.register(name, counted, `${instance.constructor.name}.${String(method)}`);
      }
    }
  }
}
