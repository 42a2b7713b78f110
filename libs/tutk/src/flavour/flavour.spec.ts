import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TutkParseError } from '../wire/parse-error';
import { FUZZ_INPUTS, fuzzParser } from '../wire/fuzz';
import { u16le, u32le } from '../wire/byte-reader';
import { deriveTransportKeys } from '../credentials/credentials';
import { transcodeDecodePacket } from '../transcode/transcode';
import { Cc51Signer } from '../cc51/header';
import { buildCc51Discovery, parseCc51Discovery } from '../cc51/discovery';
import { parseCc51Keepalive } from '../cc51/keepalive';
import { buildDiscoRequest } from '../iotc/disco';
import { encodeIotcDatagram } from '../iotc/packet';
import { ClientEvent, ClientFlavour, DeviceEvent, DeviceFlavour } from './flavour';
import { OldFlavourClient, OldFlavourDevice } from './old';
import { Cc51FlavourClient, Cc51FlavourDevice } from './cc51';
import { FlavourProbe } from './probe';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const copy = (b: Uint8Array) => Uint8Array.from(b);

const keys = deriveTransportKeys({ uid: 'UEDT9GKXHT01HRICYSV8', enr: '4J4tcWsFKsKZB38O', mac: '35E02A2F08E1' });
const strangerKeys = deriveTransportKeys({ uid: 'UEDT9GKXHT01HRICYSV8', enr: 'someone-else', mac: '35E02A2F08E1' });
const sid = hex('0f9482b5fe6b9833');
const record = (n: number, fill: number) => new Uint8Array(n).fill(fill);

function assertParseError(fn: () => unknown, layer: string, reason: string): void {
  assert.throws(fn, (e: unknown) => e instanceof TutkParseError && e.layer === layer && e.reason === reason);
}

function expectKind<E extends ClientEvent | DeviceEvent, K extends E['kind']>(e: E, kind: K): Extract<E, { kind: K }> {
  assert.equal(e.kind, kind, JSON.stringify(e));
  return e as Extract<E, { kind: K }>;
}

/** Runs discovery and session set-up between a client and a device, as the session layer would. */
function connect(client: ClientFlavour, device: DeviceFlavour): void {
  const probe = expectKind(device.unwrap(client.probe()), 'discovery');
  assert.equal(probe.first, true);
  const found = expectKind(client.unwrap(probe.reply!), 'discovery');
  assert.equal(found.first, true);
  assert.equal(client.state, 'discovered');
  if (found.reply) device.unwrap(found.reply);
  const session = expectKind(device.unwrap(client.sessionRequest(1_728_860_922)), 'session');
  assert.equal(session.first, true);
  assert.equal(expectKind(client.unwrap(session.reply), 'session').first, true);
  assert.equal(client.state, 'established');
  assert.equal(device.state, 'established');
}

/** DTLS bytes pass both ways on both channels, intact. */
function exchangeData(client: ClientFlavour, device: DeviceFlavour): void {
  for (const [channel, n] of [[0, 31], [1, 200], [0, 1100]] as const) {
    const up = record(n, 0x16 + channel);
    const atDevice = expectKind(device.unwrap(client.wrap(channel, up)), 'data');
    assert.equal(atDevice.channel, channel);
    assert.equal(toHex(atDevice.payload), toHex(up));
    const down = record(n + 7, 0x17 + channel);
    const atClient = expectKind(client.unwrap(device.wrap(channel, down)), 'data');
    assert.equal(atClient.channel, channel);
    assert.equal(toHex(atClient.payload), toHex(down));
  }
}

