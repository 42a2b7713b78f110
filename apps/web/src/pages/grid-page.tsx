import { useState } from 'preact/hooks';
import { useApi } from '../app-context';
import { useInterval, useResource } from '../hooks';
import type { Camera } from '../api/types';
import { routeHash } from '../router';
import { ErrorNote } from '../components/status';
import { StateBadge } from '../components/state-badge';
import { loadCameras } from '../api/cameras';
import type { ApiError } from '../api/api-error';
import { Snapshot } from '../components/snapshot';

/** How often the snapshots and states refresh. */
const REFRESH_MS = 5000;
/** The snapshot width asked for: a tile is at most ~420 CSS px wide, ×1.5 for dense screens. */
const SNAPSHOT_WIDTH = 640;

/** Every camera: its newest picture, its state, and the way to live and to its timeline. */
export function GridPage() {
  const api = useApi();
  const cameras = useResource((signal) => loadCameras(api, signal), []);
  // One tick for all tiles: each picture's URL changes with it, and the API answers 304 when unchanged.
  const [tick, setTick] = useState(0);
  useInterval(() => {
    setTick((t) => t + 1);
    cameras.reload();
  }, REFRESH_MS);

  const list = cameras.data ?? [];
  return (
    <section aria-labelledby="grid-title">
      <div class="page-head">
        <h1 id="grid-title">Live</h1>
        <span class="muted">{cameras.data ? `${list.length} camera${list.length === 1 ? '' : 's'}` : ''}</span>
      </div>
      <ErrorNote error={cameras.error} />
      {cameras.data && list.length === 0 && (
        <p>
          No cameras yet. <a href={routeHash({ page: 'cameras' })}>Add one or import them from your Wyze account</a>.
        </p>
      )}
      <ul class="grid" aria-label="Camera pictures">
        {list.map((c) => (
          <CameraTile key={c.id} camera={c} tick={tick} />
        ))}
      </ul>
    </section>
  );
}

function CameraTile({ camera, tick }: { camera: Camera; tick: number }) {
  const [problem, setProblem] = useState<ApiError | undefined>();
  return (
    <li class="tile" data-camera={camera.id} data-state={camera.status.state}>
      <a class="tile-picture" href={routeHash({ page: 'live', cameraId: camera.id })} aria-label={`${camera.name}: watch live`}>
        <Snapshot src={`/cameras/${camera.id}/snapshot.jpg?width=${SNAPSHOT_WIDTH}`} alt={`Newest picture of ${camera.name}`} tick={tick} onError={setProblem} />
        {problem && <span class="picture-note">{problem.status === 404 ? 'No picture yet' : problem.message}</span>}
      </a>
      <div class="tile-info">
        <span class="tile-name">{camera.name}</span>
        <StateBadge status={camera.status} />
      </div>
      <div class="tile-links">
        <a href={routeHash({ page: 'live', cameraId: camera.id })}>Live</a>
        <a href={routeHash({ page: 'camera', cameraId: camera.id })}>Timeline</a>
        <a href={routeHash({ page: 'events', camera: camera.id })}>Events</a>
      </div>
    </li>
  );
}
