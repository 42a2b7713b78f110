import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FUZZ_INPUTS, fuzzParser, rng, mutate } from '../wire/fuzz';
import { HandshakeType } from './constants';
import { DtlsClient } from './dtls-client';
import { DtlsServer } from './dtls-server';
import { parseHandshakeBody, parseHandshakeFragments, type HandshakeFragment } from './handshake';
import { parseRecords } from './record';
import { linkedPair } from '../testing/dtls-link';
import { wyzePskFromEnr } from './psk';

/** Real datagrams from a handshake and a little traffic, for the mutator to start from. */
async function sampleTraffic(): Promise<Uint8Array[]> {
  const { client, server, sent } = linkedPair({ retransmitInitialMs: 20 }, { suites: [0xccac, 0x00ae], cookies: true, retransmitInitialMs: 20 });
  await Promise.all([client.handshake(), server.handshake()]);
  client.send(Buffer.from('sample'));
  server.send(Buffer.from('sample back'));
  await new Promise((r) => setImmediate(r));
  client.close();
  return [...sent.client, ...sent.server];
}

test(`record, handshake and message parsers only ever throw TutkParseError (${FUZZ_INPUTS} inputs each)`, async () => {
  const datagrams = await sampleTraffic();
  const records = datagrams.flatMap((d) => parseRecords(d));
  const handshakePayloads = records.filter((r) => r.type === 22 && r.epoch === 0).map((r) => r.payload);
  const fragments: HandshakeFragment[] = handshakePayloads.flatMap((p) => parseHandshakeFragments(p));
  const bodies = fragments.map((f) => f.fragment);

  const rejectedRecords = fuzzParser(parseRecords, datagrams, FUZZ_INPUTS, 11);
  const rejectedHandshake = fuzzParser(parseHandshakeFragments, handshakePayloads, FUZZ_INPUTS, 12);
  const types = [HandshakeType.ClientHello, HandshakeType.ServerHello, HandshakeType.HelloVerifyRequest, HandshakeType.ServerKeyExchange, HandshakeType.ClientKeyExchange];
  let i = 0;
  const rejectedBodies = fuzzParser((b) => parseHandshakeBody(types[i++ % types.length], b), bodies, FUZZ_INPUTS, 13);
  // Mutations must actually reach the error paths, or this test proves nothing.
  assert.ok([rejectedRecords, rejectedHandshake, rejectedBodies].every((n) => n > FUZZ_INPUTS / 10), `${rejectedRecords}/${rejectedHandshake}/${rejectedBodies}`);
});

test('endpoints fed mutated datagrams never throw', async () => {
  const rand = rng(7);
  const samples = await sampleTraffic();
  const psk = wyzePskFromEnr('x').psk;
  const make = (role: number) => {
    const e =
      role === 0
        ? new DtlsClient({ psk, handshakeTimeoutMs: 60_000, send: () => {} })
        : new DtlsServer({ psk, suites: [0xccac, 0x00ae], handshakeTimeoutMs: 60_000, send: () => {} });
    e.on('error', () => {});
    e.start();
    return e;
  };
  const peers = [make(0), make(1)];
  let restarts = 0;
  for (let n = 0; n < 20_000; n++) {
    const k = n & 1;
    // A fatal alert from garbage is a fair outcome; start over so later inputs still reach a live endpoint.
    if (peers[k].state === 'closed') {
      peers[k] = make(k);
      restarts++;
    }
    assert.doesNotThrow(() => peers[k].handleDatagram(mutate(rand, samples)));
  }
  for (const p of peers) p.close();
  assert.ok(restarts > 0, 'some inputs reached handshake processing');
});
