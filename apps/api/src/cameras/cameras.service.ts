import { Injectable } from '@nestjs/common';
import type { CameraEntity, CameraStatusEntity, GapEntity, SegmentEntity } from '@wyze-nvr/db';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { DomainError } from '../common/domain.error';
import { formatIsoOrNull, formatIsoUs } from '../common/time';
import { CameraRepository, pgCode, PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION, type CameraValues } from '../repositories/camera.repository';
import { ClockRepository } from '../repositories/clock.repository';
import { ClusterRepository, type CameraOwnerRow } from '../repositories/cluster.repository';
import { CryptoRepository } from '../repositories/crypto.repository';
import { RecordingRepository } from '../repositories/recording.repository';
import type { CameraDto, CameraOwnerDto, CameraPageDto, CameraStatusDto, CreateCameraDto, UpdateCameraDto } from './cameras.dto';

/** A recorder status row older than this is not trusted as live. */
export const STATUS_STALE_US = 60_000_000;

export function normalizeMac(mac: string): string {
  return mac.replace(/[:-]/g, '').toUpperCase();
}

function ownerOf(o: CameraOwnerRow | undefined): CameraOwnerDto | null {
  return o ? { nodeId: o.nodeId, epoch: o.epoch, leaseExpiresAt: formatIsoUs(o.expiresAtUs) } : null;
}

/** Live status: the recorder's own row while fresh, else what the newest segment and open gap say. */
export function cameraStatus(
  camera: CameraEntity,
  nowUs: number,
  row: CameraStatusEntity | undefined,
  latest: SegmentEntity | undefined,
  openGap: GapEntity | undefined,
): CameraStatusDto {
  const lastFrameUs = Math.max(row?.lastFrameUs ?? -Infinity, latest ? latest.endUs : -Infinity);
  const lastFrameAt = Number.isFinite(lastFrameUs) ? formatIsoUs(lastFrameUs) : null;
  // The recorder stops a camera as soon as it is disabled (CameraSync), and writes no status for it after.
  if (!camera.enabled) return { state: 'disabled', lastFrameAt, source: 'recordings' };
  if (row) {
    const reportedUs = row.updatedAt.getTime() * 1000;
    const stale = nowUs - reportedUs > STATUS_STALE_US;
    return { state: stale ? 'stale' : row.state, lastFrameAt, ...(row.lastError ? { reason: row.lastError } : {}), source: 'recorder', reportedAt: formatIsoUs(reportedUs) };
  }
  if (openGap) return { state: 'offline', lastFrameAt, reason: openGap.reason, source: 'recordings' };
  if (latest?.state === 'open') return { state: 'recording', lastFrameAt, source: 'recordings' };
  return { state: 'idle', lastFrameAt, source: 'recordings' };
}

@Injectable()
export class CamerasService {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly recordings: RecordingRepository,
    private readonly crypto: CryptoRepository,
    private readonly clock: ClockRepository,
    private readonly cluster: ClusterRepository,
  ) {}

  async list(limit = 100, cursor?: string): Promise<CameraPageDto> {
    const afterId = cursor ? (decodeCursor('cameras', cursor, ['number'])[0] as number) : 0;
    const rows = await this.cameras.page(afterId, limit + 1);
    const page = rows.slice(0, limit);
    return { items: await this.toDtos(page), nextCursor: rows.length > limit ? encodeCursor('cameras', [page[page.length - 1].id]) : null };
  }

  async get(id: number): Promise<CameraDto> {
    return (await this.toDtos([await this.require(id)]))[0];
  }

  async create(dto: CreateCameraDto): Promise<CameraDto> {
    const { enr, mac, ...rest } = dto;
    const values: CameraValues = { ...rest, mac: normalizeMac(mac), enrEncrypted: this.crypto.sealEnr(enr) };
    try {
      return (await this.toDtos([await this.cameras.create(values)]))[0];
    } catch (e) {
      if (pgCode(e) === PG_UNIQUE_VIOLATION) throw DomainError.field('camera-exists', 'mac', 'a camera with this MAC address exists');
      throw e;
    }
  }

  async update(id: number, dto: UpdateCameraDto): Promise<CameraDto> {
    for (const field of ['name', 'uid', 'enr', 'mac', 'model', 'enabled', 'quality'] as const) {
      if (dto[field] === null) throw DomainError.field('validation-failed', field, 'must not be null');
    }
    await this.require(id);
    const { enr, mac, ...rest } = dto;
    const values: CameraValues = { ...rest };
    if (mac !== undefined) values.mac = normalizeMac(mac);
    if (enr !== undefined) values.enrEncrypted = this.crypto.sealEnr(enr);
    try {
      const row = await this.cameras.update(id, values);
      if (!row) throw new DomainError('camera-not-found', `camera ${id} not found`);
      return (await this.toDtos([row]))[0];
    } catch (e) {
      if (pgCode(e) === PG_UNIQUE_VIOLATION) throw DomainError.field('camera-exists', 'mac', 'a camera with this MAC address exists');
      throw e;
    }
  }

  setEnabled(id: number, enabled: boolean): Promise<CameraDto> {
    return this.update(id, { enabled });
  }

  async delete(id: number): Promise<void> {
    try {
      if (!(await this.cameras.delete(id))) throw new DomainError('camera-not-found', `camera ${id} not found`);
    } catch (e) {
      if (pgCode(e) === PG_FOREIGN_KEY_VIOLATION) {
        throw new DomainError('camera-in-use', `camera ${id} still has recordings or exports; disable it, or let retention remove its footage first`);
      }
      throw e;
    }
  }

  private async require(id: number): Promise<CameraEntity> {
    const row = await this.cameras.get(id);
    if (!row) throw new DomainError('camera-not-found', `camera ${id} not found`);
    return row;
  }

  private async toDtos(rows: CameraEntity[]): Promise<CameraDto[]> {
    const ids = rows.map((r) => r.id);
    const [statuses, latest, gaps, owners] = await Promise.all([this.cameras.statuses(ids), this.recordings.latestSegments(ids), this.recordings.openGaps(ids), this.cluster.owners(ids)]);
    const byCamera = new Map(statuses.map((s) => [s.cameraId, s]));
    const now = this.clock.nowUs();
    return rows.map((c) => ({
      id: c.id,
      name: c.name,
      uid: c.uid,
      mac: c.mac,
      ip: c.ip,
      port: c.port,
      model: c.model,
      firmware: c.firmware,
      flavour: c.flavour,
      enabled: c.enabled,
      quality: c.quality,
      hasEnr: c.enrEncrypted.length > 0,
      createdAt: formatIsoOrNull(c.createdAt.getTime() * 1000)!,
      updatedAt: formatIsoOrNull(c.updatedAt.getTime() * 1000)!,
      status: cameraStatus(c, now, byCamera.get(c.id), latest.get(c.id), gaps.get(c.id)),
      owner: ownerOf(owners.get(c.id)),
    }));
  }
}
