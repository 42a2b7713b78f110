import { useState } from 'preact/hooks';
import { useApi } from '../app-context';
import { ApiError } from '../api/api-error';
import type { Camera, NewCamera } from '../api/types';
import { Field } from '../components/field';
import { ErrorNote } from '../components/status';
import { useAction } from '../hooks';

const EMPTY = { name: '', ip: '', uid: '', enr: '', mac: '', model: 'WYZE_CAKP2JFUS' };
type Values = typeof EMPTY;
/** The tested models (libs/wyze-cloud KNOWN_WORKING_MODELS), as suggestions; any other is accepted. */
const MODELS = [
  ['WYZE_CAKP2JFUS', 'Wyze Cam v3'],
  ['HL_CAM4', 'Wyze Cam v4'],
  ['WYZEC1_JZ', 'Wyze Cam v2'],
  ['WYZEDB3', 'Wyze Video Doorbell v2'],
];

/** A camera by hand. The ENR is write-only: it goes to the API once and is never shown again. */
export function AddCameraForm({ onAdded }: { onAdded: () => void }) {
  const api = useApi();
  const [v, setV] = useState<Values>(EMPTY);
  const [added, setAdded] = useState<string | undefined>();
  const set = (k: keyof Values) => (value: string) => {
    setAdded(undefined);
    setV((old) => ({ ...old, [k]: value }));
  };
  const add = useAction(async () => {
    const body: NewCamera = { name: v.name.trim(), uid: v.uid.trim().toUpperCase(), enr: v.enr, mac: v.mac.trim(), model: v.model.trim(), ip: v.ip.trim() || null };
    const camera = await api.post<Camera>('/cameras', body);
    // The ENR leaves the page with the request: the form forgets it at once.
    setV(EMPTY);
    setAdded(`${camera.name} added; the recorder starts it within a few seconds.`);
    onAdded();
  });
  const err = add.error instanceof ApiError ? add.error : undefined;
  const fieldError = (f: string) => err?.fieldReason(f);
  return (
    <form
      class="card"
      aria-labelledby="add-title"
      autocomplete="off"
      onSubmit={(e) => {
        e.preventDefault();
        void add.run();
      }}
    >
      <div class="form-grid">
        <Field id="cam-name" label="Name" value={v.name} onValue={set('name')} error={fieldError('name')} input={{ required: true, maxLength: 100 }} />
        <Field id="cam-ip" label="IP address" value={v.ip} onValue={set('ip')} error={fieldError('ip')} hint="Optional: without it the camera is found on the LAN." input={{ inputMode: 'decimal', placeholder: '192.168.1.20' }} />
        <Field id="cam-uid" label="UID" value={v.uid} onValue={set('uid')} error={fieldError('uid')} hint="20 letters and digits." input={{ required: true, maxLength: 20, spellcheck: false }} />
        <Field
          id="cam-enr"
          label="Camera key (ENR)"
          value={v.enr}
          onValue={set('enr')}
          error={fieldError('enr')}
          hint="Stored encrypted and never shown again."
          input={{ type: 'password', required: true, autocomplete: 'new-password', spellcheck: false }}
        />
        <Field id="cam-mac" label="MAC address" value={v.mac} onValue={set('mac')} error={fieldError('mac')} input={{ required: true, placeholder: '2C:AA:8E:00:00:A1', spellcheck: false }} />
        <Field id="cam-model" label="Model" value={v.model} onValue={set('model')} error={fieldError('model')} input={{ required: true, list: 'camera-models', spellcheck: false }}>
          <datalist id="camera-models">
            {MODELS.map(([code, name]) => (
              <option key={code} value={code} label={name} />
            ))}
          </datalist>
        </Field>
      </div>
      <div class="actions" style={{ marginTop: '.75rem', alignItems: 'center' }}>
        <button type="submit" class="primary" disabled={add.running}>
          Add camera
        </button>
        <span role="status" class="muted">
          {added}
        </span>
      </div>
      {err && err.fields.length === 0 && <ErrorNote error={err} what="Not added" />}
      {err && err.fields.length > 0 && (
        <p class="error" role="alert">
          Not added: check the fields marked above.
        </p>
      )}
    </form>
  );
}
