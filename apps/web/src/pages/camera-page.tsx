// Placeholder: the camera page (timeline and playback) is built in apps/web/src/timeline/ and
// apps/web/src/playback/ (task W2). Route: #/cameras/:id[?at=ISO]. See /work/notes/web-contract.md.
import { useApi } from '../app-context';
import { useResource } from '../hooks';
import type { Camera } from '../api/types';
import { routeHash } from '../router';
import { ErrorNote } from '../components/status';

export function CameraPage({ cameraId }: { cameraId: number; at?: string }) {
  const api = useApi();
  const camera = useResource((signal) => api.get<Camera>(`/cameras/${cameraId}`, signal), [cameraId]);
  return (
    <section aria-labelledby="camera-title">
      <h1 id="camera-title">{camera.data?.name ?? `Camera ${cameraId}`}</h1>
      <ErrorNote error={camera.error} />
      <p>
        <a href={routeHash({ page: 'live', cameraId })}>Watch live</a>
      </p>
    </section>
  );
}
