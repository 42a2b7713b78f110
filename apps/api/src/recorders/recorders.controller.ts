import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RecorderListDto } from './recorders.dto';
import { RecordersService } from './recorders.service';

@ApiTags('recorders')
@ApiBearerAuth()
@Controller('recorders')
export class RecordersController {
  constructor(private readonly service: RecordersService) {}

  @Get()
  @ApiOperation({ summary: 'Recorder nodes sharing this database: heartbeat, and the cameras each records now (its live leases).' })
  @ApiOkResponse({ type: RecorderListDto })
  list(): Promise<RecorderListDto> {
    return this.service.list();
  }
}