describe('OLD flavour, client ↔ device (FACTS §4)', () => {
  test('discovery, stage 2, session, data both ways, keepalive', () => {
    const client = new OldFlavourClient(keys, sid);
    const device = new OldFlavourDevice(keys);
    const probe = device.unwrap(client.probe());
    const disco = expectKind(probe, 'discovery');
    assert.equal(toHex(device.sessionId!), toHex(sid));
    assert.equal(u16le(transcodeDecodePacket(disco.reply!), 8), 0x0602);

    const found = expectKind(client.unwrap(copy(disco.reply!)), 'discovery');
    assert.equal(found.sessionAfterMs, 100);
    const stage2 = transcodeDecodePacket(found.reply!);
    assert.equal(stage2[64], 2, 'stage byte');
    assert.equal(toHex(stage2.subarray(74, 82)), '00'.repeat(8), 'no AuthKey in stage 2');
    const confirm = expectKind(device.unwrap(found.reply!), 'discovery');
    assert.equal(confirm.first, false);
    assert.equal(confirm.reply, undefined, 'stage 2 needs no answer');

    const session = expectKind(device.unwrap(client.sessionRequest(1_728_860_922)), 'session');
    assert.equal(u16le(transcodeDecodePacket(session.reply), 8), 0x0404);
    expectKind(client.unwrap(session.reply), 'session');
    assert.equal(client.state, 'established');

    exchangeData(client, device);

    const ping = device.keepalive();
    const pingEcho = transcodeDecodePacket(ping).subarray(16, 24);
    const answer = expectKind(client.unwrap(ping), 'keepalive');
    const reply = transcodeDecodePacket(answer.reply);
    assert.equal(u16le(reply, 8), 0x0427);
    assert.equal(toHex(reply.subarray(16, 24)), toHex(pingEcho));
    expectKind(device.unwrap(answer.reply), 'keepalive');
    assert.notEqual(toHex(transcodeDecodePacket(device.keepalive()).subarray(16, 24)), toHex(pingEcho), 'each ping differs');
  });

  test('one data sequence for all channels, from 0 (FACTS §4.5)', () => {
    const client = new OldFlavourClient(keys, sid);
    const seqs = [0, 1, 0, 1].map((ch) => u16le(transcodeDecodePacket(client.wrap(ch, record(40, 1))), 6));
    assert.deepEqual(seqs, [0, 1, 2, 3]);
  });

  test('repeats: the device answers every stage-1 copy; the client sends stage 2 once', () => {
    const client = new OldFlavourClient(keys, sid);
    const device = new OldFlavourDevice(keys);
    const first = expectKind(device.unwrap(client.probe()), 'discovery');
    const again = expectKind(device.unwrap(client.probe()), 'discovery');
    assert.equal(again.first, false);
    assert.ok(again.reply);
    expectKind(client.unwrap(first.reply!), 'discovery');
    const dup = expectKind(client.unwrap(again.reply!), 'discovery');
    assert.equal(dup.first, false);
    assert.equal(dup.reply, undefined);
    const s1 = expectKind(device.unwrap(client.sessionRequest(1)), 'session');
    const s2 = expectKind(device.unwrap(client.sessionRequest(2)), 'session');
    assert.deepEqual([s1.first, s2.first], [true, false]);
    expectKind(client.unwrap(s1.reply), 'session');
    assert.equal(expectKind(client.unwrap(s2.reply), 'session').first, false);
  });

  test('the device checks the UID; by default not the AuthKey (FACTS §4.4), so a wrong ENR gets a 0x0602', () => {
    const device = new OldFlavourDevice(keys);
    const other = deriveTransportKeys({ uid: 'OTHERUID000000000000', enr: keys.authKey, mac: '00' });
    assertParseError(() => device.unwrap(new OldFlavourClient(other, sid).probe()), 'iotc', 'wrong-uid');
    const answered = expectKind(device.unwrap(new OldFlavourClient(strangerKeys, sid).probe()), 'discovery');
    assert.ok(answered.reply);
  });

  test('with checkAuthKey the device also checks the AuthKey, but not its bytes 6..7 (FACTS §3.2)', () => {
    const device = new OldFlavourDevice(keys, { checkAuthKey: true });
    assertParseError(() => device.unwrap(new OldFlavourClient(strangerKeys, sid).probe()), 'iotc', 'bad-auth-key');
    const oddTail = Uint8Array.from(keys.authKeyBytes);
    oddTail[6] ^= 0x20;
    oddTail[7] ^= 0x20;
    const probe = encodeIotcDatagram(buildDiscoRequest({ uid: keys.uidField, sid, stage: 1, authKey: oddTail }));
    expectKind(device.unwrap(probe), 'discovery');
  });

  test('out-of-place packets are ignored or rejected, never acted on', () => {
    const client = new OldFlavourClient(keys, sid);
    const device = new OldFlavourDevice(keys);
    assert.throws(() => client.sessionRequest(1), Error);
    const reply = new OldFlavourClient(keys, sid).wrap(0, record(40, 1));
    assert.deepEqual(client.unwrap(reply), { kind: 'ignored', reason: 'wrong-direction' });
    assert.deepEqual(device.unwrap(new OldFlavourClient(keys, sid).wrap(0, record(40, 1))), { kind: 'ignored', reason: 'wrong-state' });
    assert.deepEqual(device.unwrap(new Cc51FlavourClient(keys, { sessionId: sid }).probe()), { kind: 'ignored', reason: 'other-flavour' });
    assert.deepEqual(client.unwrap(new Cc51FlavourClient(keys, { sessionId: sid }).probe()), { kind: 'ignored', reason: 'other-flavour' });
    connect(client, device);
    assert.deepEqual(client.unwrap(device.wrap(2, record(40, 1))), { kind: 'ignored', reason: 'unknown-channel' });
    assertParseError(() => device.unwrap(new OldFlavourClient(keys, hex('0000000000000001')).wrap(0, record(40, 1))), 'iotc', 'wrong-session');
    assertParseError(() => client.unwrap(hex('00112233')), 'iotc', 'short');
    assertParseError(() => client.unwrap(record(40, 0x33)), 'iotc', 'bad-magic');
  });
});

