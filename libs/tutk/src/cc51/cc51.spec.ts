import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TutkParseError } from '../wire/parse-error';
import { FUZZ_INPUTS, fuzzParser } from '../wire/fuzz';
import { deriveTransportKeys } from '../credentials/credentials';
import { Cc51Signer, readCc51Header } from './header';
import { Cc51Direction, buildCc51Discovery, parseCc51Discovery } from './discovery';
import { buildCc51Keepalive, parseCc51Keepalive } from './keepalive';
import { buildCc51Dtls, parseCc51Dtls } from './dtls-wrapper';
import { parseCc51Packet } from './packet';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const keys = deriveTransportKeys({ uid: 'UEDT9GKXHT01HRICYSV8', enr: '4J4tcWsFKsKZB38O', mac: '35E02A2F08E1' });
const signer = new Cc51Signer(keys);
const otherSigner = new Cc51Signer(deriveTransportKeys({ uid: 'UEDT9GKXHT01HRICYSV8', enr: 'another-enr', mac: '35E02A2F08E1' }));
const sid = hex('0f9482b5fe6b9833');
const dtls = hex('16fefd00000000000000000012724cd420d4f01bb217a99ef3cd5f07dbdb47');

function assertParseError(fn: () => unknown, reason: string): void {
  assert.throws(fn, (e: unknown) => e instanceof TutkParseError && e.layer === 'cc51' && e.reason === reason);
}

describe('CC51 HMAC key (FACTS §5.1)', () => {
  test('UID ‖ AuthKey, 28 bytes', () => {
    assert.equal(toHex(signer.keyBytes), '5545445439474b584854303148524943595356386b463964574d7362');
  });
});

describe('CC51 discovery 0x1002 (FACTS §5.2)', () => {
  const seq0 = '51cc00000210280000000000000000000f9482b5fe6b9833000803041d000000c9c27c2a5f0c7cbf0c7a37cc80c28e3b333f08d7';

  test('client seq 0: exact bytes, and parsed back with a valid HMAC', () => {
    const p = buildCc51Discovery({ direction: Cc51Direction.FromClient, seq: 0, ticket: 0, sid }, signer);
    assert.equal(toHex(p), seq0);
    const d = parseCc51Discovery(p, signer);
    assert.deepEqual([d.direction, d.seq, d.ticket, toHex(d.sid), toHex(d.info)], [0, 0, 0, toHex(sid), '000803041d000000']);
    assert.equal(d.header.length, 40);
  });

  test('client seq 2 carries the ticket', () => {
    const p = buildCc51Discovery({ direction: Cc51Direction.FromClient, seq: 2, ticket: 35772, sid }, signer);
    assert.equal(toHex(p), '51cc000002102800000000000200bc8b0f9482b5fe6b9833000803041d0000002f46344e97f381608b5e1236424b7d01e582c495');
  });

  test('camera seq 3 (direction 0xFFFF)', () => {
    const p = buildCc51Discovery({ direction: Cc51Direction.FromDevice, seq: 3, ticket: 35772, sid }, signer);
    assert.equal(toHex(p), '51cc000002102800ffff00000300bc8b0f9482b5fe6b9833000803041d000000a6ad83d7df13b76425eb60d5c01d61ac8aa68551');
    const d = parseCc51Discovery(p, signer);
    assert.equal(d.direction, 0xffff);
    assert.equal(d.seq, 3);
    assert.equal(d.ticket, 35772);
  });

  test('go2rtc capture (CAPTURES packet 2) verifies with the capture identity', () => {
    const captureKeys = deriveTransportKeys({ uid: 'TESTUID1234567890ABC', enr: 'testENRkey0123456789abcdefABCDEF', mac: 'aabbccddeeff' });
    const capture = hex('51cc0000021028000000000000000000a6040cf271f7ea18000803041d0000005ea18db8682f9c656cfa587ef21f7bb813333f4f');
    const d = parseCc51Discovery(capture, new Cc51Signer(captureKeys));
    assert.equal(toHex(d.sid), 'a6040cf271f7ea18');
    assertParseError(() => parseCc51Discovery(capture, signer), 'bad-hmac');
  });

  test('any flipped bit in the signed bytes or the HMAC is bad-hmac', () => {
    const good = hex(seq0);
    for (const at of [0x0c, 0x10, 0x1c, 0x20, 0x33]) {
      const p = Uint8Array.from(good);
      p[at] ^= 1;
      assertParseError(() => parseCc51Discovery(p, signer), 'bad-hmac');
    }
    assertParseError(() => parseCc51Discovery(good, otherSigner), 'bad-hmac');
    assert.equal(parseCc51Discovery(good).seq, 0, 'no signer, no check');
  });

  test('short, wrong magic and wrong command are typed errors', () => {
    const good = hex(seq0);
    assertParseError(() => parseCc51Discovery(good.subarray(0, 51), signer), 'short');
    assertParseError(() => parseCc51Discovery(good.subarray(0, 4), signer), 'short');
    assertParseError(() => parseCc51Discovery(Uint8Array.of(0x52, ...good.subarray(1)), signer), 'bad-magic');
    assertParseError(() => parseCc51Discovery(buildCc51Keepalive({ counter: 1, sid }, signer), signer), 'unexpected-command');
  });
});

