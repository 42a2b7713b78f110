import { ApiProperty } from '@nestjs/swagger';

export class RecorderNodeDto {
  @ApiProperty({ description: 'RECORDER_NODE_ID of the recorder process.' }) id!: string;
  @ApiProperty() hostname!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Base URL of its internal server (live view, snapshots, files only it can read).' }) url!: string | null;
  @ApiProperty({ description: 'When the process started (ISO 8601 UTC).' }) startedAt!: string;
  @ApiProperty({ description: 'Its last heartbeat (every few seconds while it runs).' }) heartbeatAt!: string;
  @ApiProperty({ description: 'Heartbeat younger than 30 s.' }) live!: boolean;
  @ApiProperty({ type: [Number], description: 'Cameras it holds a live lease on (records now).' }) cameraIds!: number[];
}

export class RecorderListDto {
  @ApiProperty({ type: [RecorderNodeDto] }) items!: RecorderNodeDto[];
}
