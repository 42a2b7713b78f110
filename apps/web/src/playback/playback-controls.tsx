// The controls under the recorded video: play/pause, the playing time as a clock, speed, previous/next
// event, a date and time to jump to, and back to live.
import { useState } from 'preact/hooks';
import { formatTime, fromLocalInput, toLocalInput } from '../format';
import { routeHash } from '../router';

export const SPEEDS = [1, 2, 4, 8];

export interface PlaybackControlsProps {
  cameraId: number;
  wallMs: number | undefined;
  playing: boolean;
  rate: number;
  onPlayPause: () => void;
  onRate: (r: number) => void;
  onPreviousEvent: () => void;
  onNextEvent: () => void;
  onJump: (ms: number) => void;
  busy: boolean;
}

export function PlaybackControls(p: PlaybackControlsProps) {
  const [jumpTo, setJumpTo] = useState(() => toLocalInput(new Date(p.wallMs ?? Date.now() - 3_600_000).toISOString()));
  const [jumpError, setJumpError] = useState<string | undefined>();
  return (
    <div class="playback-controls">
      <div class="playback-row">
        <button type="button" class="primary" onClick={p.onPlayPause} disabled={p.wallMs === undefined} aria-label={p.playing ? 'Pause' : 'Play'}>
          {p.playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <output class="playback-clock" id="playback-clock" data-wall-ms={p.wallMs === undefined ? '' : String(Math.round(p.wallMs))} aria-live="off" aria-label="Playing time">
          {p.wallMs === undefined ? 'Click the timeline to play' : formatTime(new Date(p.wallMs).toISOString())}
        </output>
        <div class="speed" role="group" aria-label="Speed">
          {SPEEDS.map((s) => (
            <button type="button" key={s} aria-pressed={p.rate === s} class={p.rate === s ? 'on' : ''} onClick={() => p.onRate(s)}>
              {s}×
            </button>
          ))}
        </div>
      </div>
      <div class="playback-row">
        <button type="button" onClick={p.onPreviousEvent} disabled={p.busy}>
          « Previous event
        </button>
        <button type="button" onClick={p.onNextEvent} disabled={p.busy}>
          Next event »
        </button>
        <form
          class="jump"
          aria-label="Jump to a time"
          onSubmit={(e) => {
            e.preventDefault();
            const iso = fromLocalInput(jumpTo);
            setJumpError(iso ? undefined : 'Enter a date and time.');
            if (iso) p.onJump(Date.parse(iso));
          }}
        >
          <label for="jump-at" class="visually-hidden">
            Date and time to play from
          </label>
          <input id="jump-at" type="datetime-local" step={1} value={jumpTo} onInput={(e) => setJumpTo((e.target as HTMLInputElement).value)} />
          <button type="submit">Go</button>
          {jumpError && <span class="field-error">{jumpError}</span>}
        </form>
        <a class="button" href={routeHash({ page: 'live', cameraId: p.cameraId })}>
          ● Live
        </a>
      </div>
    </div>
  );
}
