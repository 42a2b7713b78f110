import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { ApiDeps } from '../api.deps';
import { ApiAuthService } from './api-auth.service';

const TOKEN = 'right-token_0123456789';
const auth = new ApiAuthService({ config: { apiToken: TOKEN } } as unknown as ApiDeps);
const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('ApiAuthService', () => {
  it('accepts the token as Authorization: Bearer on any request', () => {
    assert.deepEqual(auth.authenticate(req({ authorization: `Bearer ${TOKEN}` })), { ok: true });
    assert.deepEqual(auth.authenticate(req({ authorization: `bearer ${TOKEN}` }), { webSocket: true }), { ok: true });
  });

  it('accepts the bearer.<token> subprotocol on a WebSocket upgrade only', () => {
    const offered = { 'sec-websocket-protocol': `wyze-nvr.live.v1, bearer.${TOKEN}` };
    assert.deepEqual(auth.authenticate(req(offered), { webSocket: true }), { ok: true });
    const plain = auth.authenticate(req(offered));
    assert.equal(plain.ok, false, 'a plain request is not authenticated by a WebSocket header');
  });

  it('refuses no token, a wrong one, a malformed header, and a wrong one next to a right one', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /missing bearer token/],
      [{ 'sec-websocket-protocol': 'wyze-nvr.live.v1' }, /missing bearer token.*bearer\.<API_TOKEN>/],
      [{ 'sec-websocket-protocol': 'wyze-nvr.live.v1, bearer.wrong' }, /invalid bearer token/],
      [{ authorization: `Basic ${TOKEN}` }, /malformed Authorization/],
      [{ authorization: 'Bearer wrong', 'sec-websocket-protocol': `bearer.${TOKEN}` }, /invalid bearer token/],
      [{ authorization: `Bearer ${TOKEN}`, 'sec-websocket-protocol': 'bearer.wrong' }, /invalid bearer token/],
    ];
    for (const [headers, message] of cases) {
      const r = auth.authenticate(req(headers), { webSocket: true });
      assert.equal(r.ok, false, JSON.stringify(headers));
      assert.match(r.ok ? '' : r.message, message);
      assert.ok(!(r.ok ? '' : r.message).includes(TOKEN), 'the message never repeats a token');
    }
  });
});
