import { useApi, useNavigate } from '../app-context';
import { cameraNames, loadCameras } from '../api/cameras';
import { listAll } from '../api/paging';
import type { MotionEvent, Page } from '../api/types';
import { SelectField } from '../components/field';
import { ErrorNote } from '../components/status';
import { dayWindow, localDay } from '../format';
import { useResource } from '../hooks';
import { EventItem } from './event-item';

/** Motion events of a day (local), of one camera or all, newest first. */
export function EventsPage({ camera, day }: { camera?: number; day?: string }) {
  const api = useApi();
  const navigate = useNavigate();
  const shownDay = day ?? localDay(new Date());
  const cameras = useResource((signal) => loadCameras(api, signal), []);
  const events = useResource(
    (signal) => {
      const { from, to } = dayWindow(shownDay);
      const q = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=500${camera ? `&camera=${camera}` : ''}`;
      return listAll<MotionEvent>((cursor) => api.get<Page<MotionEvent>>(`/events?${q}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, signal), 10);
    },
    [camera, shownDay],
  );
  const nameOf = cameraNames(cameras.data);
  const list = [...(events.data ?? [])].reverse();
  const setFilter = (f: { camera?: number; day?: string }) => navigate({ page: 'events', camera, day: shownDay, ...f }, { replace: true });

  return (
    <section aria-labelledby="events-title">
      <div class="page-head">
        <h1 id="events-title">Events</h1>
        <span class="muted" aria-live="polite">
          {events.loading ? 'Loading…' : `${list.length} event${list.length === 1 ? '' : 's'}`}
        </span>
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <SelectField
          id="events-camera"
          label="Camera"
          value={camera ? String(camera) : ''}
          onValue={(v) => setFilter({ camera: v ? Number(v) : undefined })}
          options={[{ value: '', label: 'All cameras' }, ...(cameras.data ?? []).map((c) => ({ value: String(c.id), label: c.name }))]}
        />
        <div class="field">
          <label for="events-day">Day</label>
          <input id="events-day" type="date" value={shownDay} max={localDay(new Date())} onChange={(e) => (e.target as HTMLInputElement).value && setFilter({ day: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="actions">
          <button type="button" onClick={() => setFilter({ day: shiftDay(shownDay, -1) })} aria-label="Previous day">
            ‹ Day before
          </button>
          <button type="button" onClick={() => setFilter({ day: shiftDay(shownDay, 1) })} disabled={shownDay >= localDay(new Date())} aria-label="Next day">
            Day after ›
          </button>
        </div>
      </form>
      <ErrorNote error={events.error} what="The events could not be loaded" />
      {events.data && list.length === 0 && <p class="muted">No motion on this day{camera ? ` for ${nameOf(camera)}` : ''}.</p>}
      <ul class="event-list" aria-label="Events, newest first">
        {list.map((e) => (
          <EventItem key={e.id} event={e} cameraName={nameOf(e.camera)} onChanged={events.reload} />
        ))}
      </ul>
    </section>
  );
}

function shiftDay(day: string, by: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return localDay(new Date(y, m - 1, d + by));
}
