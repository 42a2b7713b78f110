import { STALE_LEASE_SQLSTATE } from '@wyze-nvr/db';

/** What a row written under a camera lease carries: the node and the lease's epoch (fencing token). */
export interface LeaseToken {
  nodeId: string;
  epoch: number;
}

/**
 * The database refused a write because its lease epoch is no longer the camera's (another node took the
 * camera over). Not an outage: retrying cannot succeed, and the camera must stop here at once.
 */
export class StaleLeaseError extends Error {
  readonly code = 'STALE_LEASE';

  constructor(
    readonly cameraId: number,
    readonly lease: LeaseToken,
    options?: { cause?: unknown },
  ) {
    super(`camera ${cameraId}: lease epoch ${lease.epoch} of node ${lease.nodeId} is stale; write refused`, options);
    this.name = 'StaleLeaseError';
  }
}

/** The error as StaleLeaseError when PostgreSQL refused it at the lease fence (SQLSTATE WN409), else as it is. */
export function staleLeaseOr(e: unknown, cameraId: number, lease: LeaseToken | undefined): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  return lease && code === STALE_LEASE_SQLSTATE ? new StaleLeaseError(cameraId, lease, { cause: e }) : e;
}
