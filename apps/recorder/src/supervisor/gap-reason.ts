import type { GapReason } from '@wyze-nvr/db';
import { TutkSessionError } from '@wyze-nvr/tutk';
import { SegmentWriteError } from '../segment/segmenter';

/** Why footage stopped, from what ended a session or a connection attempt. */
export function gapReasonOf(e: unknown): GapReason {
  if (e instanceof SegmentWriteError) return (e.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC' ? 'disk_full' : 'disk_error';
  if (e instanceof TutkSessionError) {
    switch (e.code) {
      case 'discovery-timeout':
        return 'discovery_timeout';
      case 'auth-refused':
      case 'wrong-key':
        return 'auth_refused';
      case 'camera-lost':
        return 'network_loss';
      default:
        return 'offline';
    }
  }
  return 'offline';
}
