// "Export this range" for a selection on the timeline: creates the export (POST /exports) and follows it
// with the exports page's row (progress bar, download) until it ends.
import { useEffect, useState } from 'preact/hooks';
import { useApi } from '../app-context';
import type { Export } from '../api/types';
import { formatDuration, formatTime } from '../format';
import { useAction } from '../hooks';
import { ExportRow } from '../pages/exports-page';
import { routeHash } from '../router';
import { ErrorNote } from './status';

const POLL_MS = 1000;

export function RangeExport({ cameraId, cameraName, fromMs, toMs, onClear }: { cameraId: number; cameraName: string; fromMs: number; toMs: number; onClear: () => void }) {
  const api = useApi();
  const [job, setJob] = useState<Export | undefined>();
  const create = useAction(async () => {
    setJob(await api.post<Export>('/exports', { camera: cameraId, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() }));
  });
  const pending = job && (job.state === 'queued' || job.state === 'active');
  useEffect(() => {
    if (!job || !pending) return;
    const t = setTimeout(() => void api.get<Export>(`/exports/${job.id}`).then(setJob, () => undefined), POLL_MS);
    return () => clearTimeout(t);
  }, [job, pending]);
  const seconds = (toMs - fromMs) / 1000;
  return (
    <div class="range-export card" role="region" aria-label="Selected range">
      <p>
        Selected: <strong>{formatTime(new Date(fromMs).toISOString())}</strong> · {formatDuration(seconds)}
      </p>
      <div class="actions">
        <button type="button" class="primary" onClick={() => void create.run()} disabled={create.running || seconds < 1}>
          {create.running ? 'Starting…' : 'Export this range'}
        </button>
        <button type="button" onClick={onClear}>
          Clear the selection
        </button>
      </div>
      <ErrorNote error={create.error} what="Not exported" />
      {job && (
        <div class="table-wrap">
          <table class="exports">
            <caption class="visually-hidden">This export</caption>
            <tbody>
              <ExportRow x={job} cameraName={cameraName} onChanged={() => void api.get<Export>(`/exports/${job.id}`).then(setJob, () => setJob(undefined))} />
            </tbody>
          </table>
          <p class="hint">
            Also on the <a href={routeHash({ page: 'exports' })}>Exports page</a>.
          </p>
        </div>
      )}
    </div>
  );
}
