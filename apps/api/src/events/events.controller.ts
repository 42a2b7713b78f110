import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IdPipe } from '../common/params';
import { streamMp4 } from '../common/stream';
import { ExportDto } from '../exports/exports.dto';
import { RecordingsService } from '../recordings/recordings.service';
import { EventDto, EventPageDto, ListEventsQuery } from './events.dto';
import { EventsService } from './events.service';

const EventIdPipe = new IdPipe('id');

@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(
    private readonly service: EventsService,
    private readonly recordings: RecordingsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Events overlapping [from, to) (at most 31 days; an event in progress overlaps everything after its start), of one camera or all, oldest first, paged.' })
  @ApiOkResponse({ type: EventPageDto })
  list(@Query() q: ListEventsQuery): Promise<EventPageDto> {
    return this.service.list(q);
  }

  @Get(':id')
  @ApiOkResponse({ type: EventDto })
  get(@Param('id', EventIdPipe) id: number): Promise<EventDto> {
    return this.service.get(id);
  }

  @Get(':id/clip.mp4')
  @ApiOperation({
    summary: 'The event’s clip: range playback of [start − pre-roll, end + post-roll) as one fragmented MP4.',
    description:
      'Starts at the keyframe at or before start − pre-roll (its time is in X-Start-Time), not at a segment boundary; an event in progress runs to now. ' +
      'Streamed like /cameras/{id}/video.mp4 (chunked, no Range); export the event for a seekable file.',
  })
  @ApiProduces('video/mp4')
  @ApiResponse({ status: 200, description: 'video/mp4', content: { 'video/mp4': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 404, description: 'not-found: no such event' })
  @ApiResponse({ status: 422, description: 'no-recordings: the footage is gone (retention) or was never recorded; segment-damaged: a segment file of the clip cannot be read' })
  async clip(@Param('id', EventIdPipe) id: number, @Res() res: Response): Promise<void> {
    const { window, segments } = await this.service.planClip(id);
    await streamMp4(res, `event-${id}.mp4`, (hooks) => this.recordings.copy(segments, { ...window, ...hooks }));
  }

  @Post(':id/protect')
  @HttpCode(200)
  @ApiOperation({ summary: 'Keeps the clip’s footage from retention (segments overlapping [start − pre-roll, end + post-roll)).' })
  @ApiOkResponse({ type: EventDto })
  protect(@Param('id', EventIdPipe) id: number): Promise<EventDto> {
    return this.service.setProtected(id, true);
  }

  @Post(':id/unprotect')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lets retention delete the clip’s footage again.' })
  @ApiOkResponse({ type: EventDto })
  unprotect(@Param('id', EventIdPipe) id: number): Promise<EventDto> {
    return this.service.setProtected(id, false);
  }

  @Post(':id/export')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queues an export of the clip to one MP4 file (an export like POST /exports; follow it under /exports/{id}).' })
  @ApiAcceptedResponse({ type: ExportDto })
  export(@Param('id', EventIdPipe) id: number): Promise<ExportDto> {
    return this.service.export(id);
  }
}
