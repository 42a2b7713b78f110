// All cameras' timelines for one day (#/timeline?day=YYYY-MM-DD), one row each on a shared scale: where
// each camera has footage, gaps and events at a glance; a click opens that camera's page playing from
// there. The rows are the camera page's Timeline component, drawn thin, with the data of all rows loaded
// in two requests (see cameras-timeline-data.ts).
import { useState } from 'preact/hooks';
import { useApi, useNavigate } from '../app-context';
import { loadCameras } from '../api/cameras';
import { Field } from '../components/field';
import { ErrorNote } from '../components/status';
import { dayWindow, localDay } from '../format';
import { useResource } from '../hooks';
import { loadCamerasTimelineData } from '../timeline/cameras-timeline-data';
import { TimelineLegend } from '../timeline/timeline-legend';
import { Timeline } from '../timeline/timeline';
import type { TimelineData } from '../timeline/timeline-data';
import type { TimelineView } from '../timeline/view';

function emptyRow(v: TimelineView): TimelineData {
  return { fromMs: v.startMs, toMs: v.startMs + v.spanMs, recorded: [], gaps: [], events: [] };
}

export function TimelinesPage({ day }: { day?: string }) {
  const api = useApi();
  const navigate = useNavigate();
  const shownDay = day ?? localDay(new Date());
  const cameras = useResource((signal) => loadCameras(api, signal), []);
  const w = dayWindow(shownDay);
  const [view, setView] = useState<{ day: string; v: TimelineView }>({ day: shownDay, v: { startMs: Date.parse(w.from), spanMs: Date.parse(w.to) - Date.parse(w.from) } });
  const current = view.day === shownDay ? view.v : { startMs: Date.parse(w.from), spanMs: Date.parse(w.to) - Date.parse(w.from) };
  const list = cameras.data ?? [];
  // Exactly the window shown (no margin: 40 cameras' rows are many), loaded alongside the camera list.
  const rows = useResource((signal) => loadCamerasTimelineData(api, current.startMs, current.startMs + current.spanMs, signal), [current.startMs, current.spanMs]);
  return (
    <section aria-labelledby="timelines-title">
      <div class="page-head">
        <h1 id="timelines-title">Timeline</h1>
        <span class="muted">{cameras.data ? `${list.length} camera${list.length === 1 ? '' : 's'}` : ''}</span>
      </div>
      <div class="filters">
        <Field id="timeline-day" label="Day" value={shownDay} onValue={(d) => d && navigate({ page: 'timeline', day: d }, { replace: true })} input={{ type: 'date' }} />
      </div>
      <ErrorNote error={cameras.error} what="The cameras could not be loaded" />
      <ErrorNote error={rows.error} what="The timelines could not be loaded" />
      <p class="hint" id="timeline-keys">
        Click a row to play that camera from there; drag to move, wheel or pinch to zoom (all rows together).
      </p>
      <ul class="timeline-rows" aria-label="Cameras">
        {list.map((c) => (
          <li key={c.id} class="timeline-row">
            <a class="timeline-row-name" href={`#/cameras/${c.id}`}>
              {c.name}
            </a>
            <Timeline compact rowData={{ data: rows.data && (rows.data.get(c.id) ?? emptyRow(current)), ready: !rows.loading && !!rows.data }} cameraId={c.id} cameraName={c.name} view={current} onView={(v) => setView({ day: shownDay, v })} onSeek={(ms) => navigate({ page: 'camera', cameraId: c.id, at: new Date(ms).toISOString() })} />
          </li>
        ))}
      </ul>
      <TimelineLegend />
    </section>
  );
}
