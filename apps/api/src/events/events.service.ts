import { Injectable } from '@nestjs/common';
import type { EventEntity, SegmentEntity } from '@wyze-nvr/db';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { DomainError } from '../common/domain.error';
import { HOUR_US, toWindow, type TimeWindow } from '../common/range.dto';
import { formatIsoUs } from '../common/time';
import { ExportDto } from '../exports/exports.dto';
import { ExportsService } from '../exports/exports.service';
import { MAX_LIST_US, MAX_PLAYBACK_US, RecordingsService } from '../recordings/recordings.service';
import { ClockRepository } from '../repositories/clock.repository';
import { EventRepository } from '../repositories/event.repository';
import { clipRange, EventDto, EventPageDto, type ListEventsQuery } from './events.dto';

@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventRepository,
    private readonly recordings: RecordingsService,
    private readonly exportsService: ExportsService,
    private readonly clock: ClockRepository,
  ) {}

  async list(q: ListEventsQuery): Promise<EventPageDto> {
    const window = toWindow(q, MAX_LIST_US);
    if (q.camera !== undefined) await this.recordings.requireCamera(q.camera);
    const limit = q.limit ?? 100;
    const after = q.cursor ? (decodeCursor('events', q.cursor, ['number', 'number']) as [number, number]) : undefined;
    const rows = await this.events.page({ cameraId: q.camera, ...window }, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(EventDto.from), nextCursor: rows.length > limit ? encodeCursor('events', [last.startUs, last.id]) : null };
  }

  async get(id: number): Promise<EventDto> {
    return EventDto.from(await this.require(id));
  }

  async setProtected(id: number, value: boolean): Promise<EventDto> {
    const row = await this.events.setProtected(id, value);
    if (!row) throw notFound(id);
    return EventDto.from(row);
  }

  /** The clip's window and the segments to copy it from (range playback of [start − pre-roll, end + post-roll)). */
  async planClip(id: number): Promise<{ event: EventEntity; window: TimeWindow; segments: SegmentEntity[] }> {
    const event = await this.require(id);
    const window = this.clipWindow(event);
    return { event, window, segments: await this.recordings.planRange(event.cameraId, window) };
  }

  /** Queues an export of the clip (export-range job), exactly as `POST /exports` with the clip's range. */
  async export(id: number): Promise<ExportDto> {
    const event = await this.require(id);
    const window = this.clipWindow(event);
    return this.exportsService.create({ camera: event.cameraId, from: formatIsoUs(window.fromUs), to: formatIsoUs(window.toUs) });
  }

  private clipWindow(e: EventEntity): TimeWindow {
    const clip = clipRange(e);
    // While the event lasts its clip runs to now (whatever has been recorded so far).
    const toUs = clip.toUs ?? Math.max(this.clock.nowUs(), e.startUs + 1);
    if (toUs - clip.fromUs > MAX_PLAYBACK_US) {
      throw DomainError.field('range-too-long', 'id', `the clip of event ${e.id} is longer than ${MAX_PLAYBACK_US / HOUR_US} hours; play it with /cameras/${e.cameraId}/video.mp4 in parts`);
    }
    // Same checks as a client-given range, so the clip and video.mp4 can never disagree.
    return toWindow({ from: formatIsoUs(clip.fromUs), to: formatIsoUs(toUs) }, MAX_PLAYBACK_US);
  }

  private async require(id: number): Promise<EventEntity> {
    const row = await this.events.get(id);
    if (!row) throw notFound(id);
    return row;
  }
}

function notFound(id: number): DomainError {
  return new DomainError('not-found', `event ${id} not found`);
}
