import type { CloudSessionStore, StoredCloudSession } from './cloud-session.store';
import type { CloudTokens, TokenHolder } from './wyze-cloud.client';

/** Hands the saved tokens to the client and saves whatever a refresh gives back. */
export class StoredSessionHolder implements TokenHolder {
  constructor(
    private current: StoredCloudSession,
    private readonly store: CloudSessionStore,
    private readonly now: () => number = Date.now,
  ) {}

  get tokens(): CloudTokens {
    return this.current.tokens;
  }

  get session(): StoredCloudSession {
    return this.current;
  }

  async replaceTokens(tokens: CloudTokens): Promise<void> {
    this.current = { ...this.current, tokens, refreshedAt: new Date(this.now()).toISOString() };
    await this.store.save(this.current);
  }

  async update(patch: Partial<StoredCloudSession>): Promise<void> {
    this.current = { ...this.current, ...patch };
    await this.store.save(this.current);
  }
}
