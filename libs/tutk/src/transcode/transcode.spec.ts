import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../wire/fuzz';
import {
  isPartialMode,
  transcodeDecode,
  transcodeDecodeHeader,
  transcodeDecodePacket,
  transcodeDecodePacketInPlace,
  transcodeDecodeRange,
  transcodeEncode,
  transcodeEncodePacket,
  transcodeEncodePacketInPlace,
  transcodeEncodeRange,
} from './transcode';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const KEY = hex(Buffer.from('Charlie is the d', 'latin1').toString('hex'));

function randomBytes(rand: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (rand() * 256) | 0;
  return b;
}

describe('TransCode raw function (FACTS §3.1)', () => {
  test('16 zero bytes encode to the key stream reported from a real TUTK capture', () => {
    assert.equal(toHex(transcodeEncode(new Uint8Array(16))), '6e2e8d8c40d040ca2d6d280c40e4cad8');
  });

  test('known blocks and tails (vectors transcode_raw_len*)', () => {
    const cases: [string, string][] = [
      ['05b6', 'de46'],
      ['e4895eb0', '3fc2a7e1'],
      ['f2e8e54b8ab423e4', 'c4e639848046ddb1'],
      ['2e81bf8ea6ad795a89a821fff39e17', '6de9defccac41c7ae0db018b9bfb37'],
      ['54a815c5261fb39d6d2253da8062ac0d03', '480b1f4e9a174010373e6d9d2920102b40'],
    ];
    for (const [plain, cipher] of cases) {
      assert.equal(toHex(transcodeEncode(hex(plain))), cipher, plain);
      assert.equal(toHex(transcodeDecode(hex(cipher))), plain, cipher);
    }
  });

  test('tails of 1..15 bytes are XOR with the key, permuted only for 2, 4 and 8', () => {
    const rand = rng(7);
    for (let n = 1; n < 16; n++) {
      const plain = randomBytes(rand, n);
      const xored = plain.map((b, i) => b ^ KEY[i]);
      const enc = transcodeEncode(plain);
      if (n === 2 || n === 4 || n === 8) {
        assert.notEqual(toHex(enc), toHex(xored), `n=${n} should be permuted`);
        assert.deepEqual([...enc].sort(), [...xored].sort(), `n=${n} permutes, never changes bytes`);
      } else {
        assert.equal(toHex(enc), toHex(xored), `n=${n}`);
      }
    }
  });

  test('the 2-byte tail permutation swaps the two bytes after the XOR', () => {
    assert.equal(toHex(transcodeEncode(Uint8Array.of(0, 0))), toHex(Uint8Array.of(KEY[1], KEY[0])));
  });

  test('blocks are independent: changing one block changes only its own ciphertext', () => {
    const rand = rng(3);
    const plain = randomBytes(rand, 48);
    const a = transcodeEncode(plain);
    plain[20] ^= 0xff;
    const b = transcodeEncode(plain);
    assert.equal(toHex(a.subarray(0, 16)), toHex(b.subarray(0, 16)));
    assert.notEqual(toHex(a.subarray(16, 32)), toHex(b.subarray(16, 32)));
    assert.equal(toHex(a.subarray(32)), toHex(b.subarray(32)));
  });

  test('decode inverts encode for every length 0..200, and encode is not the identity', () => {
    const rand = rng(11);
    for (let n = 0; n <= 200; n++) {
      const plain = randomBytes(rand, n);
      const enc = transcodeEncode(plain);
      if (n > 0) assert.notEqual(toHex(enc), toHex(plain), `n=${n}`);
      assert.equal(toHex(transcodeDecode(enc)), toHex(plain), `n=${n}`);
    }
  });

  test('range functions work in place on a sub-range and leave the rest alone', () => {
    const rand = rng(5);
    const buf = randomBytes(rand, 60);
    const original = Uint8Array.from(buf);
    transcodeEncodeRange(buf, 10, 45);
    assert.equal(toHex(buf.subarray(0, 10)), toHex(original.subarray(0, 10)));
    assert.equal(toHex(buf.subarray(45)), toHex(original.subarray(45)));
    assert.equal(toHex(buf.subarray(10, 45)), toHex(transcodeEncode(original.subarray(10, 45))));
    transcodeDecodeRange(buf, 10, 45);
    assert.equal(toHex(buf), toHex(original));
  });
});

