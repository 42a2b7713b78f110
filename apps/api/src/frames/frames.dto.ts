import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsIsoUtc } from '../common/validation';

export const MIN_PICTURE_WIDTH = 16;
export const MAX_PICTURE_WIDTH = 3840;

/** The width of a picture the API decodes (`frame.jpg`) or the recorder does (`snapshot.jpg`). */
export class PictureQuery {
  @ApiPropertyOptional({
    description: `Width in pixels, ${MIN_PICTURE_WIDTH}..${MAX_PICTURE_WIDTH}; the height follows the picture's aspect (rounded to even). Default: the camera's own width.`,
    minimum: MIN_PICTURE_WIDTH,
    maximum: MAX_PICTURE_WIDTH,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `must be a whole number of pixels from ${MIN_PICTURE_WIDTH} to ${MAX_PICTURE_WIDTH}` })
  @Min(MIN_PICTURE_WIDTH, { message: `must be at least ${MIN_PICTURE_WIDTH} pixels` })
  @Max(MAX_PICTURE_WIDTH, { message: `must be at most ${MAX_PICTURE_WIDTH} pixels` })
  width?: number;
}

export class FrameQuery extends PictureQuery {
  @ApiProperty({ description: 'The picture is the keyframe at or before this time (ISO 8601 UTC with Z).', example: '2025-01-31T13:45:00Z' })
  @IsIsoUtc()
  at!: string;
}
