import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ContentType, HandshakeType, NamedGroup } from './constants';
import { TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, TLS_PSK_WITH_AES_128_CBC_SHA256 } from './cipher-suites';
import { nobleCrypto } from './crypto/noble-crypto';
import { nodeCrypto } from './crypto/node-crypto';
import type { DtlsCrypto, EcdhGroup } from './crypto/dtls-crypto';
import { DtlsError } from './dtls-error';
import { parseHandshakeFragments } from './handshake';
import { parseRecords } from './record';
import { linkedPair, nextEvent } from '../testing/dtls-link';
import { eventually } from '../testing/eventually';
import { wyzePskFromEnr } from './psk';

const SUITES = [
  ['0xCCAC', TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256],
  ['0x00AE', TLS_PSK_WITH_AES_128_CBC_SHA256],
] as const;
const fast = { retransmitInitialMs: 20, handshakeTimeoutMs: 3000 };

/** Handshake message types in a datagram's epoch-0 records (later epochs are opaque). */
function handshakeTypes(d: Uint8Array): number[] {
  return parseRecords(d)
    .filter((r) => r.type === ContentType.Handshake && r.epoch === 0)
    .flatMap((r) => parseHandshakeFragments(r.payload).map((f) => f.msgType));
}

async function exchange(client: import('./dtls-client').DtlsClient, server: import('./dtls-server').DtlsServer): Promise<void> {
  const atServer = nextEvent<[Uint8Array]>(server, 'data');
  client.send(Buffer.from('ping from client'));
  assert.equal(Buffer.from((await atServer)[0]).toString(), 'ping from client');
  const atClient = nextEvent<[Uint8Array]>(client, 'data');
  server.send(Buffer.from('pong from server'));
  assert.equal(Buffer.from((await atClient)[0]).toString(), 'pong from server');
}