describe('CC51 keepalive 0x1202 (FACTS §5.3)', () => {
  test('client keepalive: exact 48 bytes, parsed back', () => {
    const p = buildCc51Keepalive({ counter: 94, sid }, signer);
    assert.equal(toHex(p), '51cc00000212240000000000000000005e0000000f9482b5fe6b9833a1c7fc2a82fdd2df183fd5f61f8c724aa2d244ac');
    const k = parseCc51Keepalive(p, signer);
    assert.equal(k.counter, 94);
    assert.equal(toHex(k.sid), toHex(sid));
    p[16] = 95;
    assertParseError(() => parseCc51Keepalive(p, signer), 'bad-hmac');
    assertParseError(() => parseCc51Keepalive(p.subarray(0, 47), signer), 'short');
  });
});

describe('CC51 DTLS wrapper 0x1502 (FACTS §5.4)', () => {
  test('channel 0: exact bytes; the HMAC covers the 28-byte header only', () => {
    const p = buildCc51Dtls({ channel: 0, ticket: 35772, sid, dtls }, signer);
    assert.equal(
      toHex(p),
      '51cc000002154300000000001000bc8b0f9482b5fe6b98330100000016fefd00000000000000000012724cd420d4f01bb217a99ef3cd5f07dbdb4768bdc5f0d1f1c3ecc687e0c1beb8fa86f549c93f',
    );
    p[30] ^= 0xff;
    assert.equal(parseCc51Dtls(p, signer).dtls[2], dtls[2] ^ 0xff, 'a change in the DTLS bytes does not affect the HMAC');
  });

  test('channel 1 goes in byte 13 and parses back', () => {
    const p = buildCc51Dtls({ channel: 1, ticket: 35772, sid, dtls }, signer);
    assert.equal(
      toHex(p),
      '51cc000002154300000000001001bc8b0f9482b5fe6b98330100000016fefd00000000000000000012724cd420d4f01bb217a99ef3cd5f07dbdb4704a4fa3adc24f846b34216891c39e58b334d8d6c',
    );
    const w = parseCc51Dtls(p, signer);
    assert.deepEqual([w.marker, w.channel, w.ticket, w.constant, toHex(w.sid), toHex(w.dtls)], [0x10, 1, 35772, 1, toHex(sid), toHex(dtls)]);
    assert.equal(w.header.length, 16 + dtls.length + 20);
  });

  test('a wrong HMAC is bad-hmac; a 48-byte wrapper carries zero DTLS bytes', () => {
    const p = buildCc51Dtls({ channel: 0, ticket: 1, sid, dtls }, signer);
    p[14] ^= 1;
    assertParseError(() => parseCc51Dtls(p, signer), 'bad-hmac');
    assertParseError(() => parseCc51Dtls(buildCc51Dtls({ channel: 0, ticket: 1, sid, dtls }, otherSigner), signer), 'bad-hmac');
    const empty = buildCc51Dtls({ channel: 0, ticket: 1, sid, dtls: new Uint8Array(0) }, signer);
    assert.equal(empty.length, 48);
    assert.equal(parseCc51Dtls(empty, signer).dtls.length, 0);
    assertParseError(() => parseCc51Dtls(empty.subarray(0, 47), signer), 'short');
  });

  test('a header verified before (its HMAC remembered) still fails with a wrong HMAC, and a changed header is checked afresh', () => {
    const v = new Cc51Signer(keys);
    const p = buildCc51Dtls({ channel: 0, ticket: 7, sid, dtls }, signer);
    parseCc51Dtls(p, v);
    parseCc51Dtls(Uint8Array.from(p), v);
    const badMac = Uint8Array.from(p);
    badMac[badMac.length - 1] ^= 1;
    assertParseError(() => parseCc51Dtls(badMac, v), 'bad-hmac');
    const otherHeader = Uint8Array.from(p);
    otherHeader[14] ^= 1; // the ticket, under the old HMAC
    assertParseError(() => parseCc51Dtls(otherHeader, v), 'bad-hmac');
    parseCc51Dtls(buildCc51Dtls({ channel: 0, ticket: 8, sid, dtls }, signer), v);
    assertParseError(() => parseCc51Dtls(p.subarray(0, p.length - 1), v), 'bad-hmac');
  });
});

