// The web app's sign-in over real HTTP and PostgreSQL: the API token exchanged once for a session cookie
// (HttpOnly, SameSite=Strict, Secure behind HTTPS), which then authenticates routes and the live WebSocket;
// CSRF and Origin refusals; sliding expiry; sign-out revoking the session on the server. The API's clock
// is the test's, so expiry is exact and nothing waits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { isRefusal, openLive } from './support/api-live-client';
import { startTestApi, type TestApi } from './support/api';

const DAY_MS = 86_400_000;
let api: TestApi;
let nowMs = Date.UTC(2031, 0, 15, 12);

before(async () => {
  api = await startTestApi({ now: () => nowMs });
});
after(async () => {
  await api?.close();
});

interface Signed {
  cookie: string;
  id: string;
  csrfToken: string;
  setCookie: string;
}

/** A browser's request: no Authorization header, the cookie if given, and the browser's own headers. */
function browser(method: string, path: string, o: { cookie?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  return api.request(method, path, { token: null, body: o.body, headers: { ...(o.cookie ? { cookie: o.cookie } : {}), ...o.headers } });
}

async function signIn(headers: Record<string, string> = {}): Promise<Signed> {
  const res = await browser('POST', '/auth/session', { body: { token: api.token }, headers });
  assert.equal(res.status, 201, await res.clone().text());
  const setCookie = res.headers.get('set-cookie') ?? '';
  const m = /^wyze_nvr_session=([A-Za-z0-9_-]{43});/.exec(setCookie);
  assert.ok(m, setCookie);
  const body = (await res.json()) as { method: string; csrfToken: string; expiresAt: string };
  assert.equal(body.method, 'cookie');
  return { cookie: `wyze_nvr_session=${m[1]}`, id: m[1], csrfToken: body.csrfToken, setCookie };
}

const camera = (n: number) => ({ name: `porch ${n}`, uid: `UID${String(n).padStart(17, '0')}`, enr: 'a-secret-camera-key', mac: `2CAA8E00${String(n).padStart(4, '0')}`, model: 'WYZE_CAKP2JFUS' });

describe('sign-in', () => {
  test('a wrong token is refused with invalid-token and no cookie; the right one gives a session cookie', async () => {
    const wrong = await browser('POST', '/auth/session', { body: { token: 'not-the-token-000000' } });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { code: string }).code, 'invalid-token');
    assert.equal(wrong.headers.get('set-cookie'), null);

    const s = await signIn();
    const attrs = s.setCookie.split(';').map((a) => a.trim());
    assert.ok(attrs.includes('HttpOnly') && attrs.includes('SameSite=Strict') && attrs.includes('Path=/'), s.setCookie);
    assert.ok(attrs.includes(`Max-Age=${7 * 86_400}`), s.setCookie);
    assert.ok(!attrs.includes('Secure'), 'plain HTTP (a LAN address) must work, so no Secure there');
    const https = await signIn({ 'x-forwarded-proto': 'https' });
    assert.ok(https.setCookie.split(';').map((a) => a.trim()).includes('Secure'), 'Secure behind an HTTPS proxy');
  });

  test('the cookie authenticates routes without the token; GET /auth/session returns the CSRF token', async () => {
    const s = await signIn();
    assert.equal((await browser('GET', '/cameras')).status, 401, 'nothing without the cookie');
    assert.equal((await browser('GET', '/cameras', { cookie: s.cookie })).status, 200);
    const me = await browser('GET', '/auth/session', { cookie: s.cookie });
    assert.equal(me.status, 200);
    const body = (await me.json()) as { method: string; csrfToken: string; expiresAt: string };
    assert.deepEqual(body, { method: 'cookie', csrfToken: s.csrfToken, expiresAt: new Date(nowMs + 7 * DAY_MS).toISOString().replace(/\.\d+Z$/, '.000000Z') });
    const bearer = await api.json<{ method: string }>('GET', '/auth/session');
    assert.deepEqual(bearer.body, { method: 'bearer', csrfToken: null, expiresAt: null });
  });

  test('only a hash of the session id is stored', async () => {
    const s = await signIn();
    const rows: { id_hash: string }[] = await api.ds.query(`SELECT id_hash FROM sessions`);
    assert.ok(rows.some((r) => r.id_hash === createHash('sha256').update(s.id).digest('hex')));
    assert.ok(!rows.some((r) => r.id_hash.includes(s.id)));
  });
});

