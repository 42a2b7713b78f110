// The Wyze login through the API (the web app's cameras page), against the fake Wyze cloud over real HTTP:
// without a second factor; with an SMS code in a second request; with an authenticator app chosen among
// several; refusals (wrong password, wrong code, a login nobody waits for); logout. The password, API
// key and tokens never come back in an answer or a log line.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { totp, WyzeCloudClient } from '@wyze-nvr/wyze-cloud';
import { FakeWyzeCloud } from './fake-wyze-cloud/fake-wyze-cloud';
import { startTestApi, type TestApi } from './support/api';

let fake: FakeWyzeCloud;
let api: TestApi;

type Outcome = { state: string; email?: string; userId?: string; loginId?: string; method?: string; offered?: string[]; code?: string; message?: string };

before(async () => {
  fake = new FakeWyzeCloud();
  await fake.start();
  api = await startTestApi({ cloudClient: new WyzeCloudClient({ authUrl: fake.url, apiUrl: fake.url }) });
});
after(async () => {
  await api?.close();
  await fake?.close();
});

const credentials = (over: Record<string, string> = {}) => ({ email: fake.account.email, password: fake.account.password, apiKeyId: fake.account.apiKeyId, apiKey: fake.account.apiKey, ...over });
const secrets = () => [fake.account.password, fake.account.apiKey, fake.account.apiKeyId, fake.account.totpSecret, ...fake.issuedTokens];

async function post(path: string, body: unknown): Promise<{ status: number; body: Outcome; text: string }> {
  const res = await api.request('POST', path, { body });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Outcome, text };
}

function assertNoSecret(text: string, where: string): void {
  for (const s of secrets()) assert.ok(!text.includes(s), `${where} holds a secret (${s.slice(0, 4)}…)`);
}

async function loggedIn(): Promise<boolean> {
  return (await api.json<{ loggedIn: boolean }>('GET', '/cloud/status')).body.loggedIn;
}

describe('POST /cloud/login', () => {
  test('an account without a second factor: logged in at once, the session saved', async () => {
    fake.account.mfa = 'none';
    const r = await post('/cloud/login', credentials());
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { state: 'logged-in', email: fake.account.email, userId: fake.account.userId });
    assert.equal(await loggedIn(), true);
    assertNoSecret(r.text, 'the answer');
  });

  test('a wrong password: 422 cloud-login-refused (not a 401, which the web app takes for its own session)', async () => {
    const r = await post('/cloud/login', credentials({ password: 'wrong-password-123' }));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.code, 'cloud-login-refused');
  });

  test('an SMS second factor: mfa-required (the SMS sent), then the code in a second request logs in', async () => {
    await api.request('DELETE', '/cloud/login');
    assert.equal(await loggedIn(), false);
    fake.account.mfa = 'sms';
    const sentBefore = fake.count('sms');
    const first = await post('/cloud/login', credentials());
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.state, 'mfa-required');
    assert.equal(first.body.method, 'sms');
    assert.deepEqual(first.body.offered, ['sms']);
    assert.match(first.body.loginId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(fake.count('sms'), sentBefore + 1, 'the SMS was asked for before the answer');
    assert.equal(await loggedIn(), false, 'not logged in before the code');

    const second = await post(`/cloud/login/${first.body.loginId}/mfa`, { code: fake.account.smsCode });
    assert.equal(second.status, 200, second.text);
    assert.deepEqual(second.body, { state: 'logged-in', email: fake.account.email, userId: fake.account.userId });
    assert.equal(await loggedIn(), true);
  });

  test('a wrong code: 422 cloud-mfa-refused, and that login is over (its id is unknown after)', async () => {
    fake.account.mfa = 'sms';
    const first = await post('/cloud/login', credentials());
    const wrong = await post(`/cloud/login/${first.body.loginId}/mfa`, { code: '000000' });
    assert.equal(wrong.status, 422, wrong.text);
    assert.equal(wrong.body.code, 'cloud-mfa-refused');
    const again = await post(`/cloud/login/${first.body.loginId}/mfa`, { code: fake.account.smsCode });
    assert.equal(again.status, 404);
    const unknown = await post('/cloud/login/00000000-0000-4000-8000-000000000000/mfa', { code: '123456' });
    assert.equal(unknown.status, 404);
  });

  test('several factors offered: mfaMethod picks the authenticator app, whose code logs in', async () => {
    fake.account.mfa = 'totp+sms';
    const sentBefore = fake.count('sms');
    const first = await post('/cloud/login', { ...credentials(), mfaMethod: 'totp' });
    assert.equal(first.body.state, 'mfa-required', first.text);
    assert.equal(first.body.method, 'totp');
    assert.deepEqual(first.body.offered, ['totp', 'sms']);
    assert.equal(fake.count('sms'), sentBefore, 'no SMS for an authenticator app');
    const second = await post(`/cloud/login/${first.body.loginId}/mfa`, { code: totp(fake.account.totpSecret) });
    assert.equal(second.body.state, 'logged-in', second.text);
  });

  test('a method the account does not offer is refused with what it offers', async () => {
    fake.account.mfa = 'sms';
    const r = await post('/cloud/login', { ...credentials(), mfaMethod: 'totp' });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.body.code, 'cloud-mfa-unsupported');
    assert.match(r.body.message ?? '', /offers sms/);
  });

  test('DELETE /cloud/login forgets the session; no secret was ever logged', async () => {
    assert.equal((await api.request('DELETE', '/cloud/login')).status, 204);
    assert.equal(await loggedIn(), false);
    assertNoSecret(api.logs.join('\n'), 'the API log');
  });
});
