import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JobQueueRepository } from '../repositories/job-queue.repository';
import { ExportRepository } from '../repositories/export.repository';
import { MediaFileRepository } from '../repositories/media-file.repository';
import { RetentionRepository } from '../repositories/retention.repository';
import { MetricsService } from './metrics.service';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly jobs: JobQueueRepository,
    private readonly exportsRepo: ExportRepository,
    private readonly retention: RetentionRepository,
    private readonly files: MediaFileRepository,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus text: requests by route and status (count, latency), jobs, exports by state, storage bytes. Needs the bearer token (set `authorization` in the scrape config).' })
  @ApiOkResponse({ description: 'Prometheus exposition format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } })
  async get(): Promise<string> {
    const [jobsPending, exportsByState, cameraBytes, volume] = await Promise.all([
      this.jobs.pendingByQueue(),
      this.exportsRepo.countByState(),
      this.retention.bytesByCamera(),
      this.files.volume().catch(() => undefined),
    ]);
    return this.metrics.render({ jobsPending, exportsByState, cameraBytes, volume });
  }
}