describe('DTLS client ↔ server in memory', () => {
  for (const [name, suite] of SUITES) {
    for (const crypto of [nodeCrypto, nobleCrypto]) {
      test(`${name} handshake and data both ways (${crypto.name})`, async () => {
        const { client, server } = linkedPair({ suites: [suite], crypto, ...fast }, { suites: [suite], crypto, ...fast });
        await Promise.all([client.handshake(), server.handshake()]);
        assert.equal(client.suite?.id, suite);
        assert.equal(server.suite?.id, suite);
        assert.equal(Buffer.from(server.peerIdentity!).toString(), 'AUTHPWD_admin');
        await exchange(client, server);
        const closed = nextEvent(server, 'close');
        client.close();
        await closed;
        assert.equal(server.state, 'closed');
      });
    }

    test(`${name} survives dropped handshake datagrams (retransmission)`, async () => {
      // Drop the first copy of every flight in both directions.
      const seen = new Set<string>();
      const { client, server } = linkedPair({ suites: [suite], ...fast }, { suites: [suite], ...fast }, (d, from) => {
        const types = handshakeTypes(d).join(',');
        const key = `${from}:${types}:${d[0]}`;
        if (d[0] === ContentType.ApplicationData || seen.has(key)) return [d];
        seen.add(key);
        return [];
      });
      await Promise.all([client.handshake(), server.handshake()]);
      assert.ok(client.stats.retransmits >= 1, 'client retransmitted');
      assert.ok(server.stats.retransmits >= 1, 'server retransmitted');
      await exchange(client, server);
      client.close();
      server.close();
    });

    test(`${name} with a small MTU fragments and reassembles the handshake`, async () => {
      const { client, server, sent } = linkedPair({ suites: [suite], mtu: 96, ...fast }, { suites: [suite], mtu: 96, ...fast });
      await Promise.all([client.handshake(), server.handshake()]);
      for (const d of [...sent.client, ...sent.server]) assert.ok(d.length <= 96, `datagram of ${d.length}`);
      const fragments = [...sent.client, ...sent.server].flatMap((d) =>
        parseRecords(d)
          .filter((r) => r.type === ContentType.Handshake && r.epoch === 0)
          .flatMap((r) => parseHandshakeFragments(r.payload)),
      );
      assert.ok(fragments.some((f) => f.fragment.length < f.length), 'some message went out in pieces');
      await exchange(client, server);
      client.close();
    });
  }

  test('reordered, delayed and duplicated fragments still reassemble', async () => {
    const held: Uint8Array[] = [];
    let heldOnce = false;
    /** (message_seq, fragment_offset) of each epoch-0 handshake fragment, in the order the client got them. */
    const arrived: [number, number][] = [];
    // No timed retransmission within the handshake limit: only reassembly can complete the server's flight.
    const noRetransmit = { mtu: 96, retransmitInitialMs: 10_000, handshakeTimeoutMs: 3000 };
    const { client, server } = linkedPair({ ...noRetransmit }, { suites: [TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256], ...noRetransmit }, (d, from) => {
      let out = [d];
      if (from === 'server' && !heldOnce && handshakeTypes(d).includes(HandshakeType.ServerHello)) {
        heldOnce = true;
        held.push(d);
        out = [];
      } else if (held.length && from === 'server') {
        out = [d, d, held.pop()!];
      }
      if (from === 'server') {
        for (const o of out) {
          for (const r of parseRecords(o)) {
            if (r.type === ContentType.Handshake && r.epoch === 0) arrived.push(...parseHandshakeFragments(r.payload).map((f): [number, number] => [f.messageSeq, f.fragmentOffset]));
          }
        }
      }
      return out;
    });
    await Promise.all([client.handshake(), server.handshake()]);
    const later = (a: [number, number], b: [number, number]) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
    assert.ok(
      arrived.some((a, i) => arrived.slice(i + 1).some((b) => later(a, b))),
      `fragments reached the client in order, so nothing was reordered: ${JSON.stringify(arrived)}`,
    );
    const keys = arrived.map((a) => a.join(':'));
    assert.ok(new Set(keys).size < keys.length, 'some fragment reached the client twice');
    assert.deepEqual([client.stats.retransmits, server.stats.retransmits], [0, 0], 'completed by reassembly, not by retransmission');
    await exchange(client, server);
    client.close();
  });

  test('cookie exchange: HelloVerifyRequest then the handshake restarts its transcript', async () => {
    const { client, server, sent } = linkedPair({ ...fast }, { suites: [TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256], cookies: true, ...fast });
    await Promise.all([client.handshake(), server.handshake()]);
    assert.deepEqual(handshakeTypes(sent.server[0]), [HandshakeType.HelloVerifyRequest]);
    const secondRecord = parseRecords(sent.client[1])[0];
    const secondHello = parseHandshakeFragments(secondRecord.payload)[0];
    // FACTS §7.2: message_seq 1 and, with no retransmission, record sequence 1.
    assert.deepEqual([secondHello.msgType, secondHello.messageSeq, secondRecord.seq], [HandshakeType.ClientHello, 1, 1]);
    await exchange(client, server);
    client.close();
  });

  test('duplicated and replayed application records are dropped', async () => {
    let replay: Uint8Array | undefined;
    const { client, server } = linkedPair({ ...fast }, { suites: [TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256], ...fast }, (d, from) => {
      if (from === 'client' && d[0] === ContentType.ApplicationData) {
        replay ??= d;
        return [d, d];
      }
      return [d];
    });
    await Promise.all([client.handshake(), server.handshake()]);
    const got: string[] = [];
    server.on('data', (b) => got.push(Buffer.from(b).toString()));
    client.send(Buffer.from('one'));
    client.send(Buffer.from('two'));
    await eventually(() => got.length === 2 && server.stats.replayed === 2, 'both records and their duplicates reached the server');
    server.handleDatagram(replay!);
    assert.deepEqual(got, ['one', 'two']);
    assert.equal(server.stats.replayed, 3);
    client.close();
  });

  for (const [name, suite] of SUITES) {
    test(`${name} wrong PSK fails fast with bad-psk on both sides`, async () => {
      const { client, server } = linkedPair({ suites: [suite], ...fast }, { suites: [suite], psk: wyzePskFromEnr('someone-elses-enr').psk, ...fast });
      const results = await Promise.allSettled([client.handshake(), server.handshake()]);
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        const err = (r as PromiseRejectedResult).reason;
        assert.ok(err instanceof DtlsError);
        assert.equal(err.code, 'bad-psk', err.message);
      }
      assert.equal(client.state, 'closed');
      assert.equal(server.state, 'closed');
    });
  }

  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  test('a silent peer ends in handshake-timeout with no timer left behind', async () => {
    const before = timers();
    const { client } = linkedPair({ handshakeTimeoutMs: 150, retransmitInitialMs: 20 }, {}, () => []);
    const failed = assert.rejects(client.handshake(), (e: unknown) => e instanceof DtlsError && e.code === 'handshake-timeout');
    assert.equal(timers(), before + 2, 'handshake and retransmit timers armed');
    await failed;
    assert.ok(client.stats.retransmits >= 2);
    assert.equal(timers(), before);
  });

  test('close() during the handshake clears every timer', () => {
    const before = timers();
    const { client, server } = linkedPair({ handshakeTimeoutMs: 60_000 }, { handshakeTimeoutMs: 60_000 }, () => []);
    client.start();
    server.start();
    assert.ok(timers() > before);
    client.close();
    server.close();
    assert.equal(timers(), before);
  });

  test('after close() during the handshake nothing more is sent, however long one waits', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const closed = linkedPair({ handshakeTimeoutMs: 60_000 }, {}, () => []);
    const open = linkedPair({ handshakeTimeoutMs: 60_000 }, {}, () => []);
    closed.client.start();
    open.client.start();
    closed.client.close();
    const n = closed.sent.client.length;
    t.mock.timers.tick(30_000);
    // The endpoint left open retransmits meanwhile: the wait is long enough to catch a timer close() missed.
    assert.ok(open.sent.client.length > 1, 'the open client retransmitted');
    assert.equal(closed.sent.client.length, n);
    open.client.close();
  });

  test('a peer fatal alert surfaces as DtlsError alert', async () => {
    const { client, server } = linkedPair({ ...fast }, { suites: [TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256], ...fast });
    await Promise.all([client.handshake(), server.handshake()]);
    const err = nextEvent<[DtlsError]>(client, 'error');
    // internal_error, sent the way fail() would, via a subclass-free path: a raw protected alert.
    (server as unknown as { sendAlert(l: number, d: number): void }).sendAlert(2, 80);
    const [e] = await err;
    assert.equal(e.code, 'alert');
    assert.equal(e.alert, 80);
    server.close();
  });

  test('send before connected throws not-connected', () => {
    const { client } = linkedPair({}, {});
    assert.throws(() => client.send(Uint8Array.of(1)), (e: unknown) => e instanceof DtlsError && e.code === 'not-connected');
  });
});

