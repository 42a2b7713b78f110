import type { RecorderClock } from '../clock/recorder-clock';
import type { CameraLeases } from './camera-leases';

/** Slack on the beat interval: a tick (1 s) late, plus the database's round trip. */
const BEAT_SLACK_MS = 1500;

export interface LastNodeCheck {
  leases: Pick<CameraLeases, 'othersBeatingWithin'>;
  /** Other nodes with a heartbeat younger than the TTL, read after this node deregistered. */
  othersByTtl: number;
  /** When (monotonic ms) MQTT last read another node's last will; undefined if never. */
  otherGoneAtMs: number | undefined;
  ttlSeconds: number;
  clock: RecorderClock;
}

/**
 * Whether a stopping node is the last recorder up (MQTT's `<prefix>/available` goes `offline` only then).
 * Heartbeats younger than the TTL say who is live, but a node killed a moment ago looks live for up to the
 * TTL. So when another node's last will was read within the TTL, the nodes are counted again among those
 * that beat since that will, once each live node has had time to beat (every TTL/3): at most ~TTL/3 + 1.5 s
 * more at stop, and only in that case.
 */
export async function isLastNode(c: LastNodeCheck): Promise<boolean> {
  if (c.othersByTtl <= 0) return true;
  const ttlMs = c.ttlSeconds * 1000;
  if (c.otherGoneAtMs === undefined || c.clock.monotonicMs() - c.otherGoneAtMs >= ttlMs) return false;
  const waitMs = c.otherGoneAtMs + ttlMs / 3 + BEAT_SLACK_MS - c.clock.monotonicMs();
  if (waitMs > 0) await new Promise<void>((resolve) => c.clock.setTimeout(resolve, waitMs));
  return (await c.leases.othersBeatingWithin((c.clock.monotonicMs() - c.otherGoneAtMs) / 1000)) <= 0;
}
