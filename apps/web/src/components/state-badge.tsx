import type { CameraStatus } from '../api/types';
import { stateTone } from './status';

/** A camera's state in words and colour, with the reason when it is not recording. */
export function StateBadge({ status }: { status: CameraStatus }) {
  const tone = stateTone(status.state);
  return (
    <span class={`badge ${tone}`} title={status.reason}>
      {status.state}
      {status.reason && tone !== 'ok' ? `: ${status.reason}` : ''}
    </span>
  );
}
