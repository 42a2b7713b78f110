// The Wyze cloud client over real HTTP against the fake cloud: login with and without MFA, token
// refresh, rate limiting, the firewall, malformed replies, and errors that carry no secret.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CloudAccountService, MemoryCloudSessionStore, readCloudStatus, totp, WyzeCloudClient, WyzeCloudError, type CloudTokens, type TokenHolder, type WyzeCloudErrorCode, type WyzeCredentials } from '@wyze-nvr/wyze-cloud';
import { FakeWyzeCloud } from './fake-wyze-cloud/fake-wyze-cloud';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

let fake: FakeWyzeCloud;
let delays: number[];

function client(): WyzeCloudClient {
  // Back-off delays are recorded, not waited: the test checks what would have been waited.
  return new WyzeCloudClient({ authUrl: fake.url, apiUrl: fake.url, sleep: async (ms) => void delays.push(ms), retry: { attempts: 4, baseDelayMs: 500 } });
}

function creds(over: Partial<WyzeCredentials> = {}): WyzeCredentials {
  const a = fake.account;
  return { email: a.email, password: a.password, apiKeyId: a.apiKeyId, apiKey: a.apiKey, ...over };
}

function secretsOf(c: WyzeCredentials): string[] {
  return [c.password, md5(md5(md5(c.password))), c.apiKey, c.apiKeyId, ...(c.totpSecret ? [c.totpSecret] : []), ...fake.issuedTokens];
}

