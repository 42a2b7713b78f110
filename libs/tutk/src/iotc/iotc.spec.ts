import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TutkParseError } from '../wire/parse-error';
import { FUZZ_INPUTS, fuzzParser } from '../wire/fuzz';
import { deriveTransportKeys, uidFromField } from '../credentials/credentials';
import { transcodeEncodePacket } from '../transcode/transcode';
import { IotcCommand, IotcFlags, readIotcHeader } from './header';
import { IOTC_DISCO_SDK_VERSION, buildDiscoReply, buildDiscoRequest, parseDiscoReply, parseDiscoRequest } from './disco';
import { buildIotcSessionReply, buildIotcSessionRequest, parseIotcSessionReply, parseIotcSessionRequest } from './session';
import { buildIotcData, iotcDataChannel, iotcDataPayload, parseIotcData } from './data';
import { buildIotcKeepalivePing, buildIotcKeepaliveReply, parseIotcKeepalivePing, parseIotcKeepaliveReply } from './keepalive';
import { decodeIotcDatagram, encodeIotcDatagram, parseIotcPacket, peekIotcCommand } from './packet';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const wireOf = (plain: Uint8Array) => encodeIotcDatagram(Uint8Array.from(plain));

const keys = deriveTransportKeys({ uid: 'UEDT9GKXHT01HRICYSV8', enr: '4J4tcWsFKsKZB38O', mac: '35E02A2F08E1' });
const sid = hex('0f9482b5fe6b9833');

function assertParseError(fn: () => unknown, reason: string): void {
  assert.throws(fn, (e: unknown) => e instanceof TutkParseError && e.layer === 'iotc' && e.reason === reason);
}

describe('IOTC disco 0x0601 / 0x0602 (FACTS §4.2, §4.4)', () => {
  const stage1Plain =
    '04021a024800000001062100000000005545445439474b5848543031485249435953563800000000000000000000000000000000010102040f9482b5fe6b9833010000000000000000006b463964574d7362000000000000';

  test('stage 1 request: exact plaintext and wire (vector old_disco_stage1)', () => {
    const plain = buildDiscoRequest({ uid: keys.uidField, sid, stage: 1, authKey: keys.authKeyBytes });
    assert.equal(toHex(plain), stage1Plain);
    assert.equal(
      toHex(wireOf(plain)),
      '6e4c9d8c40d140ca2d2d882dc0e6cadc6a7dc81e7044c4fe69267d48d4b14fab6e2e8d8c40d040ca28ed5d2940dccbd84e766467f557a3f32d6f280c50e48ac8ce28bd8806a6d51f2d6d280c40e4cbd8206c72610a656930',
    );
  });

  test('stage 2 request carries no AuthKey even when given one', () => {
    const plain = buildDiscoRequest({ uid: keys.uidField, sid, stage: 2, authKey: keys.authKeyBytes });
    assert.equal(
      toHex(plain),
      '04021a024800000001062100000000005545445439474b5848543031485249435953563800000000000000000000000000000000010102040f9482b5fe6b9833020000000000000000000000000000000000000000000000',
    );
  });

  test('go2rtc capture decodes to the expected fields (CAPTURES packet 1)', () => {
    const wire = hex(
      '6e4c9d8c40d140ca2d2d882dc0e6cadc3d1daebb7552235979291d4912b1de4d6e2e8d8c40d040ca296d1b1840a6cad8a46eedfbb37e50452d6f280c50e48ac88e38bd9939a246cf2d6d280c40e4cbd8206c726103656901',
    );
    const msg = decodeIotcDatagram(wire);
    assert.equal(msg.type, 'disco-request');
    if (msg.type !== 'disco-request') return;
    assert.equal(uidFromField(msg.uid), 'TESTUID1234567890ABC');
    assert.equal(toHex(msg.sid), 'a6040cf271f7ea18');
    assert.equal(msg.stage, 1);
    assert.equal(msg.sdkVersion, IOTC_DISCO_SDK_VERSION);
    assert.equal(Buffer.from(msg.authKey).toString('latin1'), 'oy05GpBk');
    assert.equal(msg.header.flags, IotcFlags.Client);
    assert.equal(msg.header.bodyLength, 72);
  });

  test('camera reply 0x0602 mirrors the request with flags 0x0012 and no AuthKey', () => {
    const reply = buildDiscoReply({ uid: keys.uidField, sid, stage: 1 });
    assert.equal(reply.length, 88);
    const h = readIotcHeader(reply);
    assert.equal(h.cmd, IotcCommand.DiscoReply);
    assert.equal(h.flags, IotcFlags.Device);
    assert.equal(toHex(reply.subarray(74, 82)), '00'.repeat(8));
    const parsed = parseDiscoReply(reply);
    assert.equal(toHex(parsed.sid!), toHex(sid));
    assert.equal(uidFromField(parsed.uid!), keys.uid);
  });

  test('a bare 16-byte 0x0602 is still a reply (the client checks only the command)', () => {
    const reply = buildDiscoReply({ uid: keys.uidField, sid, stage: 1 }).subarray(0, 16);
    const parsed = parseDiscoReply(reply);
    assert.equal(parsed.header.cmd, IotcCommand.DiscoReply);
    assert.equal(parsed.sid, undefined);
  });

  test('malformed requests are typed errors', () => {
    const plain = hex(stage1Plain);
    assertParseError(() => parseDiscoRequest(plain.subarray(0, 87)), 'short');
    assertParseError(() => parseDiscoRequest(plain.subarray(0, 10)), 'short');
    assertParseError(() => parseDiscoRequest(Uint8Array.of(5, ...plain.subarray(1))), 'bad-magic');
    assertParseError(() => parseDiscoRequest(buildDiscoReply({ uid: keys.uidField, sid, stage: 1 })), 'unexpected-command');
  });
});

