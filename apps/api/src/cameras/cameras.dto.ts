import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsIP, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PageDto } from '../common/range.dto';

export class CreateCameraDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ description: 'TUTK device UID (20 upper-case letters and digits).', example: 'ABCDEFGHJKLMNPRSTUV1' })
  @IsString()
  @Matches(/^[A-Z0-9]{20}$/, { message: 'must be 20 upper-case letters or digits' })
  uid!: string;

  @ApiProperty({ description: 'The camera key (ENR). Write-only: stored encrypted, never returned.', writeOnly: true, minLength: 1, maxLength: 256 })
  @IsString()
  @Length(1, 256)
  enr!: string;

  @ApiProperty({ description: 'MAC address, 12 hex digits (separators allowed); stored upper-case without separators.', example: '2CAA8E0000A1' })
  @IsString()
  @Matches(/^(?:[0-9A-Fa-f]{2}[:-]?){5}[0-9A-Fa-f]{2}$/, { message: 'must be a MAC address (12 hex digits)' })
  mac!: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'IPv4 address on the LAN.' })
  @IsOptional()
  @IsIP(4)
  ip?: string | null;

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 1, maximum: 65535 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number | null;

  @ApiProperty({ example: 'WYZE_CAKP2JFUS', minLength: 1, maxLength: 64 })
  @IsString()
  @Length(1, 64)
  model!: string;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 64 })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  firmware?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ enum: ['hd', 'sd'], default: 'hd' })
  @IsOptional()
  @IsIn(['hd', 'sd'])
  quality?: 'hd' | 'sd';
}

export class UpdateCameraDto extends PartialType(CreateCameraDto) {}

export class CameraStatusDto {
  @ApiProperty({
    description:
      '`disabled` for a disabled camera (the recorder stops it at once); else from the recorder (starting, connecting, recording, backoff, stopped) while it reports; `stale` when its last report is over a minute old; without reports: offline (an open gap), recording (an open segment) or idle.',
  })
  state!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Time of the newest recorded frame (ISO 8601 UTC).' }) lastFrameAt!: string | null;
  @ApiPropertyOptional({ description: 'Why the camera is not recording (gap reason or last error).' }) reason?: string;
  @ApiProperty({ enum: ['recorder', 'recordings'], description: 'recorder: its live status row; recordings: derived from the newest segment and gap.' }) source!: string;
  @ApiPropertyOptional({ description: 'When the recorder last reported.' }) reportedAt?: string;
}

export class CameraOwnerDto {
  @ApiProperty({ description: 'RECORDER_NODE_ID of the recorder that records the camera (GET /recorders).' }) nodeId!: string;
  @ApiProperty({ description: 'Fencing epoch of its lease: grows at every change of owner.' }) epoch!: number;
  @ApiProperty({ description: 'When the lease lapses unless renewed (every few seconds).' }) leaseExpiresAt!: string;
}

export class CameraDto {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty() uid!: string;
  @ApiProperty() mac!: string;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ nullable: true, type: Number }) port!: number | null;
  @ApiProperty() model!: string;
  @ApiProperty({ nullable: true, type: String }) firmware!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['old', 'new'] }) flavour!: string | null;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ enum: ['hd', 'sd'] }) quality!: string;
  @ApiProperty({ description: 'An ENR is stored (its value is never returned).' }) hasEnr!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: CameraStatusDto }) status!: CameraStatusDto;
  @ApiProperty({ type: CameraOwnerDto, nullable: true, description: 'The recorder holding the camera’s lease; null when none does (disabled, or no recorder running).' })
  owner!: CameraOwnerDto | null;
}

export class CameraPageDto extends PageDto {
  @ApiProperty({ type: [CameraDto] }) items!: CameraDto[];
}