describe('CC51 flavour, client ↔ device (FACTS §5)', () => {
  const fixedRandom = () => Uint8Array.of(0xbc, 0x8b);

  test('discovery seq 0→1→2→3, data both ways, keepalive', () => {
    const client = new Cc51FlavourClient(keys, { sessionId: sid });
    const device = new Cc51FlavourDevice(keys, { random: fixedRandom });
    const probe = expectKind(device.unwrap(client.probe()), 'discovery');
    const seq1 = parseCc51Discovery(probe.reply!);
    assert.deepEqual([seq1.direction, seq1.seq, seq1.ticket], [0xffff, 1, 35772]);

    const found = expectKind(client.unwrap(probe.reply!), 'discovery');
    assert.deepEqual([found.first, found.reply, found.sessionAfterMs], [true, undefined, 0]);
    assert.equal(client.currentTicket, 35772);

    const confirm = client.sessionRequest(0);
    assert.equal(toHex(confirm), '51cc000002102800000000000200bc8b0f9482b5fe6b9833000803041d0000002f46344e97f381608b5e1236424b7d01e582c495');
    const session = expectKind(device.unwrap(confirm), 'session');
    const seq3 = parseCc51Discovery(session.reply);
    assert.deepEqual([seq3.direction, seq3.seq, seq3.ticket], [0xffff, 3, 35772]);
    expectKind(client.unwrap(session.reply), 'session');
    assert.equal(client.state, 'established');

    exchangeData(client, device);
    assert.equal(client.wrap(1, record(3, 0))[13], 1, 'channel in byte 13');

    const pings = [device.keepalive(), device.keepalive()];
    assert.deepEqual(pings.map((p) => u32le(p, 16)), [1, 3]);
    const answers = pings.map((p) => expectKind(client.unwrap(p), 'keepalive').reply);
    assert.deepEqual(answers.map((r) => parseCc51Keepalive(r, new Cc51Signer(keys)).counter), [2, 4]);
    expectKind(device.unwrap(answers[0]), 'keepalive');
  });

  test('the client adopts the sid and ticket of the first 0x1002 it receives (FACTS §5.2)', () => {
    const client = new Cc51FlavourClient(keys, { sessionId: sid });
    const cameraSid = hex('a1a2a3a4a5a6a7a8');
    const reply = buildCc51Discovery({ direction: 0xffff, seq: 1, ticket: 77, sid: cameraSid }, new Cc51Signer(keys));
    expectKind(client.unwrap(reply), 'discovery');
    assert.equal(toHex(client.sessionId), toHex(cameraSid));
    const confirm = parseCc51Discovery(client.sessionRequest(0));
    assert.deepEqual([confirm.seq, confirm.ticket, toHex(confirm.sid)], [2, 77, toHex(cameraSid)]);
    assert.equal(client.wrap(0, record(5, 0))[14], 77);
    assert.equal(expectKind(client.unwrap(reply), 'discovery').first, false, 'a late seq 1 changes nothing');
    assert.equal(client.state, 'discovered');
  });

  test('the device rejects a wrong ticket, a wrong sid and a foreign HMAC', () => {
    const client = new Cc51FlavourClient(keys, { sessionId: sid });
    const device = new Cc51FlavourDevice(keys, { random: fixedRandom });
    expectKind(device.unwrap(client.probe()), 'discovery');
    const signer = new Cc51Signer(keys);
    assertParseError(() => device.unwrap(buildCc51Discovery({ direction: 0, seq: 2, ticket: 1, sid }, signer)), 'cc51', 'bad-ticket');
    assertParseError(() => device.unwrap(buildCc51Discovery({ direction: 0, seq: 2, ticket: 35772, sid: hex('0000000000000009') }, signer)), 'cc51', 'wrong-session');
    assertParseError(() => device.unwrap(new Cc51FlavourClient(strangerKeys, { sessionId: sid }).probe()), 'cc51', 'bad-hmac');
    assert.equal(device.state, 'discovered');
  });

  test('a repeated probe gets the same ticket; a new sid gets a new one', () => {
    let n = 0;
    const device = new Cc51FlavourDevice(keys, { random: () => Uint8Array.of(++n, 0) });
    const a = parseCc51Discovery(expectKind(device.unwrap(new Cc51FlavourClient(keys, { sessionId: sid }).probe()), 'discovery').reply!);
    const b = parseCc51Discovery(expectKind(device.unwrap(new Cc51FlavourClient(keys, { sessionId: sid }).probe()), 'discovery').reply!);
    const c = parseCc51Discovery(expectKind(device.unwrap(new Cc51FlavourClient(keys, { sessionId: hex('1111111111111111') }).probe()), 'discovery').reply!);
    assert.equal(a.ticket, b.ticket);
    assert.notEqual(c.ticket, a.ticket);
    const zeros = new Cc51FlavourDevice(keys, { random: () => new Uint8Array(2) });
    const z = parseCc51Discovery(expectKind(zeros.unwrap(new Cc51FlavourClient(keys, { sessionId: sid }).probe()), 'discovery').reply!);
    assert.notEqual(z.ticket, 0, 'ticket 0 means none, so it is never handed out');
  });

  test('the client verifies camera HMACs unless told not to', () => {
    const client = new Cc51FlavourClient(keys, { sessionId: sid });
    const device = new Cc51FlavourDevice(keys);
    connect(client, device);
    const forged = new Cc51FlavourDevice(strangerKeys);
    forged.unwrap(new Cc51FlavourClient(strangerKeys, { sessionId: sid }).probe());
    const datagram = forged.wrap(0, record(30, 0x17));
    assertParseError(() => client.unwrap(copy(datagram)), 'cc51', 'bad-hmac');
    const trusting = new Cc51FlavourClient(keys, { sessionId: sid, verifyHmac: false });
    assert.equal(expectKind(trusting.unwrap(datagram), 'data').payload.length, 30);
  });

  test('out-of-place packets are ignored', () => {
    const client = new Cc51FlavourClient(keys, { sessionId: sid });
    const device = new Cc51FlavourDevice(keys);
    assert.throws(() => client.sessionRequest(0), Error);
    assert.deepEqual(device.unwrap(new OldFlavourClient(keys, sid).probe()), { kind: 'ignored', reason: 'other-flavour' });
    assert.deepEqual(client.unwrap(new OldFlavourClient(keys, sid).probe()), { kind: 'ignored', reason: 'other-flavour' });
    assert.deepEqual(device.unwrap(client.wrap(0, record(10, 1))), { kind: 'ignored', reason: 'wrong-state' });
    assert.deepEqual(device.unwrap(buildCc51Discovery({ direction: 0xffff, seq: 1, ticket: 5, sid }, new Cc51Signer(keys))), { kind: 'ignored', reason: 'wrong-direction' });
    connect(client, device);
    assert.deepEqual(client.unwrap(device.wrap(5, record(10, 1))), { kind: 'ignored', reason: 'unknown-channel' });
    assert.deepEqual(client.unwrap(client.probe()), { kind: 'ignored', reason: 'wrong-direction' });
  });
});

