import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loginFailure, type LoginReply } from './wyze-cloud.client';
import { mfaMethodsOffered } from './mfa';

const reply = (r: Partial<LoginReply>) => r as LoginReply;

describe('loginFailure (FACTS §12.1)', () => {
  test('code "1" or "0" is success even with a nonzero errorCode', () => {
    assert.equal(loginFailure(reply({ code: '1', errorCode: 5 })), undefined);
    assert.equal(loginFailure(reply({ code: '0', errorCode: 5 })), undefined);
  });
  test('a plain token reply without code is success', () => {
    assert.equal(loginFailure(reply({ access_token: 'x' })), undefined);
    assert.equal(loginFailure(reply({ errorCode: 0 })), undefined);
  });
  test('another code is an error with msg, else description', () => {
    assert.deepEqual(loginFailure(reply({ code: '1000', msg: 'UserNameOrPasswordError' })), { code: '1000', message: 'UserNameOrPasswordError' });
    assert.deepEqual(loginFailure(reply({ code: '1000', msg: '', description: 'Invalid credentials' })), { code: '1000', message: 'Invalid credentials' });
  });
  test('a nonzero errorCode alone is an error', () => {
    assert.deepEqual(loginFailure(reply({ errorCode: 1000, description: 'bad' })), { code: '1000', message: 'bad' });
  });
});

describe('mfaMethodsOffered', () => {
  test('maps the API names and orders by preference; unknown names are dropped', () => {
    assert.deepEqual(mfaMethodsOffered(['Email', 'PrimaryPhone', 'TotpVerificationCode', 'Carrier pigeon']), ['totp', 'sms', 'email']);
    assert.deepEqual(mfaMethodsOffered(['PrimaryPhone']), ['sms']);
  });
});
