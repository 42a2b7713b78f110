import { randomBytes } from 'node:crypto';
import { registerSecret } from '@wyze-nvr/log';
import { z } from 'zod';
import { CloudHttp, type CloudHttpOptions, type JsonReply } from './cloud-http';
import { loginPasswordHash } from './login-password';
import { answerMfa, type MfaResponder } from './mfa';
import { deviceListReply, toWyzeDevice, type WyzeDevice } from './wyze-device';
import {
  ACCESS_TOKEN_ERROR_CODE,
  API_SUCCESS_CODE,
  APP_FIELDS,
  DEVICE_LIST_PATH,
  LOGIN_PATH,
  REFRESH_TOKEN_PATH,
  USER_AGENT,
  WYZE_API_URL,
  WYZE_AUTH_URL,
} from './wyze-api.constants';
import { WyzeCloudError } from './wyze-cloud.error';

/** What the person logging in supplies. Every field but the e-mail is a secret. */
export interface WyzeCredentials {
  email: string;
  /** Plain, or `md5:<triple-md5 hash>`. */
  password: string;
  /** From the Wyze developer portal; sent as `Keyid`. */
  apiKeyId: string;
  /** From the Wyze developer portal; sent as `Apikey`. */
  apiKey: string;
  /** Base32 TOTP secret of the account's authenticator app, to answer MFA without a prompt. */
  totpSecret?: string;
}

/** A logged-in session. Both tokens are secrets. */
export interface CloudTokens {
  accessToken: string;
  refreshToken: string;
  userId: string;
  /** 16 random hex characters made once per session (FACTS §12.2). */
  phoneId: string;
}

/** Where a caller keeps the session, so a refresh triggered inside a call is persisted. */
export interface TokenHolder {
  readonly tokens: CloudTokens;
  replaceTokens(tokens: CloudTokens): Promise<void>;
}

export interface WyzeCloudClientOptions extends CloudHttpOptions {
  /** Defaults to the production auth host; tests point it at the fake. */
  authUrl?: string;
  /** Defaults to the production API host. */
  apiUrl?: string;
  /** Unix ms, for `ts` fields and TOTP. */
  now?: () => number;
}

const loginReply = z
  .object({
    code: z.union([z.string(), z.number()]).nullish(),
    errorCode: z.union([z.number(), z.string()]).nullish(),
    msg: z.string().nullish(),
    description: z.string().nullish(),
    access_token: z.string().nullish(),
    refresh_token: z.string().nullish(),
    user_id: z.union([z.string(), z.number()]).nullish(),
    mfa_options: z.array(z.string()).nullish(),
    sms_session_id: z.string().nullish(),
    email_session_id: z.string().nullish(),
    mfa_details: z.unknown().optional(),
  })
  .passthrough();
export type LoginReply = z.infer<typeof loginReply>;

const apiReply = z
  .object({
    code: z.union([z.string(), z.number()]).nullish(),
    msg: z.string().nullish(),
    data: z.unknown().optional(),
  })
  .passthrough();

const refreshData = z.object({ access_token: z.string().min(1), refresh_token: z.string().nullish() }).passthrough();

const MAX_CLOUD_MESSAGE = 160;

/**
 * The Wyze cloud as this NVR uses it: log in (with MFA), refresh the session, list devices.
 * Every token, key and ENR it sees is registered with the log redactor before anything can log it.
 */
export class WyzeCloudClient {
  readonly authUrl: string;
  readonly apiUrl: string;
  private readonly http: CloudHttp;
  private readonly now: () => number;

  constructor(opts: WyzeCloudClientOptions = {}) {
    this.authUrl = trimSlash(opts.authUrl ?? WYZE_AUTH_URL);
    this.apiUrl = trimSlash(opts.apiUrl ?? WYZE_API_URL);
    this.http = new CloudHttp(opts);
    this.now = opts.now ?? Date.now;
  }

