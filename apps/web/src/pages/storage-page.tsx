import { useApi } from '../app-context';
import { cameraNames, loadCameras } from '../api/cameras';
import type { CameraUsage, Storage } from '../api/types';
import { ErrorNote } from '../components/status';
import { formatBytes, formatTime } from '../format';
import { useResource } from '../hooks';
import { RetentionForms } from './retention-forms';
import { RunRetention } from './run-retention';

const LIMITED_BY: Record<NonNullable<CameraUsage['limitedBy']>, string> = { maxAge: 'age limit', maxBytes: 'size limit', disk: 'free space' };

/** How much each camera takes, how long footage stays at the current rate, and the retention policy. */
export function StoragePage() {
  const api = useApi();
  const cameras = useResource((signal) => loadCameras(api, signal), []);
  const storage = useResource((signal) => api.get<Storage>('/storage', signal), []);
  const nameOf = cameraNames(cameras.data);
  const s = storage.data;
  const used = s && s.volumeTotalBytes !== null && s.volumeFreeBytes !== null ? s.volumeTotalBytes - s.volumeFreeBytes : null;

  return (
    <section aria-labelledby="storage-title">
      <div class="page-head">
        <h1 id="storage-title">Storage & retention</h1>
      </div>
      <ErrorNote error={storage.error} what="The storage figures could not be loaded" />
      {s && (
        <div class="card storage-summary">
          <p>
            Recordings: <strong>{formatBytes(s.totalBytes)}</strong>
            {s.volumeTotalBytes !== null && (
              <>
                {' '}
                · disk {formatBytes(used)} used of {formatBytes(s.volumeTotalBytes)}, <strong>{formatBytes(s.volumeFreeBytes)} free</strong>
              </>
            )}
            {s.minFreeBytes !== null && <> · kept free: {formatBytes(s.minFreeBytes)}</>}
          </p>
          {s.volumeTotalBytes !== null && used !== null && (
            <meter min={0} max={s.volumeTotalBytes} value={used} high={s.volumeTotalBytes * 0.9} aria-label={`Disk used: ${formatBytes(used)} of ${formatBytes(s.volumeTotalBytes)}`} />
          )}
        </div>
      )}
      {s && (
        <div class="table-wrap">
          <table class="usage">
            <caption class="visually-hidden">Recordings per camera</caption>
            <thead>
              <tr>
                <th scope="col">Camera</th>
                <th scope="col" class="num">
                  Used
                </th>
                <th scope="col" class="num">
                  Per day
                </th>
                <th scope="col" class="num">
                  Days kept
                </th>
                <th scope="col" class="hide-narrow">
                  Oldest footage
                </th>
              </tr>
            </thead>
            <tbody>
              {s.cameras.map((c) => (
                <tr key={c.cameraId}>
                  <th scope="row">{nameOf(c.cameraId)}</th>
                  <td class="num">{formatBytes(c.bytes)}</td>
                  <td class="num">{formatBytes(c.bytesPerDay)}</td>
                  <td class="num" title={c.limitedBy ? `limited by the ${LIMITED_BY[c.limitedBy]}` : 'nothing limits it'}>
                    {c.estimatedDaysKept === null ? '—' : c.estimatedDaysKept}
                    {c.limitedBy && <span class="muted"> ({LIMITED_BY[c.limitedBy]})</span>}
                  </td>
                  <td class="hide-narrow">{formatTime(c.oldest)}</td>
                </tr>
              ))}
              {s.cameras.length === 0 && (
                <tr>
                  <td colSpan={5} class="muted">
                    Nothing recorded yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <p class="hint">Days kept: at each camera's rate over the last day, the tightest of its age limit, its size limit and its share of the free space.</p>
      <RetentionForms cameras={cameras.data ?? []} onSaved={storage.reload} />
      <RunRetention onDone={storage.reload} />
    </section>
  );
}
