import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../wire/fuzz';
import { KAuthStatusError, kauthChallenge, kauthKeys, kauthResponse, kauthVerify } from './kauth';
import { wyzePasswordHash } from './password-hash';

const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const x = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('K-auth challenge-response (FACTS §9.2)', () => {
  test("status 1 uses ASCII 'F' x16, not 0xFF", () => {
    assert.deepEqual(kauthKeys('4J4tcWsFKsKZB38O', 1), [new Uint8Array(16).fill(0x46)]);
    assert.equal(x(kauthResponse('4J4tcWsFKsKZB38O', 1, h('e42993aacd90e176e03b0ae7fb69fcf2'))), 'abef2dda699571d9eef003cc6959938a');
  });

  test('status 3 uses ENR[0..15]', () => {
    assert.equal(x(kauthResponse('4J4tcWsFKsKZB38O', 3, h('d32e07279d961e548083ab163c15e463'))), 'c714bc70d0d95f602f623913822567c5');
    // A short ENR is zero-padded.
    assert.equal(x(kauthKeys('abc', 3)[0]), '61626300000000000000000000000000');
  });

  test('status 6 decrypts with ENR[0..15] then ENR[16..31]', () => {
    const enr = 'vDtUwxn1KUzv2FdflPJdY17SUBdxnfap';
    assert.deepEqual(kauthKeys(enr, 6).map(x), ['7644745577786e314b557a7632466466', '6c504a6459313753554264786e666170']);
    assert.equal(x(kauthResponse(enr, 6, h('d5d173425cd342063cd8554e18235571'))), '5420d651ce62234065cfbec05c6dc056');
  });

  test('status 6 with ENRs shorter than 32 characters follows go2rtc', () => {
    assert.equal(x(kauthResponse('TmjPeDaRWML5DJLRuVxI', 6, h('d1a65e85844edb39bcd738bbfcd1fc6d'))), 'c8c89a00e086f0293e06543eb0a1e3d7');
    const f = new Uint8Array(16).fill(0x46);
    assert.deepEqual(kauthKeys('0123456789abcdef', 6)[1], f);
    assert.deepEqual(kauthKeys('short', 6), [f]);
  });

  test('statuses 2, 4, 5 and unknown ones are reported, not answered', () => {
    for (const s of [0, 2, 4, 5, 7, 255]) {
      assert.throws(() => kauthResponse('4J4tcWsFKsKZB38O', s, new Uint8Array(16)), (e) => e instanceof KAuthStatusError && e.status === s);
    }
  });

  test('camera side: the challenge it makes is answered with its secret, for every status and ENR length', () => {
    const rand = rng(9);
    const enrs = ['4J4tcWsFKsKZB38O', 'vDtUwxn1KUzv2FdflPJdY17SUBdxnfap', 'TmjPeDaRWML5DJLRuVxI', 'short'];
    for (const enr of enrs) {
      for (const status of [1, 3, 6]) {
        const secret = Uint8Array.from({ length: 16 }, () => (rand() * 256) | 0);
        const challenge = kauthChallenge(enr, status, secret);
        const response = kauthResponse(enr, status, challenge);
        assert.ok(kauthVerify(secret, response));
        // A client with the wrong ENR fails, where the keys depend on the ENR at all (not status 1, nor
        // status 6 with an ENR under 16 characters).
        const wrong = enr.replace(/^./, (c) => (c === 'Z' ? 'Y' : 'Z'));
        const dependsOnEnr = status === 3 || (status === 6 && enr.length >= 16);
        assert.equal(kauthVerify(secret, kauthResponse(wrong, status, challenge)), !dependsOnEnr);
      }
    }
  });

  test('verify rejects wrong lengths', () => {
    assert.equal(kauthVerify(new Uint8Array(16), new Uint8Array(15)), false);
  });
});

describe('Wyze password hash (SEED §14.1)', () => {
  test('triple MD5 with lower-case hex between rounds', () => {
    assert.equal(wyzePasswordHash('correct horse battery staple'), '55297855e9b085d482da82b648e96913');
    assert.equal(wyzePasswordHash('P@ssw0rd!'), '87e9dce8ab198d899c22e07a7f0a0b95');
  });
});
