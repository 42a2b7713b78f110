import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CameraIdPipe } from '../common/params';
import { ActivityDto, ActivityQuery } from './activity.dto';
import { ActivityService } from './activity.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller()
export class ActivityController {
  constructor(private readonly service: ActivityService) {}

  @Get('cameras/:id/activity')
  @ApiOperation({
    summary: 'Motion level per time bucket of [from, to) (at most 31 days), for drawing activity on a timeline.',
    description: 'The recorder stores the motion level of every GOP it scored; each bucket answers the highest of those starting in it, or null.',
  })
  @ApiOkResponse({ type: ActivityDto })
  @ApiResponse({ status: 400, description: 'validation-failed, invalid-range (to not after from), range-too-long (over 31 days)' })
  @ApiResponse({ status: 404, description: 'camera-not-found' })
  levels(@Param('id', CameraIdPipe) id: number, @Query() q: ActivityQuery): Promise<ActivityDto> {
    return this.service.levels(id, q);
  }
}
