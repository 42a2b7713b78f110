import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { loginPasswordHash } from './login-password';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('loginPasswordHash', () => {
  test('is the triple MD5 of the trimmed password', () => {
    assert.equal(loginPasswordHash('  not-a-real-password  '), md5(md5(md5('not-a-real-password'))));
  });
  test('md5:<hash> is sent as the hash, prefix in any case', () => {
    const h = md5(md5(md5('example')));
    assert.equal(loginPasswordHash(`md5:${h}`), h);
    assert.equal(loginPasswordHash(` MD5:${h} `), h);
  });
});
