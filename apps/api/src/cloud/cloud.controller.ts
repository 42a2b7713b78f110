import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { JobRefDto } from '../retention/retention.dto';
import { CloudService } from './cloud.service';

class ImportSummaryDto {
  @ApiProperty() at!: string;
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() skipped!: number;
}

class CloudStatusDto {
  @ApiProperty() loggedIn!: boolean;
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional() userId?: string;
  @ApiPropertyOptional() loggedInAt?: string;
  @ApiPropertyOptional() refreshedAt?: string;
  @ApiPropertyOptional({ type: ImportSummaryDto }) lastImport?: ImportSummaryDto;
  @ApiPropertyOptional({ description: 'Why a saved session cannot be used.' }) problem?: string;
}

@ApiTags('cloud')
@ApiBearerAuth()
@Controller('cloud')
export class CloudController {
  constructor(private readonly service: CloudService) {}

  @Get('status')
  @ApiOperation({ summary: 'Wyze login state and the last import. Never a token.' })
  @ApiOkResponse({ type: CloudStatusDto })
  status(): Promise<CloudStatusDto> {
    return this.service.status();
  }

  @Post('import')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queues a camera import from the Wyze account (cloud-import job); 409 when not logged in. Follow it at /jobs/{jobId}.' })
  @ApiAcceptedResponse({ type: JobRefDto })
  async import(): Promise<JobRefDto> {
    const job = await this.service.enqueue();
    return { jobId: job.id, deduplicated: job.deduplicated, statusUrl: `/jobs/${job.id}` };
  }
}
