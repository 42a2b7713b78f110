import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TutkParseError } from '../wire/parse-error';
import { ExtensionType, HandshakeType, NamedGroup } from './constants';
import {
  encodeClientHello,
  encodeHandshake,
  encodeHandshakeFragment,
  encodeHelloVerifyRequest,
  encodeServerHello,
  encodeServerKeyExchange,
  parseClientHello,
  parseHandshakeFragments,
  parseHelloVerifyRequest,
  parseServerHello,
  parseServerKeyExchange,
  parseClientKeyExchange,
  clientHelloExtensions,
} from './handshake';
import { HandshakeReassembler } from './handshake-reassembler';

const h = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const parseError = (reason: string) => (e: unknown) => e instanceof TutkParseError && e.layer === 'dtls' && e.reason === reason;

describe('handshake header', () => {
  test('fragment header fields and a view of the body', () => {
    const msg = encodeHandshakeFragment(HandshakeType.ServerKeyExchange, 7, h('00112233445566'), 2, 3);
    assert.equal(hex(msg), '0c' + '000007' + '0007' + '000002' + '000003' + '223344');
    const [f] = parseHandshakeFragments(msg);
    assert.deepEqual({ ...f, fragment: hex(f.fragment) }, { msgType: 12, length: 7, messageSeq: 7, fragmentOffset: 2, fragment: '223344' });
  });

  test('several messages in one record', () => {
    const two = Buffer.concat([encodeHandshake(2, 1, h('aa')), encodeHandshake(14, 2, new Uint8Array(0))]);
    assert.deepEqual(parseHandshakeFragments(two).map((f) => [f.msgType, f.messageSeq, f.length]), [[2, 1, 1], [14, 2, 0]]);
  });

  test('a fragment reaching past its message length is refused', () => {
    assert.throws(() => parseHandshakeFragments(h('0c 000004 0000 000003 000002 aabb')), parseError('bad-fragment'));
  });
  test('a fragment shorter than its header says is refused', () => {
    assert.throws(() => parseHandshakeFragments(h('0c 000004 0000 000000 000004 aabb')), parseError('short'));
  });
  test('an absurd message length is refused before any allocation', () => {
    assert.throws(() => parseHandshakeFragments(h('01 ffffff 0000 000000 000000')), parseError('handshake-too-long'));
  });
});

describe('hello messages', () => {
  const random = h('0eb20ca3e618fa2c7f1363e266a82b82ed1c00d117830c5b004fee4aea752b7b');

  test('ClientHello round trip keeps every field', () => {
    const ch = { clientVersion: 0xfefd, random, sessionId: h('0102'), cookie: h('c0ffee'), cipherSuites: [0xccac, 0x00ae], compressionMethods: h('00'), extensions: clientHelloExtensions([NamedGroup.X25519]) };
    const back = parseClientHello(encodeClientHello(ch));
    assert.deepEqual({ ...back, random: hex(back.random), sessionId: hex(back.sessionId), cookie: hex(back.cookie), compressionMethods: hex(back.compressionMethods) }, {
      ...ch,
      random: hex(random),
      sessionId: '0102',
      cookie: 'c0ffee',
      compressionMethods: '00',
      extensions: back.extensions,
    });
    assert.deepEqual(back.extensions.map((e) => e.type), [ExtensionType.SignatureAlgorithms, ExtensionType.RenegotiationInfo, ExtensionType.SupportedGroups, ExtensionType.EcPointFormats]);
    assert.equal(hex(back.extensions[2].data), '0002001d');
  });

  test('ClientHello: cipher suite list of odd length, session id over 32, duplicate extension', () => {
    const base = encodeClientHello({ clientVersion: 0xfefd, random, sessionId: new Uint8Array(0), cookie: new Uint8Array(0), cipherSuites: [0xccac], compressionMethods: h('00'), extensions: [] });
    const odd = Uint8Array.from(base);
    odd[36] = 0x00; // cipher_suites length low byte (after version 2, random 32, sid 1, cookie 1) → 3
    odd[37] = 0x03;
    assert.throws(() => parseClientHello(odd), TutkParseError);
    const longSid = Uint8Array.from(base);
    longSid[34] = 33;
    assert.throws(() => parseClientHello(longSid), parseError('bad-length'));
    const dup = encodeClientHello({ clientVersion: 0xfefd, random, sessionId: new Uint8Array(0), cookie: new Uint8Array(0), cipherSuites: [0xccac], compressionMethods: h('00'), extensions: [{ type: 1, data: h('') }, { type: 1, data: h('') }] });
    assert.throws(() => parseClientHello(dup), parseError('duplicate-extension'));
  });

  test('ServerHello bytes and parse', () => {
    const body = encodeServerHello({ serverVersion: 0xfefd, random, sessionId: new Uint8Array(0), cipherSuite: 0xccac, compressionMethod: 0, extensions: [{ type: 0xff01, data: h('00') }] });
    assert.equal(hex(body), 'fefd' + hex(random) + '00' + 'ccac' + '00' + '0005' + 'ff01000100');
    const sh = parseServerHello(body);
    assert.equal(sh.cipherSuite, 0xccac);
    assert.equal(sh.extensions[0].type, 0xff01);
    assert.throws(() => parseServerHello(Buffer.concat([body, h('00')])), TutkParseError);
  });

  test('ServerHello without extensions block', () => {
    const body = encodeServerHello({ serverVersion: 0xfefd, random, sessionId: h('aa'), cipherSuite: 0x00ae, compressionMethod: 0, extensions: [] });
    assert.equal(body.length, 2 + 32 + 2 + 2 + 1);
    assert.deepEqual(parseServerHello(body).extensions, []);
  });

  test('HelloVerifyRequest', () => {
    const body = encodeHelloVerifyRequest({ serverVersion: 0xfeff, cookie: h('0102030405') });
    assert.equal(hex(body), 'feff050102030405');
    assert.equal(hex(parseHelloVerifyRequest(body).cookie), '0102030405');
    assert.throws(() => parseHelloVerifyRequest(h('feff0601020304')), parseError('short'));
  });
});

