/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/api-error';
import { Session, type SessionState } from './session';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const INFO = { method: 'cookie', csrfToken: 'c1', expiresAt: '2031-01-22T12:00:00.000000Z' };

describe('Session', () => {
  it('at start: signed in when the cookie is live, signed out (not "expired") when not', async () => {
    const live = new Session(async () => json(200, INFO));
    await live.check();
    assert.deepEqual(live.state, { kind: 'signed-in', csrfToken: 'c1', expiresAt: INFO.expiresAt });
    const none = new Session(async () => json(401, { code: 'unauthorized', message: 'x' }));
    await none.check();
    assert.deepEqual(none.state, { kind: 'signed-out', expired: false });
  });

  it('a wrong token is an ApiError 401 and leaves the state as it was', async () => {
    const s = new Session(async () => json(401, { code: 'invalid-token', message: 'that is not the API token' }));
    await assert.rejects(s.signIn('nope'), (e: ApiError) => e.status === 401 && e.code === 'invalid-token');
    assert.equal(s.state.kind, 'checking');
  });

  it('reauthenticate: one "expired" state for any number of waiting calls, all resumed by one sign-in', async () => {
    const s = new Session(async () => json(201, INFO));
    const seen: SessionState[] = [];
    s.subscribe((st) => seen.push(st));
    let resumed = 0;
    const waits = [s.reauthenticate(), s.reauthenticate(), s.reauthenticate()].map((p) => p.then(() => resumed++));
    assert.deepEqual(seen, [{ kind: 'signed-out', expired: true }]);
    assert.equal(resumed, 0);
    await s.signIn(' token-with-spaces ');
    await Promise.all(waits);
    assert.equal(resumed, 3);
    assert.equal(s.csrfToken(), 'c1');
  });

  it('the token is sent trimmed, as JSON, once', async () => {
    const bodies: unknown[] = [];
    const s = new Session(async (_p, init) => {
      bodies.push(JSON.parse(String(init?.body)));
      return json(201, INFO);
    });
    await s.signIn('  abc  ');
    assert.deepEqual(bodies, [{ token: 'abc' }]);
  });
});
