import { Injectable } from '@nestjs/common';
import { formatIsoUs } from '../common/time';
import { ClockRepository } from '../repositories/clock.repository';
import { ClusterRepository } from '../repositories/cluster.repository';
import type { RecorderListDto } from './recorders.dto';

/** A node whose heartbeat is older than this is not live (three times the default lease TTL). */
export const NODE_LIVE_US = 30_000_000;

@Injectable()
export class RecordersService {
  constructor(
    private readonly cluster: ClusterRepository,
    private readonly clock: ClockRepository,
  ) {}

  async list(): Promise<RecorderListDto> {
    const now = this.clock.nowUs();
    const nodes = await this.cluster.nodes();
    return {
      items: nodes.map((n) => ({
        id: n.id,
        hostname: n.hostname,
        url: n.url,
        startedAt: formatIsoUs(n.startedAtUs),
        heartbeatAt: formatIsoUs(n.heartbeatAtUs),
        live: now - n.heartbeatAtUs < NODE_LIVE_US,
        cameraIds: n.cameraIds,
      })),
    };
  }
}
