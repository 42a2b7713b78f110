import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_SECRET_LENGTH, SecretRegistry } from './secret-registry';

describe('SecretRegistry', () => {
  test('replaces every occurrence, longest secret first', () => {
    const r = new SecretRegistry();
    r.register('abcdefgh');
    r.register('abcdefgh-longer');
    assert.equal(r.redact('x abcdefgh-longer y abcdefgh z'), 'x [redacted] y [redacted] z');
  });

  test('regex metacharacters in a secret are literal', () => {
    const r = new SecretRegistry();
    r.register('a.b*c+d?(e)');
    assert.equal(r.redact('a.b*c+d?(e) aXbbcdd(e)'), '[redacted] aXbbcdd(e)');
  });

  test('refuses short values, which would shred unrelated text', () => {
    const r = new SecretRegistry();
    assert.equal(r.register('x'.repeat(MIN_SECRET_LENGTH - 1)), false);
    assert.equal(r.size, 0);
    assert.equal(r.redact('xxxxxxx'), 'xxxxxxx');
  });

  test('unregister stops redaction', () => {
    const r = new SecretRegistry();
    r.register('token-123456');
    assert.equal(r.redact('token-123456'), '[redacted]');
    r.unregister('token-123456');
    assert.equal(r.redact('token-123456'), 'token-123456');
  });
});
