import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { authKey, authKeyDigestPrefix } from './auth-key';
import { deriveTransportKeys, uidFromField, uidToField } from './credentials';
import { deriveCameraKeys } from './camera-keys';
import { kauthKeys } from '../av/kauth';
import { wyzePskFromEnr } from '../dtls/psk';
import { randomSessionId, sessionIdFromUnixNanos } from './session-id';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('AuthKey (SEED §15.3)', () => {
  test('base64 of the first 6 bytes of SHA-256(ENR ‖ MAC)', () => {
    assert.equal(toHex(authKeyDigestPrefix('4J4tcWsFKsKZB38O', '35E02A2F08E1')), '905f5d58cb1b');
    assert.equal(authKey('4J4tcWsFKsKZB38O', '35E02A2F08E1'), 'kF9dWMsb');
  });

  test("'+' becomes 'Z'", () => {
    assert.equal(toHex(authKeyDigestPrefix('q6agdPK6k4MtBd0a', '35E02A2F08E1')), '90a6c09582be');
    assert.equal(authKey('q6agdPK6k4MtBd0a', '35E02A2F08E1'), 'kKbAlYKZ');
  });

  test("the MAC is upper-cased and '/' becomes '9'", () => {
    assert.equal(authKey('00qZdmBYJuqLdITV', '35e02a2f08e1'), 'SEC9daHN');
    assert.equal(authKey('00qZdmBYJuqLdITV', '35E02A2F08E1'), 'SEC9daHN');
  });

  test('matches the go2rtc capture identity (CAPTURES)', () => {
    assert.equal(authKey('testENRkey0123456789abcdefABCDEF', 'aabbccddeeff'), 'oy05GpBk');
  });
});

describe('transport keys', () => {
  test('UID field is 20 zero-padded ASCII bytes and reads back', () => {
    const keys = deriveTransportKeys({ uid: 'SHORTUID', enr: 'x', mac: 'y' });
    assert.equal(keys.uidField.length, 20);
    assert.equal(toHex(keys.uidField), Buffer.from('SHORTUID').toString('hex') + '00'.repeat(12));
    assert.equal(uidFromField(keys.uidField), 'SHORTUID');
    assert.equal(uidFromField(uidToField('TESTUID1234567890ABC')), 'TESTUID1234567890ABC');
    assert.equal(Buffer.from(keys.authKeyBytes).toString('latin1'), keys.authKey);
  });

  test('a UID longer than 20 characters or not ASCII is refused', () => {
    assert.throws(() => uidToField('X'.repeat(21)), RangeError);
    assert.throws(() => uidToField('UIDé'), RangeError);
  });
});

describe('camera keys', () => {
  test('one derivation gives the PSK, AuthKey, AV login password and K-auth keys of the separate recipes', () => {
    const enr = 'testENRkey0123456789abcdefABCDEF';
    const keys = deriveCameraKeys(enr, 'TESTUID1234567890ABC', 'aabbccddeeff');
    assert.equal(toHex(keys.psk), toHex(wyzePskFromEnr(enr).psk));
    assert.equal(keys.authKey, 'oy05GpBk');
    assert.equal(uidFromField(keys.uidField), 'TESTUID1234567890ABC');
    assert.equal(keys.avLoginPassword, enr);
    for (const status of [1, 3, 6]) assert.deepEqual(keys.kauthKeys.get(status)?.map(toHex), kauthKeys(enr, status).map(toHex));
    // Statuses 2, 4 and 5 are the camera declining (FACTS §9.2): no key to answer with.
    for (const status of [2, 4, 5]) assert.equal(keys.kauthKeys.get(status), undefined);
  });
});

describe('session id', () => {
  test("go2rtc's recipe: Unix nanoseconds as LE u64 (CAPTURES sid)", () => {
    assert.equal(toHex(sessionIdFromUnixNanos(1795519470224802982n)), 'a6040cf271f7ea18');
  });

  test('random ids are 8 bytes and differ', () => {
    const a = randomSessionId();
    const b = randomSessionId();
    assert.equal(a.length, 8);
    assert.notEqual(toHex(a), toHex(b));
  });
});
