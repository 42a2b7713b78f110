import { Inject, Injectable } from '@nestjs/common';
import { JobHandler, JobName, PermanentJobError, type JobContext } from '@wyze-nvr/jobs';
import { CloudImportService, FileCloudSessionStore, isWyzeCloudError, WyzeCloudClient, type CloudStatus } from '@wyze-nvr/wyze-cloud';
import { API_DEPS, type ApiDeps } from '../api.deps';
import { DomainError, type ErrorCode } from '../common/domain.error';
import { JobQueueRepository } from '../repositories/job-queue.repository';

/** The cloud import's only job id: one import at a time. */
export const CLOUD_IMPORT_JOB_ID = 'cloud-import';

const CLOUD_ERROR: Record<string, ErrorCode> = {
  'not-logged-in': 'cloud-not-logged-in',
  'rate-limited': 'cloud-rate-limited',
  blocked: 'cloud-unavailable',
  'cloud-unreachable': 'cloud-unavailable',
  'bad-response': 'cloud-unavailable',
  'expired-token': 'cloud-expired-token',
};

@Injectable()
export class CloudService {
  private readonly service: CloudImportService;

  constructor(
    @Inject(API_DEPS) deps: ApiDeps,
    private readonly jobs: JobQueueRepository,
  ) {
    this.service = new CloudImportService({
      dataSource: deps.dataSource,
      secretKey: deps.secretKey,
      client: deps.cloudClient ?? new WyzeCloudClient(),
      sessions: new FileCloudSessionStore(deps.config.dataDir, deps.secretKey),
      logger: deps.logger,
    });
  }

  status(): Promise<CloudStatus> {
    return this.service.status();
  }

  /** Queues the import (202); refused with 409 at once when no Wyze session is saved. */
  async enqueue() {
    const status = await this.service.status();
    if (!status.loggedIn) throw new DomainError('cloud-not-logged-in', status.problem ?? 'no Wyze session is saved; run `wyze-nvr cloud login` first');
    return this.jobs.add(JobName.CloudImport, {}, { jobId: CLOUD_IMPORT_JOB_ID });
  }

  @JobHandler(JobName.CloudImport)
  async run(ctx: JobContext<JobName.CloudImport>) {
    try {
      let last = 0;
      const plan = await this.service.import({
        onProgress: (p) => {
          const percent = Math.floor((p.done * 100) / Math.max(1, p.total));
          if (percent > last) void ctx.updateProgress((last = percent)).catch(() => undefined);
        },
      });
      return { counts: plan.counts, otherDevices: plan.otherDevices };
    } catch (e) {
      if (isWyzeCloudError(e)) {
        const code = CLOUD_ERROR[e.code] ?? 'cloud-unavailable';
        const err = new PermanentJobError(`${code}: ${e.message}`);
        if (e.code === 'rate-limited' || e.code === 'cloud-unreachable') throw new Error(err.message);
        throw err;
      }
      throw e;
    }
  }
}