describe('IOTC session 0x0402 / 0x0404 (FACTS §4.3, §4.4)', () => {
  test('request: exact plaintext and wire (vector old_session_request)', () => {
    const plain = buildIotcSessionRequest({ uid: keys.uidField, sid, timestamp: 1728860922 });
    assert.equal(toHex(plain), '04021a022400000002043300000000005545445439474b584854303148524943595356380f9482b5fe6b983300000000fa520c67');
    const wire = wireOf(plain);
    assert.equal(toHex(wire), '4e6d9dac40d040ca2d2d882d00e6cada6a7dc81e7044c4fe69267d48d4b14fabf1978b6c72d040caa8ef5d29bbdc93996d15b93a');
    const msg = decodeIotcDatagram(wire);
    assert.equal(msg.type, 'session-request');
    if (msg.type !== 'session-request') return;
    assert.equal(msg.timestamp, 1728860922);
    assert.equal(toHex(msg.sid), toHex(sid));
    assert.equal(msg.header.flags, IotcFlags.ClientSession);
  });

  test('reply: request layout with cmd 0x0404 and flags 0x0012, parsed back', () => {
    const reply = buildIotcSessionReply({ uid: keys.uidField, sid, timestamp: 99 });
    const h = readIotcHeader(reply);
    assert.equal(h.cmd, IotcCommand.SessionReply);
    assert.equal(h.flags, IotcFlags.Device);
    assert.equal(h.mode, 0x02);
    const parsed = parseIotcSessionReply(reply);
    assert.equal(parsed.timestamp, 99);
    assert.equal(parseIotcSessionReply(reply.subarray(0, 20)).timestamp, undefined);
  });

  test('short request is a typed error', () => {
    const plain = buildIotcSessionRequest({ uid: keys.uidField, sid, timestamp: 1 });
    assertParseError(() => parseIotcSessionRequest(plain.subarray(0, 51)), 'short');
  });
});

