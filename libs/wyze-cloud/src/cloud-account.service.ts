import type { Logger } from '@wyze-nvr/log';
import type { CloudSessionStore } from './cloud-session.store';
import type { MfaResponder } from './mfa';
import type { WyzeCloudClient, WyzeCredentials } from './wyze-cloud.client';
import { WyzeCloudError } from './wyze-cloud.error';

export interface CloudAccountServiceDeps {
  client: WyzeCloudClient;
  sessions: CloudSessionStore;
  logger?: Logger;
  now?: () => number;
}

export interface LoginResult {
  email: string;
  userId: string;
}

/** Logging in and out, and keeping the session fresh; the session is stored sealed, never the password or API key. */
export class CloudAccountService {
  private readonly now: () => number;

  constructor(private readonly deps: CloudAccountServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async login(creds: WyzeCredentials, mfa?: MfaResponder): Promise<LoginResult> {
    const tokens = await this.deps.client.login(creds, mfa);
    const email = creds.email.trim();
    const previous = await this.deps.sessions.load().catch(() => undefined);
    await this.deps.sessions.save({
      email,
      tokens,
      loggedInAt: new Date(this.now()).toISOString(),
      // The import history belongs to the account, not to one session.
      ...(previous?.email === email && previous.lastImport ? { lastImport: previous.lastImport } : {}),
    });
    this.deps.logger?.info({ userId: tokens.userId }, 'logged in to the Wyze cloud');
    return { email, userId: tokens.userId };
  }

  async logout(): Promise<void> {
    await this.deps.sessions.clear();
  }

  /**
   * Renews the tokens now (for a periodic task, so the session does not lapse between imports).
   * Saves only when the cloud gave something new. `not-logged-in` without a session.
   */
  async refreshSession(): Promise<{ changed: boolean }> {
    const session = await this.deps.sessions.load();
    if (!session) throw new WyzeCloudError('not-logged-in', 'no Wyze session is saved; run `wyze-nvr cloud login` first');
    const tokens = await this.deps.client.refreshTokens(session.tokens);
    const changed = tokens.accessToken !== session.tokens.accessToken || tokens.refreshToken !== session.tokens.refreshToken;
    if (changed) await this.deps.sessions.save({ ...session, tokens, refreshedAt: new Date(this.now()).toISOString() });
    return { changed };
  }
}
