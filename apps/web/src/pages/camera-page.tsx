// The camera page (#/cameras/:id[?at=ISO]): the recording played from any time, under it the timeline
// (zoom 1 h … 7 days, coverage and gaps with reasons, events, motion activity, hover thumbnails), and a
// range selected on it exported.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useApi } from '../app-context';
import type { Camera } from '../api/types';
import { RangeExport } from '../components/range-export';
import { ErrorNote } from '../components/status';
import { useResource } from '../hooks';
import { nextEvent, previousEvent } from '../playback/event-jumps';
import { PlaybackControls } from '../playback/playback-controls';
import { RecordingPlayer, type PlayerStatus } from '../playback/recording-player';
import { skipNotice } from '../playback/skip-notice';
import { routeHash } from '../router';
import { TimelineLegend } from '../timeline/timeline-legend';
import { ThumbnailLoader } from '../timeline/thumbnails';
import { Timeline } from '../timeline/timeline';
import type { TimelineData } from '../timeline/timeline-data';
import { TimelineZoom } from '../timeline/timeline-zoom';
import { clampView, HOUR_MS, type TimelineView, viewAround } from '../timeline/view';

/** How long a skip notice stays. */
const NOTICE_MS = 6000;

function initialView(at: string | undefined): TimelineView {
  const atMs = at ? Date.parse(at) : NaN;
  return Number.isNaN(atMs) ? clampView(viewAround(Date.now(), HOUR_MS, 0.9), Date.now()) : clampView(viewAround(atMs, HOUR_MS), Date.now());
}