  /**
   * FACTS §12.1. When the account asks for a second factor, a stored TOTP secret answers it; otherwise
   * `mfa` is asked for a code (SMS, e-mail or authenticator app). Without either: `mfa-required`.
   */
  async login(creds: WyzeCredentials, mfa?: MfaResponder): Promise<CloudTokens> {
    for (const s of [creds.password, creds.apiKey, creds.apiKeyId, creds.totpSecret ?? '']) registerSecret(s);
    const email = creds.email.trim();
    const password = loginPasswordHash(creds.password);
    registerSecret(password);
    const headers = { Apikey: creds.apiKey.trim(), Keyid: creds.apiKeyId.trim(), 'User-Agent': USER_AGENT };
    const secrets = [creds.password, password, creds.apiKey, creds.apiKeyId];

    let reply = await this.postLogin({ email, password }, headers, secrets, 'login');
    const offered = reply.mfa_options ?? [];
    if (offered.length > 0) {
      const answer = await answerMfa(
        { userId: String(reply.user_id ?? ''), offered, smsSessionId: reply.sms_session_id ?? '', emailSessionId: reply.email_session_id ?? '', details: reply.mfa_details },
        { totpSecret: creds.totpSecret, responder: mfa, now: this.now, sendSmsCode: (path) => this.postAuth(path, headers) },
      );
      reply = await this.postLogin(
        { email, password, mfa_type: answer.mfaType, verification_id: answer.verificationId, verification_code: answer.code },
        headers,
        secrets,
        'mfa',
      );
      if ((reply.mfa_options ?? []).length > 0) {
        throw new WyzeCloudError('wrong-mfa-code', 'the Wyze cloud did not accept the verification code');
      }
    }

    const accessToken = reply.access_token ?? '';
    const refreshToken = reply.refresh_token ?? '';
    if (accessToken === '') throw new WyzeCloudError('bad-response', 'the Wyze login reply has neither an error nor an access token');
    registerSecret(accessToken);
    registerSecret(refreshToken);
    return { accessToken, refreshToken, userId: String(reply.user_id ?? ''), phoneId: randomBytes(8).toString('hex') };
  }

  /** Trades the refresh token for new tokens (`expired-token` when the cloud refuses it). */
  async refreshTokens(tokens: CloudTokens): Promise<CloudTokens> {
    const reply = await this.http.postJson(this.apiUrl + REFRESH_TOKEN_PATH, { ...this.commonBody(tokens.phoneId), refresh_token: tokens.refreshToken });
    const parsed = apiReply.safeParse(reply.body);
    if (!parsed.success) throw badShape('token refresh');
    const code = parsed.data.code == null ? '' : String(parsed.data.code);
    if (code !== API_SUCCESS_CODE) {
      throw new WyzeCloudError('expired-token', 'the Wyze session has expired and could not be renewed; run `wyze-nvr cloud login` again', {
        status: reply.status,
        cloudCode: code,
      });
    }
    const data = refreshData.safeParse(parsed.data.data);
    if (!data.success) throw badShape('token refresh');
    const next = { ...tokens, accessToken: data.data.access_token, refreshToken: data.data.refresh_token || tokens.refreshToken };
    registerSecret(next.accessToken);
    registerSecret(next.refreshToken);
    return next;
  }

  /** One device-list call with the given token; `expired-token` when the cloud says it expired. */
  async getDeviceList(tokens: CloudTokens): Promise<WyzeDevice[]> {
    const reply = await this.http.postJson(this.apiUrl + DEVICE_LIST_PATH, { ...this.commonBody(tokens.phoneId), access_token: tokens.accessToken });
    const data = this.apiData(reply, 'device list');
    const parsed = deviceListReply.safeParse({ data });
    if (!parsed.success) throw badShape('device list');
    const devices = parsed.data.data.device_list.map(toWyzeDevice);
    for (const d of devices) registerSecret(d.enr);
    return devices;
  }

  /** The device list, refreshing the session once (and persisting it through `holder`) if it expired. */
  async listDevices(holder: TokenHolder): Promise<WyzeDevice[]> {
    return this.withFreshToken(holder, (t) => this.getDeviceList(t));
  }

  /** Runs `call`; on `expired-token` refreshes once, saves the new tokens, and runs it again. */
  async withFreshToken<T>(holder: TokenHolder, call: (tokens: CloudTokens) => Promise<T>): Promise<T> {
    try {
      return await call(holder.tokens);
    } catch (e) {
      if (!(e instanceof WyzeCloudError) || e.code !== 'expired-token') throw e;
    }
    const refreshed = await this.refreshTokens(holder.tokens);
    await holder.replaceTokens(refreshed);
    try {
      return await call(refreshed);
    } catch (e) {
      if (e instanceof WyzeCloudError && e.code === 'expired-token') {
        throw new WyzeCloudError('expired-token', 'the Wyze cloud still refuses the session after renewing it; run `wyze-nvr cloud login` again', {
          status: e.status,
          cloudCode: e.cloudCode,
        });
      }
      throw e;
    }
  }

