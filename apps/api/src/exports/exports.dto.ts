import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import type { ExportEntity } from '@wyze-nvr/db';
import { IsInt, Max, Min } from 'class-validator';
import { CameraFilterQuery, PageDto, PageQuery } from '../common/range.dto';
import { formatIsoUs } from '../common/time';
import { IsIsoUtc } from '../common/validation';

export class CreateExportDto {
  @ApiProperty({ description: 'Camera id.' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  camera!: number;

  @ApiProperty({ description: 'Start, inclusive (ISO 8601 UTC with Z); the file starts at the keyframe at or before it.', example: '2025-01-31T13:00:00Z' })
  @IsIsoUtc()
  from!: string;

  @ApiProperty({ description: 'End, exclusive (ISO 8601 UTC with Z); at most 24 h after `from`.', example: '2025-01-31T14:00:00Z' })
  @IsIsoUtc()
  to!: string;
}

export class ExportDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() camera!: number;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ enum: ['queued', 'active', 'completed', 'failed', 'cancelled'] }) state!: string;
  @ApiProperty({ description: 'Percent, 0..100.' }) progress!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Size of the finished file.' }) bytes!: number | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'GET this (with Range) once completed.' }) fileUrl!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;

  static from(x: ExportEntity): ExportDto {
    return {
      id: x.id,
      camera: x.cameraId,
      from: formatIsoUs(x.fromUs),
      to: formatIsoUs(x.toUs),
      state: x.state,
      progress: x.progress,
      bytes: x.bytes,
      error: x.error,
      fileUrl: x.state === 'completed' ? `/exports/${x.id}/file` : null,
      createdAt: formatIsoUs(x.createdAt.getTime() * 1000),
      updatedAt: formatIsoUs(x.updatedAt.getTime() * 1000),
    };
  }
}

export class ListExportsQuery extends IntersectionType(PageQuery, CameraFilterQuery) {}

export class ExportPageDto extends PageDto {
  @ApiProperty({ type: [ExportDto] }) items!: ExportDto[];
}