describe('TransCode packet rule (FACTS §3.2)', () => {
  // vector transcode_packet_partial_100: a 0x0407 with mode 0x0b
  const partialPlain = hex(
    '04021a0b54006801070421000f9400010c0000000f9482b5fe6b9833e2acf8f19c0412c81d55ab01efea1f60cbbb46f9fe7695b9227772bb7e0a3c5000a24c806ffdd6b7e0c5e2d0c9032d38453896151c216982a46aafba050019bfe29ffd1670cab750',
  );
  const partialWire =
    '6e6c9df840d9b0da2d25883d00efdcdcf1976b60735a6fd4adaf280cbbe49299808f537721bbfe5e6da6014d912dd088a98d8d6e101a48ce5a9f67756b5c7cab6ffdd6b7e0c5e2d0c9032d38453896151c216982a46aafba050019bfe29ffd1670cab750';

  test('mode byte with bit 0 set scrambles only bytes 0..63', () => {
    assert.equal(isPartialMode(partialPlain[3]), true);
    const wire = transcodeEncodePacket(partialPlain);
    assert.equal(toHex(wire), partialWire);
    assert.equal(toHex(wire.subarray(64)), toHex(partialPlain.subarray(64)));
    assert.equal(toHex(transcodeDecodePacket(wire)), toHex(partialPlain));
  });

  test('mode byte with bit 0 clear scrambles the whole packet (same as the raw function)', () => {
    const plain = hex(
      '04021a0a6184431335816ceb75b2aa3e0e44e625e83e40fa6d85daa684e649f40bc29ba6b6c626df93873c9431a5cffad7bfebe0c9b8f85cd2e8464b7748958707f04e95f2154349c3cd74e72763f84d740f9e1ae5dd2b24f542',
    );
    const wire = transcodeEncodePacket(plain);
    assert.equal(
      toHex(wire),
      'bd38e5deab7b1221ad2e882d50eefe9fd863054ae74f0e8e098d4852cfc06e37b74da5a9d52b5e67f1cb88252c4339b303bae3a40a8439b3961595e2d504055532f9a1afa6573514220ec81865715f863767ff6889b44e049c31',
    );
    assert.equal(toHex(wire), toHex(transcodeEncode(plain)));
    assert.equal(toHex(transcodeDecodePacket(wire)), toHex(plain));
  });

  test('decoding picks the rule from the decoded mode byte, not the wire byte', () => {
    const wire = hex(partialWire);
    assert.equal(isPartialMode(wire[3]), false, 'the wire byte 3 has bit 0 clear here');
    transcodeDecodePacketInPlace(wire);
    assert.equal(toHex(wire), toHex(partialPlain));
  });

  test('packets shorter than 16 bytes are all tail', () => {
    const plain = hex('04021a0b0000');
    assert.equal(toHex(transcodeEncodePacket(plain)), toHex(transcodeEncode(plain)));
  });

  test('round trip for random packets of both modes and all lengths up to 200', () => {
    const rand = rng(17);
    for (let n = 0; n <= 200; n++) {
      for (const mode of [0x0a, 0x0b]) {
        const plain = randomBytes(rand, n);
        if (n > 3) plain[3] = mode;
        const wire = Uint8Array.from(plain);
        transcodeEncodePacketInPlace(wire);
        if (n > 64 && mode === 0x0b) assert.equal(toHex(wire.subarray(64)), toHex(plain.subarray(64)));
        transcodeDecodePacketInPlace(wire);
        assert.equal(toHex(wire), toHex(plain), `n=${n} mode=${mode}`);
      }
    }
  });

  test('header-only decode leaves the datagram untouched', () => {
    const wire = hex(partialWire);
    const out = new Uint8Array(16);
    assert.equal(transcodeDecodeHeader(wire, out), true);
    assert.equal(toHex(out), toHex(partialPlain.subarray(0, 16)));
    assert.equal(toHex(wire), partialWire);
    assert.equal(transcodeDecodeHeader(wire.subarray(0, 15), out), false);
  });
});
