import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DAY_US } from '../common/range.dto';
import { formatIsoOrNull } from '../common/time';
import { ClockRepository } from '../repositories/clock.repository';
import { MediaFileRepository } from '../repositories/media-file.repository';
import { RecordingRepository } from '../repositories/recording.repository';
import { RetentionRepository } from '../repositories/retention.repository';

export class CameraUsageDto {
  @ApiProperty() cameraId!: number;
  @ApiProperty() segments!: number;
  @ApiProperty() bytes!: number;
  @ApiProperty({ nullable: true, type: String }) oldest!: string | null;
  @ApiProperty({ nullable: true, type: String }) newest!: string | null;
  @ApiProperty({ description: 'Recording rate over the last 24 h (or since the first segment, if younger).' }) bytesPerDay!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Days of footage kept at the current rate: the tightest of the age limit, the byte limit and this camera\'s share of the free space above the floor. Null when nothing limits it or nothing is recorded.' })
  estimatedDaysKept!: number | null;
  @ApiProperty({ nullable: true, type: String, enum: ['maxAge', 'maxBytes', 'disk'] }) limitedBy!: string | null;
}

export class StorageDto {
  @ApiProperty() totalBytes!: number;
  @ApiProperty({ nullable: true, type: Number }) volumeTotalBytes!: number | null;
  @ApiProperty({ nullable: true, type: Number }) volumeFreeBytes!: number | null;
  @ApiProperty({ nullable: true, type: Number }) minFreeBytes!: number | null;
  @ApiProperty({ type: [CameraUsageDto] }) cameras!: CameraUsageDto[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

@Injectable()
export class StorageService {
  constructor(
    private readonly recordings: RecordingRepository,
    private readonly retention: RetentionRepository,
    private readonly files: MediaFileRepository,
    private readonly clock: ClockRepository,
  ) {}

  async usage(): Promise<StorageDto> {
    const now = this.clock.nowUs();
    const [rows, recent, policies, volume] = await Promise.all([
      this.recordings.usage(),
      this.recordings.bytesSince(now - DAY_US),
      this.retention.policies(),
      this.files.volume().catch(() => undefined),
    ]);
    const global = policies.find((p) => p.cameraId === null);
    const floor = global?.minFreeBytes ?? 0;
    const rates = new Map<number, number>();
    for (const r of rows) {
      const window = r.oldestUs === null ? 0 : Math.min(DAY_US, Math.max(now - r.oldestUs, 1));
      const bytes = recent.get(r.cameraId)?.bytes ?? 0;
      rates.set(r.cameraId, window > 0 ? Math.round((bytes * DAY_US) / window) : 0);
    }
    const totalBytes = rows.reduce((n, r) => n + r.bytes, 0);
    const totalRate = [...rates.values()].reduce((a, b) => a + b, 0);
    const cameras = rows.map((r): CameraUsageDto => {
      const rate = rates.get(r.cameraId) ?? 0;
      const policy = policies.find((p) => p.cameraId === r.cameraId);
      const maxAgeUs = policy?.maxAgeUs ?? global?.maxAgeUs ?? null;
      const maxBytes = policy?.maxBytes ?? global?.maxBytes ?? null;
      const limits: [string, number][] = [];
      if (maxAgeUs !== null) limits.push(['maxAge', maxAgeUs / DAY_US]);
      if (rate > 0 && maxBytes !== null) limits.push(['maxBytes', maxBytes / rate]);
      // The space all cameras can fill before the floor, shared in proportion to their rates.
      if (rate > 0 && volume) limits.push(['disk', Math.max(0, totalBytes + volume.freeBytes - floor) / totalRate]);
      const best = limits.sort((a, b) => a[1] - b[1])[0];
      return {
        cameraId: r.cameraId,
        segments: r.segments,
        bytes: r.bytes,
        oldest: formatIsoOrNull(r.oldestUs),
        newest: formatIsoOrNull(r.newestUs),
        bytesPerDay: rate,
        estimatedDaysKept: best ? round1(best[1]) : null,
        limitedBy: best ? best[0] : null,
      };
    });
    return {
      totalBytes,
      volumeTotalBytes: volume?.totalBytes ?? null,
      volumeFreeBytes: volume?.freeBytes ?? null,
      minFreeBytes: global?.minFreeBytes ?? null,
      cameras,
    };
  }
}
