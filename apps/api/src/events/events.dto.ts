import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import type { EventEntity } from '@wyze-nvr/db';
import { CameraFilterQuery, PageDto, RangePageQuery } from '../common/range.dto';
import { formatIsoOrNull, formatIsoUs } from '../common/time';

export class ListEventsQuery extends IntersectionType(RangePageQuery, CameraFilterQuery) {}

export class EventDto {
  @ApiProperty() id!: number;
  @ApiProperty() camera!: number;
  @ApiProperty({ enum: ['motion'] }) kind!: string;
  @ApiProperty({ description: 'First motion (ISO 8601 UTC).' }) start!: string;
  @ApiProperty({ nullable: true, type: String, description: 'End of the motion, exclusive; null while it lasts.' }) end!: string | null;
  @ApiProperty({ description: 'Highest motion score, in multiples of the detection threshold (0 while the event lasts).' }) peakScore!: number;
  @ApiProperty() preRollSeconds!: number;
  @ApiProperty() postRollSeconds!: number;
  @ApiProperty({ description: 'Retention keeps the footage of [clipFrom, clipTo) while set.' }) protected!: boolean;
  @ApiProperty({ description: 'start − pre-roll; the clip starts at the keyframe at or before it.' }) clipFrom!: string;
  @ApiProperty({ nullable: true, type: String, description: 'end + post-roll, exclusive; null while the event lasts (the clip then runs to now).' }) clipTo!: string | null;
  @ApiProperty({ description: 'GET this for the clip (fragmented MP4).' }) clipUrl!: string;

  static from(e: EventEntity): EventDto {
    const clip = clipRange(e);
    return {
      id: e.id,
      camera: e.cameraId,
      kind: e.kind,
      start: formatIsoUs(e.startUs),
      end: formatIsoOrNull(e.endUs),
      peakScore: e.peakScore,
      preRollSeconds: e.preRollUs / 1e6,
      postRollSeconds: e.postRollUs / 1e6,
      protected: e.protected,
      clipFrom: formatIsoUs(clip.fromUs),
      clipTo: formatIsoOrNull(clip.toUs),
      clipUrl: `/events/${e.id}/clip.mp4`,
    };
  }
}

export class EventPageDto extends PageDto {
  @ApiProperty({ type: [EventDto] }) items!: EventDto[];
}

/** The footage of an event: [start − pre-roll, end + post-roll); the end is open (null) while the event lasts. */
export function clipRange(e: Pick<EventEntity, 'startUs' | 'endUs' | 'preRollUs' | 'postRollUs'>): { fromUs: number; toUs: number | null } {
  return { fromUs: Math.max(0, e.startUs - e.preRollUs), toUs: e.endUs === null ? null : e.endUs + e.postRollUs };
}
