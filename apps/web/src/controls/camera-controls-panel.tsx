import { useState } from 'preact/hooks';
import { useApi } from '../app-context';
import type { CameraControl, CameraControls } from '../api/types';
import { ErrorNote } from '../components/status';
import { useAction, useResource } from '../hooks';
import { ARROW_DIRECTIONS, controlLabel, timeZoneText, valueText } from './control-text';

/**
 * The camera's controls beside its live view: what its model supports (GET /cameras/:id/controls), each a
 * native input (checkbox, select, buttons) so the keyboard works as everywhere; PTZ as four arrow buttons
 * that also answer the arrow keys while the pad has focus. A change is PUT and shown once the camera
 * acknowledged it; while one is on its way the inputs stay enabled (disabling would take the keyboard focus
 * away) and further changes wait for it to finish.
 */
export function CameraControlsPanel({ cameraId }: { cameraId: number }) {
  const api = useApi();
  const list = useResource((signal) => api.get<CameraControls>(`/cameras/${cameraId}/controls`, signal), [cameraId]);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [said, setSaid] = useState('');
  const change = useAction(async (name: string, value: unknown) => {
    setSaid(`${controlLabel(name)}: sending…`);
    await api.put(`/cameras/${cameraId}/controls/${name}`, { value });
    if (name !== 'ptz' && name !== 'camera-time') setValues((v) => ({ ...v, [name]: value }));
    setSaid(`${controlLabel(name)}: done`);
    if (name === 'camera-time') list.reload();
  });

  const controls = list.data?.controls ?? [];
  const valueOf = (c: CameraControl) => (c.name in values ? values[c.name] : c.value);
  return (
    <section class="card controls" aria-labelledby="controls-title">
      <div class="page-head">
        <h2 id="controls-title">Controls</h2>
        <button type="button" class="quiet" onClick={() => (setValues({}), list.reload())} disabled={list.loading}>
          {list.loading ? 'Reading…' : 'Read again'}
        </button>
      </div>
      <ErrorNote error={list.error} what="Controls unavailable" />
      <ul class="control-list" aria-busy={change.running}>
        {controls.map((c) => (
          <li key={c.name}>
            <ControlInput control={c} value={valueOf(c)} onChange={(v) => !change.running && void change.run(c.name, v)} />
          </li>
        ))}
      </ul>
      <ErrorNote error={change.error} what="Not changed" />
      <p class="muted" aria-live="polite">
        {said}
      </p>
    </section>
  );
}

function ControlInput({ control: c, value, onChange }: { control: CameraControl; value: unknown; onChange: (v: unknown) => void }) {
  const id = `control-${c.name}`;
  const label = controlLabel(c.name) + (c.accessory ? ' (accessory)' : '');
  const unknown = value === null || value === undefined;
  switch (c.kind) {
    case 'switch':
      return (
        <label class="control-row" for={id}>
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />
          <span>{label}</span>
          {unknown && <span class="hint">({c.readable ? (c.error ?? 'unknown') : 'state not readable'})</span>}
        </label>
      );
    case 'select':
    case 'number': {
      const options = c.kind === 'select' ? (c.options ?? []) : Array.from({ length: (c.max ?? 0) - (c.min ?? 0) + 1 }, (_, i) => String((c.min ?? 0) + i));
      return (
        <div class="control-row">
          <label for={id}>{label}</label>
          <select id={id} value={unknown ? '' : String(value)} onChange={(e) => onChange(c.kind === 'number' ? Number((e.target as HTMLSelectElement).value) : (e.target as HTMLSelectElement).value)}>
            {unknown && <option value="">{c.error ?? 'unknown'}</option>}
            {options.map((o) => (
              <option key={o} value={o}>
                {c.name === 'time-zone' ? timeZoneText(Number(o)) : o}
              </option>
            ))}
          </select>
        </div>
      );
    }
    case 'time':
      return (
        <div class="control-row">
          <span>{label}</span>
          <span class="muted">{valueText({ ...c, value })}</span>
          <button type="button" onClick={() => onChange('now')}>
            Set to the recorder’s time
          </button>
        </div>
      );
    case 'ptz':
      return <PtzPad onStep={(direction) => onChange({ action: 'step', direction })} />;
    default:
      return (
        <div class="control-row">
          <span>{label}</span>
          <span class="muted">{valueText({ ...c, value })}</span>
        </div>
      );
  }
}

const ARROWS = [
  ['up', '▲', 'Tilt up'],
  ['left', '◀', 'Pan left'],
  ['right', '▶', 'Pan right'],
  ['down', '▼', 'Tilt down'],
] as const;

/** One step per press (K11002); the arrow keys do the same while the pad has focus. */
function PtzPad({ onStep }: { onStep: (d: 'left' | 'right' | 'up' | 'down') => void }) {
  return (
    <div
      class="ptz-pad"
      role="group"
      aria-label="Pan and tilt (arrow keys step while focused)"
      onKeyDown={(e) => {
        const d = ARROW_DIRECTIONS[e.key];
        if (!d) return;
        e.preventDefault();
        onStep(d);
      }}
    >
      {ARROWS.map(([d, glyph, words]) => (
        <button key={d} type="button" class={`ptz-${d}`} aria-label={words} title={words} onClick={() => onStep(d)}>
          {glyph}
        </button>
      ))}
    </div>
  );
}