describe('IOTC data 0x0407 / 0x0408 (FACTS §4.5)', () => {
  const payload = hex('17fefd0001000000000003002a37a9d7e6f32cac2071670e230e6c5cae5503cecc80a9178511459dec4862846dac3e9fcc2fefd90c817d');

  test('client wrapper on channel 1: exact plaintext and partial-mode wire (vector old_data_tx_ch1)', () => {
    const plain = buildIotcData({ cmd: IotcCommand.DataFromClient, seq: 149, channel: 1, sid, payload });
    assert.equal(toHex(plain), '04021a0b43009500070421000f9401010c0000000f9482b5fe6b9833' + toHex(payload));
    const wire = wireOf(plain);
    assert.equal(
      toHex(wire),
      '6e6c9df840c9b0da2d38883d70eec2dcf1978b72720e31c5adaf280cbbe49299fc547e3f961e2a082d6e280c40e4cbd8546e586c8f4880b03a615a0a74ea0c3b8511459dec4862846dac3e9fcc2fefd90c817d',
    );
    assert.equal(toHex(wire.subarray(64)), toHex(plain.subarray(64)), 'partial rule: bytes from 64 travel in the clear');
  });

  test('camera wrapper 0x0408 round-trips with its fields', () => {
    const plain = buildIotcData({ cmd: IotcCommand.DataFromDevice, seq: 0xfffe, channel: 0, sid, payload });
    const wire = wireOf(plain);
    assert.equal(peekIotcCommand(wire), IotcCommand.DataFromDevice);
    const msg = decodeIotcDatagram(wire);
    assert.equal(msg.type, 'data');
    if (msg.type !== 'data') return;
    assert.equal(msg.header.flags, IotcFlags.Device);
    assert.equal(msg.seq, 0xfffe);
    assert.equal(msg.channel, 0);
    assert.equal(msg.marker, 1);
    assert.equal(msg.constant, 0x0c);
    assert.equal(msg.sidPrefix, sid[0] | (sid[1] << 8));
    assert.equal(toHex(msg.payload), toHex(payload));
  });

  test('payload runs to the end of the datagram whatever the length field says', () => {
    const plain = buildIotcData({ cmd: IotcCommand.DataFromDevice, seq: 1, channel: 0, sid, payload });
    plain[4] = 0xff;
    plain[5] = 0xff;
    assert.equal(toHex(parseIotcData(plain).payload), toHex(payload));
  });

  test('a wrapper with no DTLS bytes, or of another command, is a typed error', () => {
    const plain = buildIotcData({ cmd: IotcCommand.DataFromDevice, seq: 1, channel: 0, sid, payload });
    assertParseError(() => parseIotcData(plain.subarray(0, 28)), 'short');
    assertParseError(() => parseIotcData(buildIotcKeepalivePing(new Uint8Array(8))), 'unexpected-command');
  });

  test('iotcDataPayload / iotcDataChannel (the per-datagram path) read what parseIotcData reads', () => {
    const plain = buildIotcData({ cmd: IotcCommand.DataFromDevice, seq: 1, channel: 1, sid, payload });
    plain[4] = 0xff;
    assert.equal(toHex(iotcDataPayload(plain)), toHex(parseIotcData(plain).payload));
    assert.equal(iotcDataChannel(plain), parseIotcData(plain).channel);
    assertParseError(() => iotcDataPayload(plain.subarray(0, 28)), 'short');
  });
});

