import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error';
import { useSession } from '../app-context';

/**
 * The sign-in form: the API token, entered once, exchanged for a session cookie. Over a page whose
 * session ended (`expired`), it is a dialog: the page behind keeps its state and carries on after.
 */
export function SignIn({ expired }: { expired: boolean }) {
  const session = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await session.signIn(token);
      setToken('');
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That is not the API token. Check it and try again.' : err instanceof Error ? err.message : String(err));
      input.current?.select();
    } finally {
      setBusy(false);
    }
  };

  const form = (
    <form class="sign-in card" onSubmit={submit} aria-describedby="sign-in-hint">
      <h1 id="sign-in-title">{expired ? 'Your session has ended' : 'Sign in to wyze-nvr'}</h1>
      {expired && <p>Sign in again to carry on: the page behind keeps what you entered.</p>}
      <label for="token">API token</label>
      <input
        id="token"
        ref={input}
        type="password"
        autocomplete="current-password"
        required
        value={token}
        onInput={(e) => setToken((e.target as HTMLInputElement).value)}
        aria-invalid={error ? 'true' : undefined}
        aria-errormessage={error ? 'sign-in-error' : undefined}
      />
      {error && (
        <p id="sign-in-error" class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy || token.trim() === ''}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <p id="sign-in-hint" class="hint">
        The installation's <code>API_TOKEN</code> (<code>wyze-nvr demo</code> prints it). It is sent once; the browser then keeps a session cookie.
      </p>
    </form>
  );
  if (!expired) return <main class="sign-in-page">{form}</main>;
  return (
    <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="sign-in-title">
      {form}
    </div>
  );
}