describe('CC51 dispatch', () => {
  test('by command; unknown commands are typed errors', () => {
    assert.equal(parseCc51Packet(buildCc51Keepalive({ counter: 2, sid }, signer), signer).type, 'keepalive');
    assert.equal(parseCc51Packet(buildCc51Dtls({ channel: 0, ticket: 1, sid, dtls }, signer), signer).type, 'dtls');
    assert.equal(parseCc51Packet(buildCc51Discovery({ direction: 0, seq: 0, ticket: 0, sid }, signer), signer).type, 'discovery');
    const p = buildCc51Keepalive({ counter: 2, sid }, signer);
    p[5] = 0x77;
    assertParseError(() => parseCc51Packet(p, signer), 'unknown-command');
    assert.equal(readCc51Header(p).cmd, 0x7702);
  });
});

describe(`CC51 parsers under fuzzing (${FUZZ_INPUTS} inputs each)`, () => {
  const samples = [
    buildCc51Discovery({ direction: 0, seq: 0, ticket: 0, sid }, signer),
    buildCc51Discovery({ direction: 0xffff, seq: 3, ticket: 9, sid }, signer),
    buildCc51Keepalive({ counter: 7, sid }, signer),
    buildCc51Dtls({ channel: 1, ticket: 9, sid, dtls }, signer),
    buildCc51Dtls({ channel: 0, ticket: 9, sid, dtls: new Uint8Array(1100).fill(0x17) }, signer),
  ];
  const parsers: [string, (b: Uint8Array) => unknown][] = [
    ['parseCc51Packet (verified)', (b) => parseCc51Packet(b, signer)],
    ['parseCc51Packet (unverified)', (b) => parseCc51Packet(b)],
    ['parseCc51Discovery', (b) => parseCc51Discovery(b, signer)],
    ['parseCc51Keepalive', (b) => parseCc51Keepalive(b, signer)],
    ['parseCc51Dtls', (b) => parseCc51Dtls(b, signer)],
    ['readCc51Header', readCc51Header],
  ];
  parsers.forEach(([name, parse], i) => {
    test(name, () => {
      const rejected = fuzzParser(parse, samples, FUZZ_INPUTS, 2000 + i);
      assert.ok(rejected > 0 && rejected < FUZZ_INPUTS, `${name} rejected ${rejected}`);
    });
  });
});