  private commonBody(phoneId: string) {
    return { ...APP_FIELDS, phone_id: phoneId, ts: this.now() };
  }

  /** `data` of a v2 API reply whose code is "1"; expired token and other codes as typed errors. */
  private apiData(reply: JsonReply, what: string): unknown {
    const parsed = apiReply.safeParse(reply.body);
    if (!parsed.success) throw badShape(what);
    const code = parsed.data.code == null ? '' : String(parsed.data.code);
    if (code === API_SUCCESS_CODE) return parsed.data.data;
    if (code === ACCESS_TOKEN_ERROR_CODE) {
      throw new WyzeCloudError('expired-token', 'the Wyze access token has expired', { status: reply.status, cloudCode: code });
    }
    throw new WyzeCloudError('rejected', `the Wyze cloud refused the ${what} request: ${cloudMessage(parsed.data.msg, code, [])}`, {
      status: reply.status,
      cloudCode: code,
    });
  }

  private async postAuth(pathAndQuery: string, headers: Record<string, string>): Promise<unknown> {
    const reply = await this.http.postJson(this.authUrl + pathAndQuery, undefined, headers);
    return reply.body;
  }

  private async postLogin(body: Record<string, string>, headers: Record<string, string>, secrets: string[], phase: 'login' | 'mfa'): Promise<LoginReply> {
    const reply = await this.http.postJson(this.authUrl + LOGIN_PATH, body, headers);
    const parsed = loginReply.safeParse(reply.body);
    if (!parsed.success) throw badShape('login');
    const r = parsed.data;
    const failure = loginFailure(r);
    if (failure === undefined) return r;

    const msg = cloudMessage(failure.message, failure.code, secrets);
    const details = { status: reply.status, cloudCode: failure.code };
    if (phase === 'mfa') throw new WyzeCloudError('wrong-mfa-code', `the Wyze cloud did not accept the verification code: ${msg}`, details);
    if (/api.?key|key.?id|apikey|keyid/i.test(failure.message)) {
      throw new WyzeCloudError('rejected', `the Wyze cloud refused the API key id or key: ${msg}`, details);
    }
    if (reply.status === 429 || /too many|rate/i.test(failure.message)) {
      throw new WyzeCloudError('rate-limited', `the Wyze cloud is refusing logins for now: ${msg}`, details);
    }
    throw new WyzeCloudError('wrong-password', `the Wyze cloud refused the e-mail or password: ${msg}`, details);
  }
}

/**
 * FACTS §12.1: `code` "1" or "0" is success whatever `errorCode` says; otherwise a non-empty `code`
 * or a nonzero `errorCode` is an error, its message from `msg`, else `description`.
 */
export function loginFailure(r: LoginReply): { code: string; message: string } | undefined {
  const code = r.code == null ? '' : String(r.code);
  if (code === '1' || code === '0') return undefined;
  const errorCode = r.errorCode == null ? '' : String(r.errorCode);
  if (code !== '' || (errorCode !== '' && errorCode !== '0')) {
    return { code: code || errorCode, message: r.msg || r.description || '' };
  }
  return undefined;
}

function cloudMessage(msg: string | null | undefined, code: string, secrets: string[]): string {
  let m = (msg ?? '').replace(/[\r\n\t]+/g, ' ').trim();
  // The cloud is not expected to echo what we sent, but a message is shown to people and logged.
  for (const s of secrets) if (s && s.length >= 4) m = m.split(s).join('[redacted]');
  if (m.length > MAX_CLOUD_MESSAGE) m = `${m.slice(0, MAX_CLOUD_MESSAGE)}…`;
  return `${m || 'no message'}${code ? ` (code ${code})` : ''}`;
}

function badShape(what: string): WyzeCloudError {
  return new WyzeCloudError('bad-response', `the Wyze cloud's ${what} reply does not have the expected shape`);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
