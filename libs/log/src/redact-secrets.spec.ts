import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSensitiveKey, redactSecrets } from './redact-secrets';

describe('redactSecrets', () => {
  test('turns an error into a plain object with sensitive own fields redacted', () => {
    const err = Object.assign(new TypeError('login refused'), { code: 'E_AUTH', enr: 'k-1', request: { token: 't-2', path: '/x' } });
    const out = redactSecrets({ err }) as { err: Record<string, unknown> };
    assert.equal(out.err.type, 'TypeError');
    assert.equal(out.err.message, 'login refused');
    assert.equal(out.err.code, 'E_AUTH');
    assert.equal(out.err.enr, '[redacted]');
    assert.deepEqual(out.err.request, { token: '[redacted]', path: '/x' });
    assert.match(String(out.err.stack), /^TypeError: login refused/);
    assert.ok(!JSON.stringify(out).includes('k-1'));
  });

  test('returns untouched objects by reference and handles cycles', () => {
    const clean = { a: 1, b: [1, 2, { c: 'd' }] };
    assert.equal(redactSecrets(clean), clean);
    const cyclic: Record<string, unknown> = { password: 'p' };
    cyclic.self = cyclic;
    const out = redactSecrets(cyclic) as Record<string, unknown>;
    assert.equal(out.password, '[redacted]');
  });

  test('leaves buffers and dates alone', () => {
    const buf = Buffer.from('abc');
    const when = new Date(0);
    const out = redactSecrets({ buf, when }) as { buf: Buffer; when: Date };
    assert.equal(out.buf, buf);
    assert.equal(out.when, when);
  });

  test('key matching', () => {
    for (const k of ['enr', 'ENR', 'password', 'api_key', 'apiKey', 'secret', 'secretKey', 'authorization', 'psk', 'token', 'accessToken', 'refresh-token']) {
      assert.ok(isSensitiveKey(k), k);
    }
    for (const k of ['tokenCount', 'uid', 'mac', 'keyframe', 'cameraId']) assert.ok(!isSensitiveKey(k), k);
  });
});
