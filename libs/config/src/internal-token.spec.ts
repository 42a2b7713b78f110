import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { deriveInternalToken, isInternalToken } from './internal-token';

describe('internal token', () => {
  test('is hex HMAC-SHA256(SECRET_KEY, "wyze-nvr internal v1"), different per key', () => {
    const key = new Uint8Array(32).fill(7);
    const t = deriveInternalToken(key);
    assert.equal(t, createHmac('sha256', Buffer.from(key)).update('wyze-nvr internal v1').digest('hex'));
    assert.match(t, /^[0-9a-f]{64}$/);
    assert.notEqual(deriveInternalToken(new Uint8Array(32).fill(8)), t);
  });

  test('only the exact token passes: missing, repeated headers, other lengths and other values do not', () => {
    const t = deriveInternalToken(new Uint8Array(32));
    assert.equal(isInternalToken(t, t), true);
    for (const bad of [undefined, [t, t], '', t.slice(1), `${t.slice(0, -1)}0` === t ? `${t.slice(0, -1)}1` : `${t.slice(0, -1)}0`]) assert.equal(isInternalToken(bad, t), false);
  });
});
