import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CONTROL_NAMES } from '@wyze-nvr/tutk/controls';
import type { Response } from 'express';
import { CameraIdPipe } from '../common/params';
import { clientGone } from '../common/stream';
import { ControlSetDto, ControlsDto, SetControlDto } from './controls.dto';
import { ControlsService } from './controls.service';

const NOT_CONNECTED = '503 camera-not-recording (with `state` and `reason`): the camera is not connected, or its recorder has not reported for a minute';

@ApiTags('controls')
@ApiBearerAuth()
@Controller('cameras/:id/controls')
export class ControlsController {
  constructor(private readonly controls: ControlsService) {}

  @Get()
  @ApiOperation({
    summary: 'What the camera’s model can be told to do, and the values now.',
    description: 'Read from the camera on the recorder’s session (one K-command per control, a second and a half at most each). A control the camera does not answer has value null and an `error`.',
  })
  @ApiOkResponse({ type: ControlsDto })
  @ApiResponse({ status: 404, description: 'camera-not-found' })
  @ApiResponse({ status: 502, description: 'recorder-unavailable' })
  @ApiResponse({ status: 503, description: NOT_CONNECTED })
  list(@Param('id', CameraIdPipe) id: number, @Res({ passthrough: true }) res: Response): Promise<ControlsDto> {
    return this.controls.list(id, clientGone(res).signal);
  }

  @Put(':name')
  @ApiOperation({
    summary: 'Changes one control; answers once the camera acknowledged it.',
    description: 'Sent as a K-command on the session the recorder already holds (never a second session). PTZ `rotate` is never acknowledged by cameras: it answers once sent.',
  })
  @ApiParam({ name: 'name', enum: CONTROL_NAMES })
  @ApiOkResponse({ type: ControlSetDto })
  @ApiResponse({ status: 400, description: 'validation-failed: the value, with why (`errors[0].reason`)' })
  @ApiResponse({ status: 404, description: 'camera-not-found, control-not-found' })
  @ApiResponse({ status: 422, description: 'control-not-supported: the model has no such control (nothing is sent); control-read-only' })
  @ApiResponse({ status: 502, description: 'recorder-unavailable; camera-refused; camera-bad-reply' })
  @ApiResponse({ status: 503, description: NOT_CONNECTED })
  @ApiResponse({ status: 504, description: 'camera-no-answer: the camera did not acknowledge it (e.g. the spotlight without its accessory)' })
  set(@Param('id', CameraIdPipe) id: number, @Param('name') name: string, @Body() body: SetControlDto, @Res({ passthrough: true }) res: Response): Promise<ControlSetDto> {
    return this.controls.set(id, name, body.value, clientGone(res).signal);
  }
}
