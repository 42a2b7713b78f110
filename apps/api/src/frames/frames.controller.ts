import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CameraIdPipe } from '../common/params';
import { formatIsoUs, parseIsoUs } from '../common/time';
import { FrameQuery } from './frames.dto';
import { FramesService } from './frames.service';

@ApiTags('recordings')
@ApiBearerAuth()
@Controller()
export class FramesController {
  constructor(private readonly service: FramesService) {}

  @Get('cameras/:id/frame.jpg')
  @ApiOperation({
    summary: 'The recorded keyframe at or before `at`, as a JPEG (timeline thumbnails).',
    description:
      'Only the segment that covers `at` is searched: a time in a gap has no picture (404 no-footage). The keyframe time is in X-Frame-Time. ' +
      'ETag identifies (camera, keyframe, width); If-None-Match answers 304. A picture of a closed segment is `immutable`; one of the segment being recorded is revalidated (no-cache).',
  })
  @ApiProduces('image/jpeg')
  @ApiResponse({ status: 200, content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 304, description: 'The ETag in If-None-Match is current' })
  @ApiResponse({ status: 400, description: 'validation-failed: `at` is not ISO 8601 UTC, or `width` is not 16..3840' })
  @ApiResponse({ status: 404, description: 'camera-not-found; no-footage: nothing recorded at `at`' })
  @ApiResponse({ status: 422, description: 'segment-damaged: the segment file cannot be read or its keyframe does not decode' })
  async frame(@Param('id', CameraIdPipe) id: number, @Query() q: FrameQuery, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response): Promise<void> {
    const a = await this.service.frame(id, parseIsoUs(q.at)!, q.width, ifNoneMatch);
    res.setHeader('ETag', a.etag);
    res.setHeader('Cache-Control', a.cacheControl);
    res.setHeader('X-Frame-Time', formatIsoUs(a.keyframeUs));
    if (!a.jpeg) {
      res.status(304).end();
      return;
    }
    res.status(200).type('image/jpeg').setHeader('Content-Length', String(a.jpeg.length));
    res.end(a.jpeg);
  }
}