describe('IOTC keepalive 0x0428 → 0x0427 (FACTS §4.6)', () => {
  test('camera ping decodes and the echo reply matches the vector (old_keepalive_reply)', () => {
    const wire = hex('4c6f8d0c40d040ca2d2d882dc0eecad8a0bc9431ea609f74');
    const msg = decodeIotcDatagram(wire);
    assert.equal(toHex(wire), '04021a0a080000002804120000000000378250e6d0f60580');
    assert.equal(msg.type, 'keepalive-ping');
    if (msg.type !== 'keepalive-ping') return;
    const reply = buildIotcKeepaliveReply(msg.echo);
    assert.equal(toHex(reply), '04021a0a080000002704210000000000378250e6d0f60580');
    assert.equal(toHex(wireOf(reply)), '6c6c9dec40d140ca2d2d882dc0eecad8a0bc9431ea609f74');
  });

  test('device ping builds the sample layout and both directions parse', () => {
    const echo = hex('0102030405060708');
    const ping = buildIotcKeepalivePing(echo);
    assert.equal(toHex(ping), '04021a0a0800000028041200000000000102030405060708');
    assert.equal(toHex(parseIotcKeepalivePing(ping).echo), toHex(echo));
    assert.equal(toHex(parseIotcKeepaliveReply(buildIotcKeepaliveReply(echo)).echo), toHex(echo));
    assertParseError(() => parseIotcKeepalivePing(ping.subarray(0, 23)), 'short');
  });
});

describe('IOTC datagram decoding', () => {
  test('a datagram without the IOTC magic is rejected without being modified', () => {
    const junk = hex('51cc00000210280000000000000000000f9482b5fe6b9833');
    const before = toHex(junk);
    assertParseError(() => decodeIotcDatagram(junk), 'bad-magic');
    assert.equal(toHex(junk), before);
    assertParseError(() => decodeIotcDatagram(junk.subarray(0, 5)), 'short');
  });

  test('unknown commands are typed errors', () => {
    const plain = buildIotcKeepalivePing(new Uint8Array(8));
    plain[8] = 0x99;
    assertParseError(() => parseIotcPacket(plain), 'unknown-command');
  });
});

describe(`IOTC parsers under fuzzing (${FUZZ_INPUTS} inputs each)`, () => {
  const plains = [
    buildDiscoRequest({ uid: keys.uidField, sid, stage: 1, authKey: keys.authKeyBytes }),
    buildDiscoReply({ uid: keys.uidField, sid, stage: 1 }),
    buildIotcSessionRequest({ uid: keys.uidField, sid, timestamp: 5 }),
    buildIotcSessionReply({ uid: keys.uidField, sid, timestamp: 5 }),
    buildIotcData({ cmd: IotcCommand.DataFromClient, seq: 3, channel: 0, sid, payload: new Uint8Array(200).fill(0x17) }),
    buildIotcData({ cmd: IotcCommand.DataFromDevice, seq: 3, channel: 1, sid, payload: new Uint8Array(5) }),
    buildIotcKeepalivePing(new Uint8Array(8)),
    buildIotcKeepaliveReply(new Uint8Array(8)),
  ];
  const wires = plains.map((p) => transcodeEncodePacket(p));
  const parsers: [string, (b: Uint8Array) => unknown, Uint8Array[]][] = [
    ['decodeIotcDatagram', decodeIotcDatagram, wires],
    ['parseIotcPacket', parseIotcPacket, plains],
    ['readIotcHeader', readIotcHeader, plains],
    ['parseDiscoRequest', parseDiscoRequest, plains],
    ['parseDiscoReply', parseDiscoReply, plains],
    ['parseIotcSessionRequest', parseIotcSessionRequest, plains],
    ['parseIotcSessionReply', parseIotcSessionReply, plains],
    ['parseIotcData', parseIotcData, plains],
    ['parseIotcKeepalivePing', parseIotcKeepalivePing, plains],
    ['parseIotcKeepaliveReply', parseIotcKeepaliveReply, plains],
  ];
  parsers.forEach(([name, parse, samples], i) => {
    test(name, () => {
      const rejected = fuzzParser(parse, samples, FUZZ_INPUTS, 1000 + i);
      assert.ok(rejected > 0 && rejected < FUZZ_INPUTS, `${name} rejected ${rejected}`);
    });
  });
});
