/// <reference types="node" />
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, type SessionGate } from './api-client';
import { ApiError } from './api-error';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A server scripted answer by answer, recording what the client sent. */
function server(answers: Response[]) {
  const sent: { path: string; init: RequestInit }[] = [];
  const fetchFn = async (path: string, init: RequestInit = {}) => {
    sent.push({ path, init });
    const next = answers.shift();
    if (!next) throw new Error('no answer scripted');
    return next;
  };
  return { sent, fetchFn };
}

function gate(csrf = 'csrf-1') {
  const g = { csrf, reauths: 0, refreshes: 0 };
  const port: SessionGate = {
    csrfToken: () => g.csrf,
    reauthenticate: async () => {
      g.reauths++;
      g.csrf = 'csrf-2';
    },
    refresh: async () => {
      g.refreshes++;
      g.csrf = 'csrf-3';
    },
  };
  return { g, port };
}

const header = (init: RequestInit, name: string) => (init.headers as Record<string, string>)[name];

describe('ApiClient', () => {
  it('sends the CSRF token on writes only, and JSON bodies', async () => {
    const s = server([json(200, { ok: 1 }), json(201, { id: 7 })]);
    const api = new ApiClient(gate().port, s.fetchFn);
    assert.deepEqual(await api.get('/cameras'), { ok: 1 });
    assert.deepEqual(await api.post('/cameras', { name: 'x' }), { id: 7 });
    assert.equal(header(s.sent[0].init, 'X-CSRF-Token'), undefined);
    assert.equal(header(s.sent[1].init, 'X-CSRF-Token'), 'csrf-1');
    assert.equal(s.sent[1].init.body, '{"name":"x"}');
    assert.equal(s.sent[1].init.credentials, 'same-origin');
  });

  it('a 401 waits for sign-in, then makes the same call again with the new CSRF token', async () => {
    const s = server([json(401, { code: 'session-expired', message: 'ended' }), json(200, { saved: true })]);
    const { g, port } = gate();
    const api = new ApiClient(port, s.fetchFn);
    assert.deepEqual(await api.put('/retention/policies/global', { maxAgeSeconds: 60 }), { saved: true });
    assert.equal(g.reauths, 1);
    assert.equal(s.sent.length, 2);
    assert.equal(s.sent[1].init.body, s.sent[0].init.body, 'the same body');
    assert.equal(header(s.sent[1].init, 'X-CSRF-Token'), 'csrf-2');
  });

  it('a second 401 in a row is an error, not a loop', async () => {
    const s = server([json(401, { code: 'session-expired', message: 'ended' }), json(401, { code: 'session-expired', message: 'still' })]);
    const { g, port } = gate();
    await assert.rejects(new ApiClient(port, s.fetchFn).get('/cameras'), (e: ApiError) => e.status === 401 && e.message === 'still');
    assert.equal(g.reauths, 1);
  });

  it('a refused CSRF token is fetched anew once (another tab signed in again)', async () => {
    const s = server([json(403, { code: 'csrf-refused', message: 'x' }), new Response(null, { status: 204 })]);
    const { g, port } = gate();
    assert.equal(await new ApiClient(port, s.fetchFn).delete('/exports/1'), undefined);
    assert.equal(g.refreshes, 1);
    assert.equal(header(s.sent[1].init, 'X-CSRF-Token'), 'csrf-3');
  });

  it('other errors come back as ApiError with the code and the fields; a network failure is status 0', async () => {
    const s = server([json(400, { code: 'validation-failed', message: 'mac: bad', errors: [{ field: 'mac', reason: 'must be a MAC address' }] })]);
    const err = await new ApiClient(gate().port, s.fetchFn).post('/cameras', {}).catch((e: ApiError) => e);
    assert.ok(err instanceof ApiError);
    assert.deepEqual([err.status, err.code, err.fieldReason('mac')], [400, 'validation-failed', 'must be a MAC address']);
    const down = new ApiClient(gate().port, async () => Promise.reject(new TypeError('fetch failed')));
    await assert.rejects(down.get('/cameras'), (e: ApiError) => e.status === 0 && e.code === 'network');
  });
});