describe('FlavourProbe (FACTS §6)', () => {
  test('sends OLD then CC51 with one sid', () => {
    const probe = new FlavourProbe(keys, sid);
    const [old, cc51] = probe.probes();
    assert.equal(toHex(transcodeDecodePacket(old).subarray(56, 64)), toHex(sid));
    assert.equal(toHex(cc51.subarray(16, 24)), toHex(sid));
  });

  for (const [name, makeDevice] of [
    ['old', () => new OldFlavourDevice(keys)],
    ['cc51', () => new Cc51FlavourDevice(keys)],
  ] as const) {
    test(`a ${name} camera answers only its own probe and is chosen`, () => {
      const probe = new FlavourProbe(keys, sid);
      const device: DeviceFlavour = makeDevice();
      const replies = probe
        .probes()
        .map((p) => device.unwrap(p))
        .filter((e): e is Extract<DeviceEvent, { kind: 'discovery' }> => e.kind === 'discovery');
      assert.equal(replies.length, 1);
      assert.equal(probe.accept(record(60, 0x42)), undefined, 'unrelated datagrams decide nothing');
      const outcome = probe.accept(replies[0].reply!);
      assert.ok(outcome);
      assert.equal(outcome.flavour.name, name);
      assert.equal(expectKind(outcome.event, 'discovery').first, true);
      const client = outcome.flavour;
      if (outcome.event.kind === 'discovery' && outcome.event.reply) device.unwrap(outcome.event.reply);
      const session = expectKind(device.unwrap(client.sessionRequest(1)), 'session');
      expectKind(client.unwrap(session.reply), 'session');
      exchangeData(client, device);
    });
  }
});