describe('CSRF', () => {
  test('a write on the cookie without the X-CSRF-Token header, or with a wrong one, is refused and changes nothing', async () => {
    const s = await signIn();
    const none = await browser('POST', '/cameras', { cookie: s.cookie, body: camera(1) });
    assert.equal(none.status, 403);
    assert.equal(((await none.json()) as { code: string }).code, 'csrf-refused');
    const wrong = await browser('POST', '/cameras', { cookie: s.cookie, body: camera(1), headers: { 'x-csrf-token': 'x'.repeat(43) } });
    assert.equal(wrong.status, 403);
    const list = await browser('GET', '/cameras', { cookie: s.cookie });
    assert.deepEqual(((await list.json()) as { items: unknown[] }).items, [], 'no camera was created');

    const ok = await browser('POST', '/cameras', { cookie: s.cookie, body: camera(1), headers: { 'x-csrf-token': s.csrfToken } });
    assert.equal(ok.status, 201);
  });

  test('a write from a page of another origin is refused even with the token', async () => {
    const s = await signIn();
    const res = await browser('POST', '/cameras', { cookie: s.cookie, body: camera(2), headers: { 'x-csrf-token': s.csrfToken, origin: 'http://evil.example' } });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { code: string }).code, 'origin-refused');
    const signInFromElsewhere = await browser('POST', '/auth/session', { body: { token: api.token }, headers: { origin: 'http://evil.example' } });
    assert.equal(signInFromElsewhere.status, 403);
  });

  test('the bearer token needs no CSRF header (scripts)', async () => {
    const res = await api.json<{ id: number }>('POST', '/cameras', camera(3));
    assert.equal(res.status, 201);
  });

  test('a live WebSocket on the cookie must come from this origin', async () => {
    const s = await signIn();
    const ws = `${api.url.replace('http', 'ws')}/cameras/999999/live`;
    const host = new URL(api.url).host;
    for (const headers of [{ cookie: s.cookie }, { cookie: s.cookie, origin: 'http://evil.example' }] as Record<string, string>[]) {
      const r = await openLive(ws, { protocols: ['wyze-nvr.live.v1'], headers });
      assert.ok(isRefusal(r));
      assert.deepEqual([r.status, r.body.code], [403, 'origin-refused'], JSON.stringify(headers));
    }
    // From our origin the cookie passes: what is left is that camera 999999 does not exist.
    const ours = await openLive(ws, { protocols: ['wyze-nvr.live.v1'], headers: { cookie: s.cookie, origin: `http://${host}` } });
    assert.ok(isRefusal(ours));
    assert.deepEqual([ours.status, ours.body.code], [404, 'camera-not-found']);
  });
});

describe('expiry and sign-out', () => {
  test('a session unused for API_SESSION_IDLE_SECONDS has ended: 401 session-expired', async () => {
    const s = await signIn();
    nowMs += 7 * DAY_MS;
    const res = await browser('GET', '/cameras', { cookie: s.cookie });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { code: string }).code, 'session-expired');
  });

  test('a session in use slides: its cookie comes again with the new lifetime, and it outlives the first week', async () => {
    const s = await signIn();
    nowMs += 6 * DAY_MS;
    const used = await browser('GET', '/cameras', { cookie: s.cookie });
    assert.equal(used.status, 200);
    assert.match(used.headers.get('set-cookie') ?? '', new RegExp(`^${s.cookie}; Path=/; Max-Age=${7 * 86_400}; HttpOnly; SameSite=Strict$`));
    const again = await browser('GET', '/cameras', { cookie: s.cookie });
    assert.equal(again.headers.get('set-cookie'), null, 'renewed at most once a minute');
    nowMs += 6 * DAY_MS;
    assert.equal((await browser('GET', '/cameras', { cookie: s.cookie })).status, 200, '12 days after sign-in, used every 6');
  });

  test('sign-out needs the CSRF token, revokes the session on the server and clears the cookie', async () => {
    const s = await signIn();
    assert.equal((await browser('DELETE', '/auth/session', { cookie: s.cookie })).status, 403, 'a cross-site sign-out is refused too');
    const out = await browser('DELETE', '/auth/session', { cookie: s.cookie, headers: { 'x-csrf-token': s.csrfToken } });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /^wyze_nvr_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
    // The old cookie, replayed (another tab, a copy), no longer works.
    const replay = await browser('GET', '/cameras', { cookie: s.cookie });
    assert.equal(replay.status, 401);
    assert.equal(((await replay.json()) as { code: string }).code, 'session-expired');
  });
});
