import { useState } from 'preact/hooks';
import { useApi } from '../app-context';
import type { Export, MotionEvent } from '../api/types';
import { ErrorNote } from '../components/status';
import { formatDuration, formatTime, secondsBetween } from '../format';
import { useAction } from '../hooks';
import { routeHash } from '../router';

/** The picture at the start of the motion: the recorded keyframe at or before it, at list size. */
const THUMB_WIDTH = 320;

/** One event: when, how long, its picture; play its clip, protect it, export it, see it on the timeline. */
export function EventItem({ event, cameraName, onChanged }: { event: MotionEvent; cameraName: string; onChanged: () => void }) {
  const api = useApi();
  const [playing, setPlaying] = useState(false);
  const [exported, setExported] = useState<Export | undefined>();
  const [isProtected, setProtected] = useState(event.protected);
  const protect = useAction(async () => {
    const e = await api.post<MotionEvent>(`/events/${event.id}/${isProtected ? 'unprotect' : 'protect'}`);
    setProtected(e.protected);
    onChanged();
  });
  const doExport = useAction(async () => setExported(await api.post<Export>(`/events/${event.id}/export`)));
  const duration = event.end ? formatDuration(secondsBetween(event.start, event.end)) : 'ongoing';
  const label = `${cameraName}, ${formatTime(event.start)}`;

  return (
    <li class="event card" data-event={event.id}>
      <div class="event-media">
        {playing ? (
          <video class="event-clip" src={event.clipUrl} controls autoplay playsInline aria-label={`Clip of the motion on ${label}`} />
        ) : (
          <button type="button" class="event-thumb" onClick={() => setPlaying(true)} aria-label={`Play the clip: ${label}`}>
            <img src={`/cameras/${event.camera}/frame.jpg?at=${encodeURIComponent(event.start)}&width=${THUMB_WIDTH}`} alt="" loading="lazy" decoding="async" />
            <span class="play-mark" aria-hidden="true">
              ▶
            </span>
          </button>
        )}
      </div>
      <div class="event-info">
        <h2 class="event-title">
          {formatTime(event.start, { date: false })} · {cameraName}
        </h2>
        <p class="muted">
          {formatTime(event.start)} · {duration} · score {event.peakScore.toFixed(1)}
          {isProtected && <span class="badge ok"> protected</span>}
        </p>
        <div class="actions">
          <button type="button" onClick={() => setPlaying(!playing)} aria-pressed={playing}>
            {playing ? 'Close clip' : 'Play clip'}
          </button>
          <button type="button" onClick={() => void protect.run()} disabled={protect.running} aria-pressed={isProtected} title="Retention keeps a protected clip">
            {isProtected ? 'Unprotect' : 'Protect'}
          </button>
          <button type="button" onClick={() => void doExport.run()} disabled={doExport.running || exported !== undefined || event.end === null}>
            {exported ? 'Export queued' : 'Export'}
          </button>
          <a class="button" href={routeHash({ page: 'camera', cameraId: event.camera, at: event.start })}>
            Timeline
          </a>
        </div>
        {exported && (
          <p class="ok-note" role="status">
            Exporting the clip: <a href={routeHash({ page: 'exports' })}>follow it on the Exports page</a>.
          </p>
        )}
        <ErrorNote error={protect.error ?? doExport.error} />
      </div>
    </li>
  );
}
