import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SegmentEntity } from '@wyze-nvr/db';
import { PageDto } from '../common/range.dto';
import { formatIsoUs } from '../common/time';

export class SegmentDto {
  @ApiProperty() id!: number;
  @ApiProperty() cameraId!: number;
  @ApiProperty({ description: 'Start, inclusive (ISO 8601 UTC).' }) from!: string;
  @ApiProperty({ description: 'End, exclusive (ISO 8601 UTC).' }) to!: string;
  @ApiProperty({ enum: ['open', 'closed', 'damaged', 'missing'] }) state!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty() videoFrames!: number;
  @ApiProperty() audioFrames!: number;
  @ApiProperty() keyframes!: number;
  @ApiProperty({ nullable: true, type: String }) videoCodec!: string | null;
  @ApiProperty({ nullable: true, type: String }) audioCodec!: string | null;
  @ApiProperty({ nullable: true, type: Number }) width!: number | null;
  @ApiProperty({ nullable: true, type: Number }) height!: number | null;
  @ApiProperty({ description: 'GET this (with Range) for the segment file.' }) fileUrl!: string;

  static from(s: SegmentEntity): SegmentDto {
    return {
      id: s.id,
      cameraId: s.cameraId,
      from: formatIsoUs(s.startUs),
      to: formatIsoUs(s.endUs),
      state: s.state,
      bytes: s.bytes,
      videoFrames: s.videoFrames,
      audioFrames: s.audioFrames,
      keyframes: s.keyframes,
      videoCodec: s.videoCodec,
      audioCodec: s.audioCodec,
      width: s.width,
      height: s.height,
      fileUrl: `/segments/${s.id}/file`,
    };
  }
}

export class SegmentPageDto extends PageDto {
  @ApiProperty({ type: [SegmentDto] }) items!: SegmentDto[];
}

export class SpanDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
}

export class GapDto {
  @ApiProperty() from!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null while the gap lasts.' }) to!: string | null;
  @ApiProperty({ description: 'offline, discovery_timeout, auth_refused, network_loss, disk_error, disk_full, recorder_down, stalled, disabled, reconfigured, handover, …' }) reason!: string;
}

export class CoverageDto {
  @ApiProperty() cameraId!: number;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [SpanDto], description: 'Recorded spans, contiguous segments merged, clipped to [from, to).' }) recorded!: SpanDto[];
  @ApiProperty({ type: [GapDto], description: 'Gaps the recorder wrote, with reasons, clipped to [from, to).' }) gaps!: GapDto[];
  @ApiProperty({ description: 'Microseconds of [from, to) covered by recordings.' }) recordedUs!: number;
}

export class CamerasCoverageDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [CoverageDto], description: 'One entry per camera with footage or gaps in [from, to), by camera id.' }) cameras!: CoverageDto[];
}

export class PlaybackConflictDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiPropertyOptional() videoCodec?: string;
  @ApiPropertyOptional() width?: number;
  @ApiPropertyOptional() height?: number;
}
