import { useEffect, useRef, useState } from 'preact/hooks';
import { LivePlayer, type LivePlayerState } from '../../live-player/live-player.js';
import { useApi } from '../app-context';
import { useInterval, useResource } from '../hooks';
import type { Camera } from '../api/types';
import { routeHash } from '../router';
import { ErrorNote } from '../components/status';
import { StateBadge } from '../components/state-badge';
import { CameraControlsPanel } from '../controls/camera-controls-panel';

const STATE_WORDS: Record<LivePlayerState, string> = {
  connecting: 'connecting…',
  playing: 'live',
  stalled: 'waiting for the camera…',
  reconnecting: 'reconnecting…',
  error: 'stopped',
  stopped: 'stopped',
};

/** One camera live: live-player.js (the module /live.html uses) on the session cookie. */
export function LivePage({ cameraId }: { cameraId: number }) {
  const api = useApi();
  const camera = useResource((signal) => api.get<Camera>(`/cameras/${cameraId}`, signal), [cameraId]);
  const video = useRef<HTMLVideoElement>(null);
  const player = useRef<LivePlayer | null>(null);
  const [state, setState] = useState<{ state: LivePlayerState; message: string }>({ state: 'connecting', message: '' });
  const [clock, setClock] = useState('');

  useEffect(() => {
    const p = new LivePlayer(video.current!, { cameraId });
    player.current = p;
    (globalThis as { livePlayer?: LivePlayer }).livePlayer = p; // for the browser tests and the console
    p.addEventListener('status', (e) => setState((e as CustomEvent<{ state: LivePlayerState; message: string }>).detail));
    // The WebSocket only says it closed; the camera's status says why (and a 401 brings the sign-in back).
    p.addEventListener('closed', (e) => {
      if ((e as CustomEvent<{ refused: boolean }>).detail.refused) camera.reload();
    });
    p.start();
    return () => p.stop();
  }, [cameraId]);

  useInterval(() => {
    const s = player.current?.stats;
    setClock(s?.pictureTimeMs != null && s.state === 'playing' ? new Date(s.pictureTimeMs).toLocaleString() : '');
  }, 500);

  const c = camera.data;
  return (
    <section class="live" aria-labelledby="live-title">
      <div class="page-head">
        <h1 id="live-title">{c?.name ?? `Camera ${cameraId}`} · live</h1>
        {c && <StateBadge status={c.status} />}
        <a class="button" href={routeHash({ page: 'camera', cameraId })}>
          Timeline
        </a>
      </div>
      <ErrorNote error={camera.error} />
      {state.state === 'error' && (
        <p class="error" role="alert">
          {state.message}
        </p>
      )}
      <video ref={video} class="live-video" playsInline controls aria-label={`${c?.name ?? 'camera'} live video`} />
      <p class="muted" aria-live="polite">
        {STATE_WORDS[state.state]}
        {clock && ` · ${clock}`}
      </p>
      <CameraControlsPanel cameraId={cameraId} />
    </section>
  );
}
