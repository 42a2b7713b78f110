import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DomainError } from './domain.error';
import { parseIsoUs } from './time';
import { IsIsoUtc } from './validation';

export const HOUR_US = 3600 * 1e6;
export const DAY_US = 24 * HOUR_US;

/** A half-open time window [from, to) in ISO 8601 UTC. */
export class TimeRangeQuery {
  @ApiProperty({ description: 'Start, inclusive (ISO 8601 UTC with Z).', example: '2025-01-31T13:00:00Z' })
  @IsIsoUtc()
  from!: string;

  @ApiProperty({ description: 'End, exclusive (ISO 8601 UTC with Z); after `from`.', example: '2025-01-31T14:00:00Z' })
  @IsIsoUtc()
  to!: string;
}

export class PageQuery {
  @ApiPropertyOptional({ description: 'Items per page, 1..500 (default 100).', minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

/** A list of one camera's items, or of all cameras'. */
export class CameraFilterQuery {
  @ApiPropertyOptional({ description: 'Only this camera’s.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  camera?: number;
}

/** [from, to) and paging; validation and OpenAPI metadata come from both. */
export class RangePageQuery extends IntersectionType(TimeRangeQuery, PageQuery) {}

export interface TimeWindow {
  fromUs: number;
  toUs: number;
}

/** Checks from < to and the window length; both bounds were validated by IsIsoUtc. */
export function toWindow(q: { from: string; to: string }, maxUs: number): TimeWindow {
  const fromUs = parseIsoUs(q.from)!;
  const toUs = parseIsoUs(q.to)!;
  if (toUs <= fromUs) throw DomainError.field('invalid-range', 'to', 'must be after from (the range is [from, to))');
  if (toUs - fromUs > maxUs) throw DomainError.field('range-too-long', 'to', `the range may be at most ${maxUs / HOUR_US} hours long`);
  return { fromUs, toUs };
}

export class PageDto {
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor!: string | null;
}