describe(`Flavour unwrap under fuzzing (${FUZZ_INPUTS} inputs each)`, () => {
  // Real traffic of both flavours, captured before unwrap decodes it in place.
  const oldTraffic: Uint8Array[] = [];
  const cc51Traffic: Uint8Array[] = [];
  {
    const tap = (list: Uint8Array[], d: DeviceFlavour, c: ClientFlavour) => {
      list.push(copy(c.probe()), copy(c.wrap(0, record(300, 0x17))));
      const disco = d.unwrap(copy(list[list.length - 2]));
      if (disco.kind === 'discovery' && disco.reply) {
        list.push(copy(disco.reply));
        const found = c.unwrap(copy(disco.reply));
        if (found.kind === 'discovery' && found.reply) list.push(copy(found.reply));
      }
      const req = c.sessionRequest(5);
      list.push(copy(req));
      const s = d.unwrap(req);
      if (s.kind === 'session') list.push(copy(s.reply));
      list.push(copy(d.wrap(1, record(90, 0x16))), copy(d.keepalive()));
      const k = c.unwrap(d.keepalive());
      if (k.kind === 'keepalive') list.push(copy(k.reply));
    };
    tap(oldTraffic, new OldFlavourDevice(keys), new OldFlavourClient(keys, sid));
    tap(cc51Traffic, new Cc51FlavourDevice(keys), new Cc51FlavourClient(keys, { sessionId: sid }));
  }
  const all = [...oldTraffic, ...cc51Traffic];
  const cases: [string, () => (b: Uint8Array) => unknown, Uint8Array[]][] = [
    ['OldFlavourClient.unwrap', () => { const c = new OldFlavourClient(keys, sid); return (b) => c.unwrap(b); }, oldTraffic],
    ['OldFlavourDevice.unwrap', () => { const d = new OldFlavourDevice(keys); return (b) => d.unwrap(b); }, oldTraffic],
    ['Cc51FlavourClient.unwrap', () => { const c = new Cc51FlavourClient(keys, { sessionId: sid }); return (b) => c.unwrap(b); }, cc51Traffic],
    ['Cc51FlavourClient.unwrap (unverified)', () => { const c = new Cc51FlavourClient(keys, { sessionId: sid, verifyHmac: false }); return (b) => c.unwrap(b); }, cc51Traffic],
    ['Cc51FlavourDevice.unwrap', () => { const d = new Cc51FlavourDevice(keys); return (b) => d.unwrap(b); }, cc51Traffic],
    ['FlavourProbe.accept', () => { let p = new FlavourProbe(keys, sid); return (b) => p.accept(b) && (p = new FlavourProbe(keys, sid)); }, all],
  ];
  cases.forEach(([name, make, samples], i) => {
    test(name, () => {
      const rejected = fuzzParser(make(), samples, FUZZ_INPUTS, 3000 + i);
      assert.ok(rejected > 0 && rejected < FUZZ_INPUTS, `${name} rejected ${rejected}`);
    });
  });
});