describe('key exchange messages', () => {
  test('PSK ServerKeyExchange holds only the hint (RFC 4279 §2)', () => {
    const body = encodeServerKeyExchange({ identityHint: Buffer.from('AUTHPWD_admin') });
    assert.equal(hex(body), '000d415554485057445f61646d696e');
    assert.equal(Buffer.from(parseServerKeyExchange(body, 'psk').identityHint).toString(), 'AUTHPWD_admin');
    assert.throws(() => parseServerKeyExchange(Buffer.concat([body, h('03')]), 'psk'), parseError('trailing-bytes'));
  });
  test('ECDHE_PSK ServerKeyExchange with a wrong curve type or a signature is refused', () => {
    assert.throws(() => parseServerKeyExchange(h('0000 01 001d 01 aa'), 'ecdhe_psk'), parseError('bad-curve-type'));
    assert.throws(() => parseServerKeyExchange(h('0000 03 001d 01 aa 0403 0000'), 'ecdhe_psk'), parseError('trailing-bytes'));
    assert.deepEqual(parseServerKeyExchange(h('0000 03 0017 01 aa'), 'ecdhe_psk').namedCurve, 0x17);
  });
  test('ClientKeyExchange for both key exchanges', () => {
    assert.equal(hex(parseClientKeyExchange(h('0001 41'), 'psk').identity), '41');
    assert.equal(hex(parseClientKeyExchange(h('0001 41 02 beef'), 'ecdhe_psk').publicKey!), 'beef');
    assert.throws(() => parseClientKeyExchange(h('0001 41 00'), 'ecdhe_psk'), parseError('empty-list'));
    assert.throws(() => parseClientKeyExchange(h('0005 41'), 'psk'), parseError('short'));
  });
});

describe('HandshakeReassembler', () => {
  const body = Uint8Array.from({ length: 50 }, (_, i) => i);
  const frag = (seq: number, off: number, len: number, b = body) => parseHandshakeFragments(encodeHandshakeFragment(1, seq, b, off, len))[0];

  test('out-of-order, overlapping and repeated fragments give the message once', () => {
    const r = new HandshakeReassembler();
    assert.equal(r.add(frag(0, 30, 20)), 'buffered');
    assert.equal(r.next(), undefined);
    r.add(frag(0, 0, 20));
    r.add(frag(0, 0, 20));
    assert.equal(r.next(), undefined, 'bytes 20..29 still missing');
    r.add(frag(0, 15, 20));
    const m = r.next()!;
    assert.deepEqual([m.msgType, m.messageSeq, hex(m.body)], [1, 0, hex(body)]);
    assert.equal(r.next(), undefined);
    assert.equal(r.add(frag(0, 0, 50)), 'old');
  });

  test('messages come out in message_seq order even when a later one completes first', () => {
    const r = new HandshakeReassembler();
    r.add(frag(1, 0, 50));
    assert.equal(r.next(), undefined);
    r.add(frag(0, 0, 50));
    assert.deepEqual([r.next()?.messageSeq, r.next()?.messageSeq], [0, 1]);
  });

  test('a fragment disagreeing on type or length, or too far ahead, is dropped', () => {
    const r = new HandshakeReassembler();
    r.add(frag(0, 0, 10));
    assert.equal(r.add(frag(0, 10, 5, body.subarray(0, 40))), 'dropped');
    assert.equal(r.add(frag(100, 0, 50)), 'dropped');
  });
});
