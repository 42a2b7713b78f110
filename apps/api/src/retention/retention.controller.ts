import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CameraIdPipe } from '../common/params';
import { CameraPolicyBody, GlobalPolicyBody, JobRefDto, PoliciesDto, PolicyDto } from './retention.dto';
import { RetentionService } from './retention.service';

@ApiTags('retention')
@ApiBearerAuth()
@Controller()
export class RetentionController {
  constructor(private readonly service: RetentionService) {}

  @Get('retention/policies')
  @ApiOperation({ summary: 'The global policy (age, bytes, free-space floor) and the per-camera ones (age, bytes) that override it.' })
  @ApiOkResponse({ type: PoliciesDto })
  policies(): Promise<PoliciesDto> {
    return this.service.policies();
  }

  @Put('retention/policies/global')
  @ApiOkResponse({ type: PolicyDto })
  setGlobal(@Body() body: GlobalPolicyBody): Promise<PolicyDto> {
    return this.service.setGlobal(body);
  }

  @Put('cameras/:id/retention')
  @ApiOkResponse({ type: PolicyDto })
  setCamera(@Param('id', CameraIdPipe) id: number, @Body() body: CameraPolicyBody): Promise<PolicyDto> {
    return this.service.setCamera(id, body);
  }

  @Delete('cameras/:id/retention')
  @HttpCode(204)
  @ApiNoContentResponse()
  deleteCamera(@Param('id', CameraIdPipe) id: number): Promise<void> {
    return this.service.deleteCamera(id);
  }

  @Post('retention/run')
  @HttpCode(202)
  @ApiOperation({ summary: "Queues a retention sweep now (the schedule's job id for the current period; deduplicated while one is pending)." })
  @ApiAcceptedResponse({ type: JobRefDto })
  async run(): Promise<JobRefDto> {
    const job = await this.service.enqueue();
    return { jobId: job.id, deduplicated: job.deduplicated, statusUrl: `/jobs/${job.id}` };
  }
}
