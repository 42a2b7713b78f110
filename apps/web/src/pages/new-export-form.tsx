import { useState } from 'preact/hooks';
import { useApi } from '../app-context';
import type { Camera, Export } from '../api/types';
import { Field, SelectField } from '../components/field';
import { ErrorNote } from '../components/status';
import { fromLocalInput, toLocalInput } from '../format';
import { useAction } from '../hooks';

const LENGTHS = [
  { value: '30', label: '30 seconds' },
  { value: '60', label: '1 minute' },
  { value: '300', label: '5 minutes' },
  { value: '900', label: '15 minutes' },
  { value: '3600', label: '1 hour' },
];

/** An export of [start, start + length) of one camera, for when the timeline is not at hand. */
export function NewExportForm({ cameras, onCreated }: { cameras: Camera[]; onCreated: () => void }) {
  const api = useApi();
  const [camera, setCamera] = useState('');
  const [start, setStart] = useState(() => toLocalInput(new Date(Date.now() - 5 * 60_000).toISOString()));
  const [length, setLength] = useState('30');
  const [startError, setStartError] = useState<string | undefined>();
  const chosen = camera || (cameras[0] ? String(cameras[0].id) : '');
  const create = useAction(async () => {
    const from = fromLocalInput(start);
    if (!from) {
      setStartError('Enter a date and time.');
      return;
    }
    setStartError(undefined);
    const to = new Date(Date.parse(from) + Number(length) * 1000).toISOString();
    await api.post<Export>('/exports', { camera: Number(chosen), from, to });
    onCreated();
  });
  if (cameras.length === 0) return <p class="muted">Add a camera first.</p>;
  return (
    <form
      class="form-grid card"
      aria-label="Export a range"
      onSubmit={(e) => {
        e.preventDefault();
        void create.run();
      }}
    >
      <SelectField id="export-camera" label="Camera" value={chosen} onValue={setCamera} options={cameras.map((c) => ({ value: String(c.id), label: c.name }))} />
      <Field id="export-start" label="Start" value={start} onValue={setStart} error={startError} input={{ type: 'datetime-local', step: 1, required: true }} />
      <SelectField id="export-length" label="Length" value={length} onValue={setLength} options={LENGTHS} />
      <div class="field submit">
        <button type="submit" class="primary" disabled={create.running}>
          {create.running ? 'Starting…' : 'Export'}
        </button>
      </div>
      <div style={{ gridColumn: '1 / -1' }}>
        <ErrorNote error={create.error} what="Not exported" />
      </div>
    </form>
  );
}
