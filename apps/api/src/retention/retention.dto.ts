import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RetentionPolicyEntity } from '@wyze-nvr/db';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const MAX_AGE_S = 100 * 365 * 24 * 3600;

export class CameraPolicyBody {
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Delete footage older than this many seconds; null: no age limit (the global one applies).', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_AGE_S)
  maxAgeSeconds?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Keep at most this many bytes of footage; null: no byte limit (the global one applies).', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  maxBytes?: number | null;
}

export class GlobalPolicyBody extends CameraPolicyBody {
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Delete the oldest footage (any camera) while the recordings volume has less free space than this.', minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  minFreeBytes?: number | null;
}

export class PolicyDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Null for the global default.' }) cameraId!: number | null;
  @ApiProperty({ nullable: true, type: Number }) maxAgeSeconds!: number | null;
  @ApiProperty({ nullable: true, type: Number }) maxBytes!: number | null;
  @ApiProperty({ nullable: true, type: Number }) minFreeBytes!: number | null;

  static from(p: RetentionPolicyEntity): PolicyDto {
    return { cameraId: p.cameraId, maxAgeSeconds: p.maxAgeUs === null ? null : Math.round(p.maxAgeUs / 1e6), maxBytes: p.maxBytes, minFreeBytes: p.minFreeBytes };
  }
}

export class PoliciesDto {
  @ApiProperty({ type: PolicyDto, nullable: true }) global!: PolicyDto | null;
  @ApiProperty({ type: [PolicyDto] }) cameras!: PolicyDto[];
}

export class JobRefDto {
  @ApiProperty() jobId!: string;
  @ApiProperty({ description: 'True when the same job was already waiting or running.' }) deduplicated!: boolean;
  @ApiProperty({ description: 'GET this to follow the job.' }) statusUrl!: string;
}

export class JobStatusDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['waiting', 'active', 'completed', 'failed', 'cancelled'] }) state!: string;
  @ApiProperty() progress!: number;
  @ApiProperty({ nullable: true, description: "The handler's result once completed.", type: Object }) result!: unknown;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() attemptsMade!: number;
}