async function rejectsWith(p: Promise<unknown>, code: WyzeCloudErrorCode, secrets: string[], message?: RegExp): Promise<WyzeCloudError> {
  let caught: unknown;
  await p.then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => (caught = e),
  );
  assert.ok(caught instanceof WyzeCloudError, `not a WyzeCloudError: ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (message) assert.match(caught.message, message);
  const text = `${caught.message} ${caught.stack ?? ''} ${JSON.stringify(caught)}`;
  for (const s of secrets) assert.ok(!text.includes(s), `secret in error: ${s.slice(0, 4)}…`);
  return caught;
}

class Holder implements TokenHolder {
  saved: CloudTokens[] = [];
  constructor(public tokens: CloudTokens) {}
  async replaceTokens(t: CloudTokens) {
    this.tokens = t;
    this.saved.push(t);
  }
}

before(async () => {
  fake = new FakeWyzeCloud();
  await fake.start();
});
after(() => fake.close());
beforeEach(() => {
  delays = [];
  fake.account.mfa = 'none';
  fake.retryAfter = '0';
});

describe('login', () => {
  test('without MFA: the triple-MD5 hash and the API key headers are sent, tokens come back', async () => {
    const c = creds();
    const tokens = await client().login(c);
    assert.ok(tokens.accessToken.startsWith('fakeAT.'));
    assert.ok(tokens.refreshToken.startsWith('fakeRT.'));
    assert.equal(tokens.userId, fake.account.userId);
    assert.match(tokens.phoneId, /^[0-9a-f]{16}$/);
    const req = fake.requests.at(-1)!;
    assert.equal(req.headers['keyid'], c.apiKeyId);
    assert.equal(req.headers['apikey'], c.apiKey);
    assert.deepEqual(req.body, { email: c.email, password: md5(md5(md5(c.password))) });
  });

  test('md5:<hash> logs in with the hash as given', async () => {
    await client().login(creds({ password: `MD5:${md5(md5(md5(fake.account.password)))}` }));
  });

  test('a wrong password is wrong-password, without the password or its hash in the error', async () => {
    const c = creds({ password: 'wrong-but-fake-password' });
    await rejectsWith(client().login(c), 'wrong-password', secretsOf(c), /UserNameOrPasswordError/);
  });

  test('a wrong API key is rejected naming the key, not showing it', async () => {
    const c = creds({ apiKey: 'FAKEwrongapikey00000000000000000000' });
    await rejectsWith(client().login(c), 'rejected', secretsOf(c), /API key/);
  });

  test('MFA with a stored TOTP secret answers with the current code', async () => {
    fake.account.mfa = 'totp';
    const c = creds({ totpSecret: fake.account.totpSecret });
    const tokens = await client().login(c);
    assert.ok(tokens.accessToken.startsWith('fakeAT.'));
    const mfaPost = fake.requests.at(-1)!.body as Record<string, string>;
    assert.equal(mfaPost.mfa_type, 'TotpVerificationCode');
    assert.equal(mfaPost.verification_id, fake.account.totpAppId);
    assert.match(mfaPost.verification_code, /^\d{6}$/);
  });

  test('MFA with a wrong TOTP secret is wrong-mfa-code', async () => {
    fake.account.mfa = 'totp';
    const c = creds({ totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' });
    await rejectsWith(client().login(c), 'wrong-mfa-code', secretsOf(c));
  });

  test('MFA without a secret or a prompt is mfa-required, naming the options', async () => {
    fake.account.mfa = 'totp+sms';
    await rejectsWith(client().login(creds()), 'mfa-required', secretsOf(creds()), /TotpVerificationCode, PrimaryPhone/);
  });

  test('MFA by SMS: sendSmsCode first, then the typed code with its session id', async () => {
    fake.account.mfa = 'sms';
    const asked: string[] = [];
    const tokens = await client().login(creds(), { code: async (m) => (asked.push(m), fake.account.smsCode) });
    assert.deepEqual(asked, ['sms']);
    assert.ok(tokens.accessToken.startsWith('fakeAT.'));
    const sms = fake.requests.filter((r) => r.path === '/user/login/sendSmsCode').at(-1)!;
    assert.deepEqual(sms.query, { mfaPhoneType: 'Primary', sessionId: 'fake-sms-session-1', userId: fake.account.userId });
    const mfaPost = fake.requests.at(-1)!.body as Record<string, string>;
    assert.equal(mfaPost.mfa_type, 'PrimaryPhone');
    assert.match(mfaPost.verification_id, /^fake-sms-verify-/);
  });

  test('an SMS the cloud refuses to send is rejected before any code is asked for', async () => {
    fake.account.mfa = 'sms';
    fake.failNext('sms', 'refused');
    let asked = false;
    await rejectsWith(client().login(creds(), { code: async () => ((asked = true), '1') }), 'rejected', secretsOf(creds()), /did not send the SMS code: TooManyRequestsForThisPhone \(code 3044\)/);
    assert.equal(asked, false);
  });

  test('MFA prompt can choose the authenticator app; a wrong code is wrong-mfa-code', async () => {
    fake.account.mfa = 'totp+sms';
    const smsBefore = fake.count('sms');
    await client().login(creds(), { choose: () => 'totp', code: async () => totp(fake.account.totpSecret) });
    assert.equal(fake.count('sms'), smsBefore, 'no SMS is sent for the authenticator app');
    await rejectsWith(client().login(creds(), { choose: () => 'totp', code: async () => '000000' }), 'wrong-mfa-code', secretsOf(creds()));
  });
});

describe('session', () => {
  test('an expired access token is refreshed once, saved, and the call retried', async () => {
    const c = client();
    const holder = new Holder(await c.login(creds()));
    const first = holder.tokens;
    fake.expireAccessTokens();
    const devices = await c.listDevices(holder);
    assert.equal(devices.length, fake.devices.length);
    assert.equal(holder.saved.length, 1);
    assert.notEqual(holder.tokens.accessToken, first.accessToken);
    assert.notEqual(holder.tokens.refreshToken, first.refreshToken);
    assert.equal(holder.tokens.phoneId, first.phoneId);
    const refresh = fake.requests.filter((r) => r.path === '/app/user/refresh_token').at(-1)!.body as Record<string, unknown>;
    assert.equal(refresh.refresh_token, first.refreshToken);
    // The new token works without another refresh.
    const refreshes = fake.count('refresh');
    await c.listDevices(holder);
    assert.equal(fake.count('refresh'), refreshes);
  });

  test('a refresh the cloud refuses is expired-token: log in again', async () => {
    const c = client();
    const holder = new Holder(await c.login(creds()));
    fake.revokeSession();
    await rejectsWith(c.listDevices(holder), 'expired-token', fake.issuedTokens, /cloud login/);
    assert.equal(holder.saved.length, 0);
  });
});

describe('account service', () => {
  test('refreshSession renews and saves the tokens; status shows the account without tokens', async () => {
    const sessions = new MemoryCloudSessionStore();
    const account = new CloudAccountService({ client: client(), sessions });
    await assert.rejects(account.refreshSession(), (e: unknown) => e instanceof WyzeCloudError && e.code === 'not-logged-in');
    assert.deepEqual(await account.login(creds()), { email: fake.account.email, userId: fake.account.userId });
    const first = sessions.session!.tokens;
    assert.deepEqual(await account.refreshSession(), { changed: true });
    assert.notEqual(sessions.session!.tokens.accessToken, first.accessToken);
    assert.equal(sessions.session!.tokens.phoneId, first.phoneId);
    const status = await readCloudStatus(sessions);
    assert.equal(status.loggedIn, true);
    assert.ok(status.refreshedAt);
    for (const t of fake.issuedTokens) assert.ok(!JSON.stringify(status).includes(t));
    await account.logout();
    assert.deepEqual(await readCloudStatus(sessions), { loggedIn: false });
  });
});

describe('device list', () => {
  test('is read from data.device_list with device_params', async () => {
    const c = client();
    const devices = await c.getDeviceList(await c.login(creds()));
    const v4 = devices.find((d) => d.mac === '2CAA8E0000A2')!;
    assert.equal(v4.productModel, 'HL_CAM4');
    assert.equal(v4.ip, '192.168.1.22');
    assert.equal(v4.dtls, 1);
    assert.equal(v4.uid, fake.device('2CAA8E0000A2').device_params.p2p_id);
    assert.equal(v4.enr, fake.device('2CAA8E0000A2').enr);
    assert.equal(devices.find((d) => d.mac === '2CAA8E0000A5')!.ip, null);
  });

  test('HTTP 429 is retried with growing delays and then succeeds', async () => {
    const c = client();
    const tokens = await c.login(creds());
    fake.failNext('devices', 'rate-limit', 2);
    const before = fake.count('devices');
    assert.equal((await c.getDeviceList(tokens)).length, fake.devices.length);
    assert.equal(fake.count('devices') - before, 3);
    assert.deepEqual(delays, [500, 1000]);
  });

  test('Retry-After longer than the back-off is waited', async () => {
    const c = client();
    const tokens = await c.login(creds());
    fake.retryAfter = '7';
    fake.failNext('devices', 'rate-limit', 1);
    await c.getDeviceList(tokens);
    assert.deepEqual(delays, [7000]);
  });

  test('HTTP 429 past the bound is rate-limited', async () => {
    const c = client();
    const tokens = await c.login(creds());
    fake.failNext('devices', 'rate-limit', 4);
    await rejectsWith(c.getDeviceList(tokens), 'rate-limited', fake.issuedTokens, /429/);
    assert.equal(delays.length, 3);
  });

  test('a 403 firewall page is blocked, and the message says what to do', async () => {
    fake.failNext('login', 'waf');
    await rejectsWith(client().login(creds()), 'blocked', secretsOf(creds()), /firewall.*wait/s);
  });

  test('malformed JSON is bad-response', async () => {
    const c = client();
    const tokens = await c.login(creds());
    fake.failNext('devices', 'malformed');
    await rejectsWith(c.getDeviceList(tokens), 'bad-response', fake.issuedTokens, /not JSON/);
  });

  test('JSON of the wrong shape is bad-response', async () => {
    const c = client();
    const tokens = await c.login(creds());
    fake.failNext('devices', 'wrong-shape');
    await rejectsWith(c.getDeviceList(tokens), 'bad-response', fake.issuedTokens, /shape/);
  });

  test('nothing listening is cloud-unreachable', async () => {
    const dead = new FakeWyzeCloud();
    const url = await dead.start();
    await dead.close();
    const c = new WyzeCloudClient({ authUrl: url, apiUrl: url });
    await rejectsWith(c.login(creds()), 'cloud-unreachable', secretsOf(creds()), /ECONNREFUSED/);
  });
});
