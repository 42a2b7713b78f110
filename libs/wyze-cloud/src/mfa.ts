import { registerSecret } from '@wyze-nvr/log';
import { SEND_SMS_CODE_PATH } from './wyze-api.constants';
import { totp } from './totp';
import { WyzeCloudError } from './wyze-cloud.error';

/**
 * Completing a login that asks for a second factor. FACTS §12.1 and §16.9: **OPEN**, not verified
 * against today's auth API (go2rtc stops at "MFA required"). The flow below is the one SDK-based
 * tools use; it is kept in this one file so that it can be corrected in one place.
 */
export type MfaMethod = 'totp' | 'sms' | 'email';

/** `mfa_options` values as the auth API spells them, and the `mfa_type` we answer with. */
const MFA_TYPE: Record<MfaMethod, string> = {
  totp: 'TotpVerificationCode',
  sms: 'PrimaryPhone',
  email: 'Email',
};

/** When several are offered and nobody chooses: an authenticator app needs no message sent. */
export const MFA_PREFERENCE: readonly MfaMethod[] = ['totp', 'sms', 'email'];

/** Whoever can supply a code: the CLI prompt, or a test. */
export interface MfaResponder {
  /** Picks one of the offered methods; defaults to the first of MFA_PREFERENCE. */
  choose?(offered: MfaMethod[]): MfaMethod | Promise<MfaMethod>;
  /** The code the user received (SMS, e-mail) or reads off the authenticator app. Called after any SMS is sent. */
  code(method: MfaMethod): Promise<string>;
}

export interface MfaChallenge {
  userId: string;
  /** `mfa_options` from the login reply. */
  offered: string[];
  smsSessionId: string;
  emailSessionId: string;
  /** `mfa_details` from the login reply. */
  details: unknown;
}

export interface MfaContext {
  totpSecret?: string;
  responder?: MfaResponder;
  now: () => number;
  /** POSTs to the auth host (path with query) and returns the parsed JSON. */
  sendSmsCode: (pathAndQuery: string) => Promise<unknown>;
}

export interface MfaAnswer {
  mfaType: string;
  verificationId: string;
  code: string;
}

export function mfaMethodsOffered(offered: readonly string[]): MfaMethod[] {
  return MFA_PREFERENCE.filter((m) => offered.includes(MFA_TYPE[m]));
}

export async function answerMfa(challenge: MfaChallenge, ctx: MfaContext): Promise<MfaAnswer> {
  const methods = mfaMethodsOffered(challenge.offered);
  const offeredText = challenge.offered.join(', ') || 'none';
  if (methods.length === 0) {
    throw new WyzeCloudError('mfa-required', `the Wyze account asks for a second factor this client does not know (${offeredText})`);
  }

  if (ctx.totpSecret && methods.includes('totp')) {
    return { mfaType: MFA_TYPE.totp, verificationId: totpAppId(challenge), code: totp(ctx.totpSecret, { timeMs: ctx.now() }) };
  }
  if (!ctx.responder) {
    throw new WyzeCloudError(
      'mfa-required',
      `the Wyze account requires a second factor (${offeredText}); run \`wyze-nvr cloud login\` interactively to type the code, ` +
        'or set WYZE_TOTP_SECRET to the authenticator app secret',
    );
  }

  const method = ctx.responder.choose ? await ctx.responder.choose(methods) : methods[0];
  if (!methods.includes(method)) throw new WyzeCloudError('mfa-required', `the Wyze account does not offer ${method} as a second factor (${offeredText})`);

  let verificationId: string;
  switch (method) {
    case 'totp':
      verificationId = totpAppId(challenge);
      break;
    case 'sms':
      verificationId = await sendSms(challenge, ctx);
      break;
    case 'email':
      // OPEN: whether the e-mail is sent by the first login call or needs a call of its own.
      verificationId = challenge.emailSessionId;
      break;
  }
  const code = (await ctx.responder.code(method)).trim();
  if (code === '') throw new WyzeCloudError('mfa-required', 'no verification code was given');
  registerSecret(verificationId);
  return { mfaType: MFA_TYPE[method], verificationId, code };
}

/** **INFERRED**: the TOTP `verification_id` is the id of the account's authenticator app in `mfa_details.totp_apps`. */
function totpAppId(challenge: MfaChallenge): string {
  const apps = (challenge.details as { totp_apps?: { app_id?: unknown }[] } | null | undefined)?.totp_apps;
  const id = Array.isArray(apps) ? apps[0]?.app_id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : challenge.userId;
}

/** FACTS §12.1: asks the cloud to text the code; its reply's `session_id` (**INFERRED**) identifies the code. */
async function sendSms(challenge: MfaChallenge, ctx: MfaContext): Promise<string> {
  const query = new URLSearchParams({ mfaPhoneType: 'Primary', sessionId: challenge.smsSessionId, userId: challenge.userId });
  const reply = (await ctx.sendSmsCode(`${SEND_SMS_CODE_PATH}?${query.toString()}`)) as Record<string, unknown> | null;
  const code = reply?.code ?? reply?.errorCode;
  if (code !== undefined && code !== null && !['1', '0', ''].includes(String(code))) {
    const msg = typeof reply?.msg === 'string' && reply.msg ? reply.msg : typeof reply?.description === 'string' ? reply.description : 'no message';
    throw new WyzeCloudError('rejected', `the Wyze cloud did not send the SMS code: ${msg.slice(0, 160)} (code ${String(code)})`, { cloudCode: String(code) });
  }
  const sessionId = reply?.session_id;
  return typeof sessionId === 'string' && sessionId !== '' ? sessionId : challenge.smsSessionId;
}
