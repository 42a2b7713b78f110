import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../common/domain.error';
import { JobIdPipe } from '../common/params';
import { JobQueueRepository } from '../repositories/job-queue.repository';
import { JobStatusDto } from '../retention/retention.dto';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobQueueRepository) {}

  @Get(':id')
  @ApiOperation({ summary: 'State and progress of a retention sweep, cloud import or export job (by the id a POST returned).' })
  @ApiOkResponse({ type: JobStatusDto })
  async get(@Param('id', JobIdPipe) id: string): Promise<JobStatusDto> {
    const job = await this.jobs.get(id);
    if (!job) throw new DomainError('job-not-found', `job ${id} not found`);
    return { id: job.id, name: job.name, state: job.state, progress: job.progress, result: job.result ?? null, error: job.error ?? null, attemptsMade: job.attemptsMade };
  }
}