export function CameraPage({ cameraId, at }: { cameraId: number; at?: string }) {
  const api = useApi();
  const camera = useResource((signal) => api.get<Camera>(`/cameras/${cameraId}`, signal), [cameraId]);
  const name = camera.data?.name ?? `Camera ${cameraId}`;
  const video = useRef<HTMLVideoElement>(null);
  const player = useRef<RecordingPlayer | undefined>(undefined);
  const thumbnails = useMemo(() => new ThumbnailLoader(api), [api]);
  const [view, setView] = useState(() => initialView(at));
  const [wallMs, setWallMs] = useState<number | undefined>();
  const [status, setStatus] = useState<PlayerStatus>({ state: 'idle' });
  const [rate, setRate] = useState(1);
  const [notice, setNotice] = useState<string | undefined>();
  const [selectMode, setSelectMode] = useState(false);
  const [selection, setSelection] = useState<{ fromMs: number; toMs: number } | undefined>();
  const [jumping, setJumping] = useState(false);
  const [jumpNote, setJumpNote] = useState<string | undefined>();
  const data = useRef<TimelineData | undefined>(undefined);

  useEffect(() => {
    const p = new RecordingPlayer(video.current!, cameraId, api);
    player.current = p;
    const onStatus = (e: Event) => setStatus((e as CustomEvent<PlayerStatus>).detail);
    const onSkip = (e: Event) => {
      const { fromMs, toMs } = (e as CustomEvent<{ fromMs: number; toMs: number }>).detail;
      setNotice(skipNotice(fromMs, toMs, data.current?.gaps ?? [], Date.now()));
    };
    const onFirstFrame = (e: Event) => (video.current!.dataset.seekMs = String(Math.round((e as CustomEvent<{ latencyMs: number }>).detail.latencyMs)));
    p.addEventListener('status', onStatus);
    p.addEventListener('skip', onSkip);
    p.addEventListener('firstframe', onFirstFrame);
    let frame = requestAnimationFrame(function follow() {
      setWallMs(p.wallMs);
      frame = requestAnimationFrame(follow);
    });
    if (at && !Number.isNaN(Date.parse(at))) void p.seek(Date.parse(at));
    return () => {
      cancelAnimationFrame(frame);
      p.stop();
    };
  }, [cameraId]);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(undefined), NOTICE_MS);
    return () => clearTimeout(t);
  }, [notice]);

  // Keep the playhead in view while playing (unless the person is looking elsewhere by more than a view).
  useEffect(() => {
    if (wallMs === undefined || status.state !== 'playing') return;
    const end = view.startMs + view.spanMs;
    if (wallMs > end - view.spanMs * 0.05 && wallMs < end + view.spanMs * 0.2) setView((v) => clampView({ ...v, startMs: wallMs - v.spanMs / 2 }, Date.now()));
  }, [wallMs, status.state]);

  const seek = (ms: number) => {
    setNotice(undefined);
    setSelection(undefined);
    history.replaceState(null, '', routeHash({ page: 'camera', cameraId, at: new Date(ms).toISOString() }));
    void player.current?.seek(ms);
  };
  const jumpToEvent = async (find: typeof nextEvent) => {
    setJumping(true);
    setJumpNote(undefined);
    try {
      const from = player.current?.wallMs ?? view.startMs + view.spanMs / 2;
      const ev = await find(api, cameraId, from);
      if (!ev) setJumpNote(find === nextEvent ? 'No later event.' : 'No earlier event.');
      else {
        const ms = Date.parse(ev.start);
        setView((v) => clampView(viewAround(ms, v.spanMs), Date.now()));
        seek(ms);
      }
    } catch (e) {
      setJumpNote(e instanceof Error ? e.message : String(e));
    } finally {
      setJumping(false);
    }
  };
  const playing = status.state === 'playing' || status.state === 'waiting' || status.state === 'loading';

  return (
    <section aria-labelledby="camera-title" class="camera-page">
      <div class="page-head">
        <h1 id="camera-title">{name}</h1>
        <a href={routeHash({ page: 'live', cameraId })}>Watch live</a>
      </div>
      <ErrorNote error={camera.error} />
      <div class="playback">
        <video ref={video} class="playback-video" muted playsInline data-state={status.state} aria-label={`Recording of ${name}`} />
        {status.state === 'idle' && <p class="playback-idle">Click or tap a time on the timeline to play the recording from there.</p>}
        {notice && (
          <p class="playback-notice" role="status">
            {notice}
          </p>
        )}
        {(status.state === 'end' || status.state === 'error') && status.message && (
          <p class={status.state === 'error' ? 'playback-notice error' : 'playback-notice'} role="status">
            {status.message}
          </p>
        )}
      </div>
      <PlaybackControls
        cameraId={cameraId}
        wallMs={wallMs}
        playing={playing}
        rate={rate}
        busy={jumping}
        onPlayPause={() => {
          const v = video.current!;
          if (v.paused) void v.play();
          else v.pause();
        }}
        onRate={(r) => {
          setRate(r);
          player.current?.setRate(r);
        }}
        onPreviousEvent={() => void jumpToEvent(previousEvent)}
        onNextEvent={() => void jumpToEvent(nextEvent)}
        onJump={(ms) => {
          setView((v) => clampView(viewAround(ms, v.spanMs), Date.now()));
          seek(ms);
        }}
      />
      {jumpNote && <p class="muted" role="status">{jumpNote}</p>}
      <div class="timeline-bar">
        <TimelineZoom view={view} onView={setView} />
        <button type="button" aria-pressed={selectMode} class={selectMode ? 'on' : ''} onClick={() => setSelectMode((s) => !s)}>
          {selectMode ? 'Selecting: drag on the timeline' : 'Select a range'}
        </button>
      </div>
      <Timeline
        cameraId={cameraId}
        cameraName={name}
        view={view}
        onView={setView}
        onSeek={seek}
        playheadMs={wallMs}
        selection={selection}
        selectMode={selectMode}
        onSelection={(s, done) => {
          setSelection(s);
          if (done) setSelectMode(false);
        }}
        thumbnails={thumbnails}
        onData={(d) => (data.current = d)}
      />
      <p class="hint" id="timeline-keys">
        Click or tap to play from a time; drag to move; wheel or pinch to zoom; Shift+drag (or “Select a range”) to select. Keys: ← → move, + − zoom, Enter plays from the middle.
      </p>
      <TimelineLegend />
      {selection && <RangeExport cameraId={cameraId} cameraName={name} fromMs={selection.fromMs} toMs={selection.toMs} onClear={() => setSelection(undefined)} />}
    </section>
  );
}
