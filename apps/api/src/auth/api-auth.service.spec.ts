import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { ApiDeps } from '../api.deps';
import { ApiAuthService, type AuthResult } from './api-auth.service';
import type { SessionCheck, SessionService } from './session.service';

const TOKEN = 'right-token_0123456789';
const SESSION = 'S'.repeat(43);
const CSRF = 'csrf-of-the-session';
/** A session store that knows one live session (SESSION) and one that ended (E…). */
const sessions = {
  check: async (id: string): Promise<SessionCheck> => (id === SESSION ? { ok: true, csrfToken: CSRF, expiresUs: 1, renewed: false } : { ok: false }),
} as unknown as SessionService;
const auth = new ApiAuthService({ config: { apiToken: TOKEN } } as unknown as ApiDeps, sessions);
const req = (headers: Record<string, string>, method = 'GET') => ({ headers: { host: 'nvr.local:8080', ...headers }, method }) as unknown as IncomingMessage;
const cookie = (id = SESSION) => ({ cookie: `theme=dark; wyze_nvr_session=${id}` });
const failure = (r: AuthResult) => (r.ok ? undefined : r.code);

describe('ApiAuthService: the API token', () => {
  it('accepts the token as Authorization: Bearer on any request', async () => {
    assert.deepEqual(await auth.authenticate(req({ authorization: `Bearer ${TOKEN}` })), { ok: true, via: 'bearer' });
    assert.deepEqual(await auth.authenticate(req({ authorization: `bearer ${TOKEN}` }), { webSocket: true }), { ok: true, via: 'bearer' });
  });

  it('accepts the bearer.<token> subprotocol on a WebSocket upgrade only', async () => {
    const offered = { 'sec-websocket-protocol': `wyze-nvr.live.v1, bearer.${TOKEN}` };
    assert.deepEqual(await auth.authenticate(req(offered), { webSocket: true }), { ok: true, via: 'bearer' });
    const plain = await auth.authenticate(req(offered));
    assert.equal(plain.ok, false, 'a plain request is not authenticated by a WebSocket header');
  });

  it('refuses no token, a wrong one, a malformed header, and a wrong one next to a right one', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /missing bearer token/],
      [{ 'sec-websocket-protocol': 'wyze-nvr.live.v1' }, /missing bearer token.*bearer\.<API_TOKEN>/],
      [{ 'sec-websocket-protocol': 'wyze-nvr.live.v1, bearer.wrong' }, /invalid bearer token/],
      [{ authorization: `Basic ${TOKEN}` }, /malformed Authorization/],
      [{ authorization: 'Bearer wrong', 'sec-websocket-protocol': `bearer.${TOKEN}` }, /invalid bearer token/],
      [{ authorization: `Bearer ${TOKEN}`, 'sec-websocket-protocol': 'bearer.wrong' }, /invalid bearer token/],
    ];
    for (const [headers, message] of cases) {
      const r = await auth.authenticate(req(headers), { webSocket: true });
      assert.equal(failure(r), 'unauthorized', JSON.stringify(headers));
      assert.match(r.ok ? '' : r.message, message);
      assert.ok(!(r.ok ? '' : r.message).includes(TOKEN), 'the message never repeats a token');
    }
  });

  it('a presented token decides alone: a wrong token next to a live session cookie is refused', async () => {
    assert.equal(failure(await auth.authenticate(req({ authorization: 'Bearer wrong', ...cookie() }))), 'unauthorized');
    assert.deepEqual(await auth.authenticate(req({ authorization: `Bearer ${TOKEN}`, ...cookie('E'.repeat(43)) }, 'POST')), { ok: true, via: 'bearer' });
  });

  it('isApiToken compares the whole token', () => {
    assert.equal(auth.isApiToken(TOKEN), true);
    assert.equal(auth.isApiToken(TOKEN.slice(0, -1)), false);
    assert.equal(auth.isApiToken(`${TOKEN}x`), false);
  });
});

describe('ApiAuthService: the session cookie', () => {
  it('authenticates a GET on a live session, without a CSRF token', async () => {
    assert.deepEqual(await auth.authenticate(req(cookie())), { ok: true, via: 'cookie', sessionId: SESSION, csrfToken: CSRF, expiresUs: 1, renewed: false });
  });

  it('an ended session is session-expired; a cookie not shaped like ours is no credential at all', async () => {
    assert.equal(failure(await auth.authenticate(req(cookie('E'.repeat(43))))), 'session-expired');
    assert.equal(failure(await auth.authenticate(req(cookie('short')))), 'unauthorized');
  });

  it('a state-changing call needs the session’s X-CSRF-Token', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      assert.equal(failure(await auth.authenticate(req(cookie(), method))), 'csrf-refused', `${method} without the header`);
      assert.equal(failure(await auth.authenticate(req({ ...cookie(), 'x-csrf-token': 'guess' }, method))), 'csrf-refused', `${method} with a wrong one`);
      assert.equal((await auth.authenticate(req({ ...cookie(), 'x-csrf-token': CSRF }, method))).ok, true, `${method} with it`);
    }
  });

  it('a state-changing call from another origin is refused even with the token; our origin passes', async () => {
    const headers = { ...cookie(), 'x-csrf-token': CSRF };
    assert.equal(failure(await auth.authenticate(req({ ...headers, origin: 'https://evil.example' }, 'POST'))), 'origin-refused');
    assert.equal(failure(await auth.authenticate(req({ ...headers, origin: 'null' }, 'POST'))), 'origin-refused');
    assert.equal((await auth.authenticate(req({ ...headers, origin: 'http://nvr.local:8080' }, 'POST'))).ok, true);
  });

  it('a WebSocket upgrade on the cookie must come from our origin', async () => {
    const ws = { webSocket: true };
    assert.equal(failure(await auth.authenticate(req(cookie()), ws)), 'origin-refused', 'no Origin');
    assert.equal(failure(await auth.authenticate(req({ ...cookie(), origin: 'http://nvr.local:8081' }), ws)), 'origin-refused', 'another port');
    assert.equal((await auth.authenticate(req({ ...cookie(), origin: 'http://NVR.local:8080' }), ws)).ok, true);
  });
});
