import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { JobRefDto } from '../retention/retention.dto';
import { CloudLoginDto, CloudLoginOutcomeDto, CloudMfaDto, CloudStatusDto } from './cloud.dto';
import { CloudLoginService, type LoginOutcome } from './cloud-login.service';
import { CloudService } from './cloud.service';

@ApiTags('cloud')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('cloud')
export class CloudController {
  constructor(
    private readonly service: CloudService,
    private readonly login: CloudLoginService,
  ) {}

  @Get('status')
  @ApiOperation({ summary: 'Wyze login state and the last import. Never a token.' })
  @ApiOkResponse({ type: CloudStatusDto })
  status(): Promise<CloudStatusDto> {
    return this.service.status();
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Logs in to the Wyze account (as `wyze-nvr cloud login` does) and saves the session, sealed with SECRET_KEY.',
    description:
      'Without a second factor, or with totpSecret: `logged-in`. Otherwise `mfa-required` with a loginId: the login waits (5 minutes) for the code at POST /cloud/login/{loginId}/mfa. The password and API key are never stored or logged.',
  })
  @ApiOkResponse({ type: CloudLoginOutcomeDto })
  @ApiResponse({ status: 422, description: 'cloud-login-refused (wrong e-mail, password or API key), cloud-mfa-unsupported' })
  @ApiResponse({ status: 429, description: 'cloud-rate-limited' })
  @ApiResponse({ status: 502, description: 'cloud-unavailable' })
  start(@Body() body: CloudLoginDto): Promise<LoginOutcome> {
    return this.login.start(body);
  }

  @Post('login/:loginId/mfa')
  @HttpCode(200)
  @ApiOperation({ summary: 'The second factor’s code for a login that answered mfa-required; the login ends either way (a wrong code: log in again).' })
  @ApiOkResponse({ type: CloudLoginOutcomeDto })
  @ApiResponse({ status: 404, description: 'not-found: no login waits under this id' })
  @ApiResponse({ status: 422, description: 'cloud-mfa-refused: the code was wrong' })
  complete(@Param('loginId', new ParseUUIDPipe({ version: '4' })) loginId: string, @Body() body: CloudMfaDto): Promise<LoginOutcome> {
    return this.login.complete(loginId, body.code.trim());
  }

  @Delete('login')
  @HttpCode(204)
  @ApiOperation({ summary: 'Forgets the saved Wyze session (imported cameras stay).' })
  @ApiNoContentResponse()
  logout(): Promise<void> {
    return this.login.logout();
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
