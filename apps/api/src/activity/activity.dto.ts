import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { TimeRangeQuery } from '../common/range.dto';

export const DEFAULT_ACTIVITY_BUCKETS = 1000;
export const MAX_ACTIVITY_BUCKETS = 5000;

export class ActivityQuery extends TimeRangeQuery {
  @ApiPropertyOptional({ description: `Most buckets to answer, 1..${MAX_ACTIVITY_BUCKETS} (default ${DEFAULT_ACTIVITY_BUCKETS}); a bucket is never shorter than 1 s.`, minimum: 1, maximum: MAX_ACTIVITY_BUCKETS })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ACTIVITY_BUCKETS)
  buckets?: number;
}

export class ActivityDto {
  @ApiProperty({ description: 'Start of the first bucket (ISO 8601 UTC), as asked.' }) from!: string;
  @ApiProperty({ description: 'End, exclusive (ISO 8601 UTC), as asked.' }) to!: string;
  @ApiProperty({ description: 'Length of each bucket, ms: max(1000, ceil((to − from) / buckets)).' }) bucketMs!: number;
  @ApiProperty({ description: 'The level at which the motion detector starts an event (always 50).', example: 50 }) threshold!: number;
  @ApiProperty({
    type: 'array',
    items: { type: 'integer', nullable: true, minimum: 0, maximum: 100 },
    description:
      'One per bucket, ceil((to − from) / bucketMs) of them (at most `buckets`): the highest motion level 0..100 of the GOPs (keyframe to keyframe) starting in ' +
      '[from + i·bucketMs, from + (i+1)·bucketMs); 50 is the detection threshold, 100 twice it or more. null: no scored GOP there (no footage, motion detection off, or not scored yet).',
  })
  levels!: (number | null)[];
}
