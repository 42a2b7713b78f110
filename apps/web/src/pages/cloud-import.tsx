import { useState } from 'preact/hooks';
import { useApi } from '../app-context';
import { followJob } from '../api/jobs';
import type { CloudStatus, JobRef } from '../api/types';
import { Field, SelectField } from '../components/field';
import { ErrorNote } from '../components/status';
import { formatTime } from '../format';
import { useAction, useResource } from '../hooks';

type MfaMethod = 'totp' | 'sms' | 'email';
type LoginOutcome = { state: 'logged-in'; email: string } | { state: 'mfa-required'; loginId: string; method: MfaMethod; offered: MfaMethod[] };
interface ImportResult {
  counts: { create: number; update: number; unchanged: number; skip: number };
  otherDevices: number;
}

const WHERE: Record<MfaMethod, string> = { totp: 'from your authenticator app', sms: 'sent to your phone by SMS', email: 'sent to you by e-mail' };

/** Wyze account login (with the second-factor step) and the camera import. */
export function CloudImport({ onImported }: { onImported: () => void }) {
  const api = useApi();
  const status = useResource((signal) => api.get<CloudStatus>('/cloud/status', signal), []);
  const [report, setReport] = useState<string | undefined>();
  const runImport = useAction(async () => {
    setReport('Importing…');
    const job = await followJob(api, await api.post<JobRef>('/cloud/import'), (p) => setReport(`Importing… ${p} %`));
    if (job.state !== 'completed') {
      setReport(`The import ${job.state}${job.error ? `: ${job.error}` : ''}.`);
      return;
    }
    const c = (job.result as ImportResult).counts;
    setReport(`Done: ${c.create} added, ${c.update} updated, ${c.unchanged} unchanged, ${c.skip} skipped (not supported).`);
    onImported();
    status.reload();
  });
  const logout = useAction(async () => {
    await api.delete('/cloud/login');
    setReport(undefined);
    status.reload();
  });

  const s = status.data;
  if (!s) return <ErrorNote error={status.error} what="The Wyze account state could not be loaded" />;
  if (!s.loggedIn) return <CloudLogin problem={s.problem} onLoggedIn={status.reload} />;
  return (
    <div class="card" aria-labelledby="cloud-title">
      <p>
        Logged in as <strong>{s.email}</strong> since {formatTime(s.loggedInAt)}.
        {s.lastImport && ` Last import ${formatTime(s.lastImport.at)}: ${s.lastImport.created} added, ${s.lastImport.updated} updated.`}
      </p>
      <p class="hint">Imports add the account's supported cameras (enabled) and update the UID, IP, model, firmware and key of those already here; names and settings you changed are kept.</p>
      <div class="actions" style={{ alignItems: 'center' }}>
        <button type="button" class="primary" onClick={() => void runImport.run()} disabled={runImport.running}>
          Import cameras
        </button>
        <button type="button" onClick={() => void logout.run()} disabled={logout.running || runImport.running}>
          Log out of Wyze
        </button>
        <output aria-live="polite" class="muted">
          {report}
        </output>
      </div>
      <ErrorNote error={runImport.error ?? logout.error} />
    </div>
  );
}

const EMPTY = { email: '', password: '', apiKeyId: '', apiKey: '', method: '' };

function CloudLogin({ problem, onLoggedIn }: { problem?: string; onLoggedIn: () => void }) {
  const api = useApi();
  const [v, setV] = useState(EMPTY);
  const [pending, setPending] = useState<Extract<LoginOutcome, { state: 'mfa-required' }> | undefined>();
  const [code, setCode] = useState('');
  const set = (k: keyof typeof EMPTY) => (value: string) => setV((old) => ({ ...old, [k]: value }));
  const login = useAction(async () => {
    const out = await api.post<LoginOutcome>('/cloud/login', {
      email: v.email.trim(),
      password: v.password,
      apiKeyId: v.apiKeyId.trim(),
      apiKey: v.apiKey.trim(),
      ...(v.method ? { mfaMethod: v.method } : {}),
    });
    // The secrets were sent once; the form does not keep them.
    setV((old) => ({ ...EMPTY, email: old.email, method: old.method }));
    if (out.state === 'mfa-required') setPending(out);
    else onLoggedIn();
  });
  const verify = useAction(async () => {
    try {
      await api.post<LoginOutcome>(`/cloud/login/${pending!.loginId}/mfa`, { code: code.trim() });
      onLoggedIn();
    } finally {
      // Right or wrong, that login is over: a wrong code means logging in again.
      setPending(undefined);
      setCode('');
    }
  });

  if (pending) {
    return (
      <form
        class="card"
        aria-label="Wyze verification code"
        onSubmit={(e) => {
          e.preventDefault();
          void verify.run();
        }}
      >
        <p>The Wyze account asks for a second factor: enter the code {WHERE[pending.method]}.</p>
        <div class="form-grid">
          <Field id="mfa-code" label="Verification code" value={code} onValue={setCode} input={{ required: true, inputMode: 'numeric', autocomplete: 'one-time-code', maxLength: 12 }} />
          <div class="field submit">
            <button type="submit" class="primary" disabled={verify.running || code.trim() === ''}>
              Verify
            </button>
          </div>
        </div>
        {pending.offered.length > 1 && <p class="hint">To use {pending.offered.filter((m) => m !== pending.method).join(' or ')} instead, cancel and choose it in the login form.</p>}
        <button type="button" class="quiet" onClick={() => setPending(undefined)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <form
      class="card"
      aria-label="Wyze login"
      autocomplete="off"
      onSubmit={(e) => {
        e.preventDefault();
        void login.run();
      }}
    >
      <p class="hint">
        {problem ? `${problem} ` : ''}The password and the API key (from the Wyze developer portal) are sent to Wyze once and not stored; the session is, encrypted.
      </p>
      <div class="form-grid">
        <Field id="wyze-email" label="E-mail" value={v.email} onValue={set('email')} input={{ type: 'email', required: true, autocomplete: 'username' }} />
        <Field id="wyze-password" label="Password" value={v.password} onValue={set('password')} input={{ type: 'password', required: true, autocomplete: 'current-password' }} />
        <Field id="wyze-key-id" label="API key id" value={v.apiKeyId} onValue={set('apiKeyId')} input={{ type: 'password', required: true, autocomplete: 'off' }} />
        <Field id="wyze-key" label="API key" value={v.apiKey} onValue={set('apiKey')} input={{ type: 'password', required: true, autocomplete: 'off' }} />
        <SelectField
          id="wyze-mfa"
          label="Second factor"
          value={v.method}
          onValue={set('method')}
          options={[
            { value: '', label: 'Whichever the account has' },
            { value: 'totp', label: 'Authenticator app' },
            { value: 'sms', label: 'SMS' },
            { value: 'email', label: 'E-mail' },
          ]}
        />
      </div>
      <div class="actions" style={{ marginTop: '.75rem' }}>
        <button type="submit" class="primary" disabled={login.running}>
          {login.running ? 'Logging in…' : 'Log in to Wyze'}
        </button>
      </div>
      <ErrorNote error={login.error ?? verify.error} what="Not logged in" />
    </form>
  );
}
