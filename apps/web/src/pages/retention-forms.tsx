import { useEffect, useState } from 'preact/hooks';
import { useApi } from '../app-context';
import type { ApiError } from '../api/api-error';
import type { Camera, Policies, Policy } from '../api/types';
import { Field } from '../components/field';
import { ErrorNote } from '../components/status';
import { DAY_S, GB, limitText, parseLimit } from '../format';
import { useAction, useResource } from '../hooks';

interface LimitTexts {
  days: string;
  gb: string;
  freeGb: string;
}

const texts = (p: Policy | null | undefined): LimitTexts => ({ days: limitText(p?.maxAgeSeconds, DAY_S), gb: limitText(p?.maxBytes, GB), freeGb: limitText(p?.minFreeBytes, GB) });

/** The global policy and one per camera (overriding it): ages in days, sizes in GB, blank for no limit. */
export function RetentionForms({ cameras, onSaved }: { cameras: Camera[]; onSaved: () => void }) {
  const api = useApi();
  const policies = useResource((signal) => api.get<Policies>('/retention/policies', signal), []);
  if (!policies.data) return <ErrorNote error={policies.error} what="The retention policy could not be loaded" />;
  const byCamera = new Map(policies.data.cameras.map((p) => [p.cameraId, p]));
  return (
    <>
      <h2 id="retention-title">Retention</h2>
      <PolicyForm id="global" title="All cameras" policy={policies.data.global} global onSaved={onSaved} />
      {cameras.length > 0 && (
        <details class="camera-policies">
          <summary>Per camera ({byCamera.size} of {cameras.length} with their own limits)</summary>
          {cameras.map((c) => (
            <PolicyForm key={c.id} id={`camera-${c.id}`} title={c.name} cameraId={c.id} policy={byCamera.get(c.id)} onSaved={policies.reload} />
          ))}
        </details>
      )}
    </>
  );
}

function PolicyForm(props: { id: string; title: string; policy: Policy | null | undefined; global?: boolean; cameraId?: number; onSaved: () => void }) {
  const api = useApi();
  const [v, setV] = useState<LimitTexts>(() => texts(props.policy));
  const [saved, setSaved] = useState<string | undefined>();
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<keyof LimitTexts, string>>>({});
  useEffect(() => setV(texts(props.policy)), [props.policy]);
  const set = (k: keyof LimitTexts) => (value: string) => {
    setSaved(undefined);
    setV((old) => ({ ...old, [k]: value }));
  };
  const save = useAction(async () => {
    const age = parseLimit(v.days, DAY_S);
    const bytes = parseLimit(v.gb, GB);
    const free = parseLimit(v.freeGb, GB);
    const errors: Partial<Record<keyof LimitTexts, string>> = {};
    if (age === undefined) errors.days = 'A number of days above 0, or blank for no limit.';
    if (bytes === undefined) errors.gb = 'A number of GB above 0, or blank for no limit.';
    if (props.global && free === undefined) errors.freeGb = 'A number of GB above 0, or blank for none.';
    setFieldErrors(errors);
    if (Object.keys(errors).length) return;
    const body = { maxAgeSeconds: age, maxBytes: bytes, ...(props.global ? { minFreeBytes: free } : {}) };
    try {
      await api.put(props.global ? '/retention/policies/global' : `/cameras/${props.cameraId}/retention`, body);
    } catch (e) {
      const err = e as ApiError;
      setFieldErrors({ days: err.fieldReason?.('maxAgeSeconds'), gb: err.fieldReason?.('maxBytes'), freeGb: err.fieldReason?.('minFreeBytes') });
      throw e;
    }
    setSaved(`Saved at ${new Date().toLocaleTimeString()}.`);
    props.onSaved();
  });
  const clear = useAction(async () => {
    await api.delete(`/cameras/${props.cameraId}/retention`);
    setV(texts(null));
    setSaved('Follows the global policy again.');
    props.onSaved();
  });
  const id = props.id;
  return (
    <form
      class="card policy"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <h3 id={`${id}-title`}>{props.title}</h3>
      <div class="form-grid">
        <Field id={`${id}-days`} label="Keep at most (days)" value={v.days} onValue={set('days')} error={fieldErrors.days} input={{ inputMode: 'decimal', placeholder: props.global ? 'no limit' : 'as all cameras' }} />
        <Field id={`${id}-gb`} label="Use at most (GB)" value={v.gb} onValue={set('gb')} error={fieldErrors.gb} input={{ inputMode: 'decimal', placeholder: props.global ? 'no limit' : 'as all cameras' }} />
        {props.global && (
          <Field id={`${id}-free`} label="Keep free on disk (GB)" value={v.freeGb} onValue={set('freeGb')} error={fieldErrors.freeGb} input={{ inputMode: 'decimal', placeholder: 'none' }} hint="Oldest footage of any camera goes first below this." />
        )}
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={save.running}>
          Save
        </button>
        {!props.global && props.policy && (
          <button type="button" onClick={() => void clear.run()} disabled={clear.running}>
            Use the global policy
          </button>
        )}
        <span role="status" class="muted">
          {saved}
        </span>
      </div>
      <ErrorNote error={save.error ?? clear.error} what="Not saved" />
    </form>
  );
}