describe('DTLS client work done before the server answers', () => {
  const suite = TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256;
  /** node:crypto, noting every ECDHE key pair made. */
  function keyPairLog(): { crypto: DtlsCrypto; groups: EcdhGroup[] } {
    const groups: EcdhGroup[] = [];
    return { groups, crypto: { ...nodeCrypto, ecdhGenerate: (g) => (groups.push(g), nodeCrypto.ecdhGenerate(g)) } };
  }

  test('the x25519 key pair is made with the ClientHello, not when the server flight arrives', async () => {
    const log = keyPairLog();
    const { client, server } = linkedPair({ suites: [suite], crypto: log.crypto, ...fast }, { suites: [suite], ...fast });
    const done = Promise.all([client.handshake(), server.handshake()]);
    assert.deepEqual(log.groups, [NamedGroup.X25519], 'made while the ClientHello was sent');
    await done;
    assert.deepEqual(log.groups, [NamedGroup.X25519], 'used for the ClientKeyExchange, not made again');
    await exchange(client, server);
    client.close();
    server.close();
  });

  test('prepare() builds the ClientHello and the key pair without sending; start() sends that ClientHello', async () => {
    const log = keyPairLog();
    const { client, server, sent } = linkedPair({ suites: [suite], crypto: log.crypto, ...fast }, { suites: [suite], ...fast });
    client.prepare();
    assert.deepEqual(log.groups, [NamedGroup.X25519]);
    assert.equal(sent.client.length, 0, 'nothing on the wire');
    assert.equal(client.state, 'idle', 'no handshake timer');
    await Promise.all([client.handshake(), server.handshake()]);
    assert.deepEqual(handshakeTypes(sent.client[0]), [HandshakeType.ClientHello]);
    assert.deepEqual(log.groups, [NamedGroup.X25519]);
    await exchange(client, server);
    client.close();
    server.close();
  });

  test('a server that picks another group gets a key pair for that group', async () => {
    const log = keyPairLog();
    const { client, server } = linkedPair({ suites: [suite], crypto: log.crypto, ...fast }, { suites: [suite], groups: [NamedGroup.Secp256r1], ...fast });
    client.prepare();
    await Promise.all([client.handshake(), server.handshake()]);
    assert.deepEqual(log.groups, [NamedGroup.X25519, NamedGroup.Secp256r1]);
    await exchange(client, server);
    client.close();
    server.close();
  });
});
