import type { ApiError } from '../api/api-error';

/** An API error as a sentence, announced to screen readers. */
export function ErrorNote({ error, what }: { error: ApiError | undefined; what?: string }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {what ? `${what}: ` : ''}
      {error.message}
    </p>
  );
}

/** Which words and colour a camera state gets. */
export function stateTone(state: string): 'ok' | 'warn' | 'bad' | 'off' {
  if (state === 'recording') return 'ok';
  if (state === 'disabled' || state === 'idle' || state === 'stopped') return 'off';
  if (state === 'offline' || state === 'stale') return 'bad';
  return 'warn';
}
