import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CameraIdPipe, SegmentIdPipe } from '../common/params';
import { RangePageQuery, TimeRangeQuery } from '../common/range.dto';
import { sendFile, streamMp4 } from '../common/stream';
import { formatIsoUs } from '../common/time';
import { CamerasCoverageDto, CoverageDto, SegmentPageDto } from './recordings.dto';
import { RecordingsService } from './recordings.service';

@ApiTags('recordings')
@ApiBearerAuth()
@Controller()
export class RecordingsController {
  constructor(private readonly service: RecordingsService) {}

  @Get('cameras/:id/recordings')
  @ApiOperation({ summary: 'Segments overlapping [from, to) (at most 31 days), oldest first, paged.' })
  @ApiOkResponse({ type: SegmentPageDto })
  list(@Param('id', CameraIdPipe) id: number, @Query() q: RangePageQuery): Promise<SegmentPageDto> {
    return this.service.list(id, q);
  }

  @Get('cameras/:id/coverage')
  @ApiOperation({ summary: 'Recorded spans (contiguous segments merged) and gaps with reasons in [from, to) (at most 31 days).' })
  @ApiOkResponse({ type: CoverageDto })
  coverage(@Param('id', CameraIdPipe) id: number, @Query() q: TimeRangeQuery): Promise<CoverageDto> {
    return this.service.coverage(id, q);
  }

  @Get('coverage')
  @ApiOperation({ summary: 'Coverage of every camera with footage or gaps in [from, to) (at most 31 days) in one answer, each as /cameras/:id/coverage gives it (the all-cameras timeline).' })
  @ApiOkResponse({ type: CamerasCoverageDto })
  coverageOfCameras(@Query() q: TimeRangeQuery): Promise<CamerasCoverageDto> {
    return this.service.coverageOfCameras(q);
  }

  @Get('cameras/:id/video.mp4')
  @ApiOperation({
    summary: 'One fragmented MP4 of [from, to) (at most 24 h), streamed as it is read.',
    description:
      'Starts at the keyframe at or before `from` (its time is in X-Start-Time); samples at or after `to` are left out. Fragments are copied from the segments without re-encoding. ' +
      'Sent chunked without Content-Length and without Range support; use an export for a seekable file. A range in which the codec or resolution changes is refused with 409 and the list of `ranges` to request one by one.',
  })
  @ApiProduces('video/mp4')
  @ApiResponse({ status: 200, description: 'video/mp4', content: { 'video/mp4': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 409, description: 'stream-config-changed: codec or resolution changes inside the range' })
  @ApiResponse({ status: 422, description: 'no-recordings: nothing recorded in the range; segment-damaged: a segment file of the range cannot be read' })
  async video(@Param('id', CameraIdPipe) id: number, @Query() q: TimeRangeQuery, @Res() res: Response): Promise<void> {
    const window = this.service.playbackWindow(q);
    const segments = await this.service.planRange(id, window);
    const filename = `camera-${id}-${formatIsoUs(window.fromUs).replace(/[:.]/g, '')}.mp4`;
    await streamMp4(res, filename, (hooks) => this.service.copy(segments, { ...window, ...hooks }));
  }

  @Get('segments/:id/file')
  @ApiOperation({ summary: 'The segment file (fragmented MP4), with HTTP Range (206, 416).' })
  @ApiProduces('video/mp4')
  @ApiResponse({ status: 200, content: { 'video/mp4': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 206, description: 'Partial content' })
  @ApiResponse({ status: 416, description: 'Range not satisfiable' })
  async file(@Param('id', SegmentIdPipe) id: number, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { segment, file } = await this.service.segmentFile(id);
    await sendFile(req, res, file, {
      'Content-Type': 'video/mp4',
      'Content-Disposition': `inline; filename="segment-${segment.id}.mp4"`,
    });
  }
}
