import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { CloudAccountService, FileCloudSessionStore, isWyzeCloudError, WyzeCloudClient, type LoginResult, type MfaMethod } from '@wyze-nvr/wyze-cloud';
import { randomUUID } from 'node:crypto';
import { API_DEPS, type ApiDeps } from '../api.deps';
import { DomainError, type ErrorCode } from '../common/domain.error';

/** A login waiting for its second-factor code is dropped after this long. */
export const MFA_WAIT_MS = 5 * 60_000;
/** Logins waiting for a code at once (each holds a promise and a timer; nobody needs more). */
const MAX_PENDING = 8;

export interface LoginInput {
  email: string;
  password: string;
  apiKeyId: string;
  apiKey: string;
  totpSecret?: string;
  /** The second factor to use when the account offers several; default: an authenticator app first. */
  mfaMethod?: MfaMethod;
}

export type LoginOutcome = ({ state: 'logged-in' } & LoginResult) | { state: 'mfa-required'; loginId: string; method: MfaMethod; offered: MfaMethod[] };

/** Wyze cloud errors as API errors; none is a 401, which a browser takes for its own session ending. */
const LOGIN_ERROR: Record<string, ErrorCode> = {
  'wrong-password': 'cloud-login-refused',
  rejected: 'cloud-login-refused',
  'wrong-mfa-code': 'cloud-mfa-refused',
  'mfa-required': 'cloud-mfa-unsupported',
  'rate-limited': 'cloud-rate-limited',
};

function toDomainError(e: unknown): unknown {
  if (!isWyzeCloudError(e)) return e;
  return new DomainError(LOGIN_ERROR[e.code] ?? 'cloud-unavailable', e.message);
}

interface Pending {
  code: (code: string) => void;
  result: Promise<LoginResult>;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The Wyze login for the web app, in two requests when the account has a second factor: the first starts
 * the login and answers `mfa-required` (the SMS is sent by then, if that is the method) while the login
 * waits here for the code; the second gives the code and answers how it ended. The CLI's `cloud login`
 * runs the same CloudAccountService with a prompt in between. Held in this process's memory: behind a
 * load balancer, both requests must reach the same API process (they do with one).
 */
@Injectable()
export class CloudLoginService implements OnModuleDestroy {
  private readonly account: CloudAccountService;
  private readonly pending = new Map<string, Pending>();

  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.account = new CloudAccountService({
      client: deps.cloudClient ?? new WyzeCloudClient(),
      sessions: new FileCloudSessionStore(deps.config.dataDir, deps.secretKey),
      logger: deps.logger,
      now: deps.now,
    });
  }

  async start(input: LoginInput): Promise<LoginOutcome> {
    if (this.pending.size >= MAX_PENDING) throw new DomainError('cloud-rate-limited', 'too many logins are waiting for a code; finish or wait for them (5 minutes)');
    let askedForCode!: (m: { method: MfaMethod; offered: MfaMethod[] }) => void;
    const needsCode = new Promise<{ method: MfaMethod; offered: MfaMethod[] }>((r) => (askedForCode = r));
    let offered: MfaMethod[] = [];
    let giveCode!: (code: string) => void;
    let refuse!: (e: Error) => void;
    const code = new Promise<string>((resolve, reject) => {
      giveCode = resolve;
      refuse = reject;
    });
    const { mfaMethod, ...creds } = input;
    const result = this.account.login(creds, {
      choose: (methods) => {
        offered = methods;
        if (mfaMethod === undefined) return methods[0];
        if (!methods.includes(mfaMethod)) throw new DomainError('cloud-mfa-unsupported', `the account does not offer ${mfaMethod}; it offers ${methods.join(', ')}`);
        return mfaMethod;
      },
      code: (method) => {
        askedForCode({ method, offered });
        return code;
      },
    });
    const first = await Promise.race([result.then((r) => ({ done: r }), (e: unknown) => Promise.reject(toDomainError(e))), needsCode.then((m) => ({ mfa: m }))]);
    if ('done' in first) return { state: 'logged-in', ...first.done };

    const loginId = randomUUID();
    const timer = setTimeout(() => {
      this.pending.delete(loginId);
      refuse(new DomainError('cloud-mfa-refused', 'no verification code came within 5 minutes; log in again'));
    }, MFA_WAIT_MS);
    timer.unref();
    // Nobody may be waiting on `result` when it fails (a timeout): keep that from being an unhandled rejection.
    result.catch(() => undefined);
    this.pending.set(loginId, { code: giveCode, result, timer });
    return { state: 'mfa-required', loginId, ...first.mfa };
  }

  /** The second factor's code for a login that `start` left waiting; how the login ended. */
  async complete(loginId: string, code: string): Promise<LoginOutcome> {
    const p = this.pending.get(loginId);
    if (!p) throw new DomainError('not-found', 'no login is waiting for a code under this id (it finished, or waited more than 5 minutes); log in again');
    this.pending.delete(loginId);
    clearTimeout(p.timer);
    p.code(code);
    try {
      return { state: 'logged-in', ...(await p.result) };
    } catch (e) {
      throw toDomainError(e);
    }
  }

  async logout(): Promise<void> {
    await this.account.logout();
  }

  onModuleDestroy(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }
}
