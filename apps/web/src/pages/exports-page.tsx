import { useState } from 'preact/hooks';
import { useApi } from '../app-context';
import { cameraNames, loadCameras } from '../api/cameras';
import type { Export, Page } from '../api/types';
import { ErrorNote } from '../components/status';
import { formatBytes, formatDuration, formatTime, secondsBetween } from '../format';
import { useAction, useInterval, useResource } from '../hooks';
import { NewExportForm } from './new-export-form';

/** Polling while an export is queued or running (the progress bar moves), and slowly otherwise. */
const BUSY_POLL_MS = 1000;
const IDLE_POLL_MS = 10_000;

/** Every export with its progress; download, cancel, delete; and a form for a range by hand. */
export function ExportsPage() {
  const api = useApi();
  const cameras = useResource((signal) => loadCameras(api, signal), []);
  const exports = useResource((signal) => api.get<Page<Export>>('/exports?limit=200', signal), []);
  const list = exports.data?.items ?? [];
  const busy = list.some((x) => x.state === 'queued' || x.state === 'active');
  useInterval(exports.reload, busy ? BUSY_POLL_MS : IDLE_POLL_MS);
  const nameOf = cameraNames(cameras.data);

  return (
    <section aria-labelledby="exports-title">
      <div class="page-head">
        <h1 id="exports-title">Exports</h1>
        <span class="muted">{exports.data ? `${list.length} export${list.length === 1 ? '' : 's'}` : ''}</span>
      </div>
      <p class="hint">An export is one MP4 file of a camera's recording over a time range, kept until you delete it (retention keeps its footage while it runs).</p>
      <ErrorNote error={exports.error} what="The exports could not be loaded" />
      {exports.data && list.length === 0 && <p class="muted">No exports yet: export an event, a range on a camera's timeline, or one below.</p>}
      {list.length > 0 && (
        <div class="table-wrap">
          <table class="exports">
            <caption class="visually-hidden">Exports, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Camera and range</th>
                <th scope="col">Progress</th>
                <th scope="col" class="num">
                  Size
                </th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((x) => (
                <ExportRow key={x.id} x={x} cameraName={nameOf(x.camera)} onChanged={exports.reload} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Export a range</h2>
      <NewExportForm cameras={cameras.data ?? []} onCreated={exports.reload} />
    </section>
  );
}

const STATE_WORDS: Record<Export['state'], string> = { queued: 'waiting', active: 'exporting', completed: 'done', failed: 'failed', cancelled: 'cancelled' };

export function ExportRow({ x, cameraName, onChanged }: { x: Export; cameraName: string; onChanged: () => void }) {
  const api = useApi();
  const [confirming, setConfirming] = useState(false);
  const pending = x.state === 'queued' || x.state === 'active';
  const remove = useAction(async () => {
    await api.delete(`/exports/${x.id}`);
    setConfirming(false);
    onChanged();
  });
  const what = `${cameraName}, ${formatTime(x.from)}`;
  return (
    <tr data-export={x.id} data-state={x.state}>
      <td>
        <strong>{cameraName}</strong>
        <div class="muted">
          {formatTime(x.from)} · {formatDuration(secondsBetween(x.from, x.to))}
        </div>
      </td>
      <td class="progress-cell">
        <progress max={100} value={x.progress} aria-label={`Export of ${what}`} aria-valuetext={`${x.progress} %, ${STATE_WORDS[x.state]}`} />
        <span class="muted">
          {x.progress} % · {STATE_WORDS[x.state]}
        </span>
        {x.error && <div class="field-error">{x.error}</div>}
      </td>
      <td class="num">{formatBytes(x.bytes)}</td>
      <td>
        <div class="actions">
          {x.fileUrl && (
            <a class="button primary" href={x.fileUrl} download={`export-${x.id}.mp4`} aria-label={`Download the export of ${what}`}>
              Download
            </a>
          )}
          {confirming ? (
            <>
              <button type="button" class="danger" onClick={() => void remove.run()} disabled={remove.running}>
                {pending ? 'Yes, cancel it' : 'Yes, delete the file'}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirming(true)} aria-label={`${pending ? 'Cancel' : 'Delete'} the export of ${what}`}>
              {pending ? 'Cancel' : 'Delete'}
            </button>
          )}
        </div>
        <ErrorNote error={remove.error} />
      </td>
    </tr>
  );
}
