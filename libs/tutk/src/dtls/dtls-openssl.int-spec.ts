import assert from 'node:assert/strict';
import type { Socket } from 'node:dgram';
import { after, afterEach, describe, test } from 'node:test';
import { TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, TLS_PSK_WITH_AES_128_CBC_SHA256 } from './cipher-suites';
import { ContentType, HandshakeType } from './constants';
import { nodeCrypto } from './crypto/node-crypto';
import { DtlsClient } from './dtls-client';
import { DtlsError } from './dtls-error';
import { DtlsServer } from './dtls-server';
import { OpensslProcess, boundSocket, freeUdpPort } from '../testing/openssl-process';
import { deriveCameraKeys } from '../credentials/camera-keys';
import { wyzePskFromEnr } from './psk';
import { parseRecords } from './record';

const OPENSSL_CIPHER: Record<number, string> = {
  [TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256]: 'ECDHE-PSK-CHACHA20-POLY1305',
  [TLS_PSK_WITH_AES_128_CBC_SHA256]: 'PSK-AES128-CBC-SHA256',
};
const SUITES = [TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, TLS_PSK_WITH_AES_128_CBC_SHA256];
const ENR = 'aKzdqckqZ8HUHFe5';
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');
const name = (suite: number) => `0x${suite.toString(16).padStart(4, '0').toUpperCase()}`;

/** An ENR whose SHA-256 has a zero among its first 4 bytes, found by search so the test does not rely on one constant. */
function enrWithEarlyZero(): { enr: string; length: number } {
  for (let i = 0; ; i++) {
    const enr = `nullpsk${i}`;
    const p = wyzePskFromEnr(enr);
    if (p.effectiveLength < 4) return { enr, length: p.effectiveLength };
  }
}

const children: OpensslProcess[] = [];
const sockets: Socket[] = [];
const endpoints: { close(): void }[] = [];
afterEach(async () => {
  for (const e of endpoints.splice(0)) e.close();
  for (const s of sockets.splice(0)) s.close();
  await Promise.all(children.splice(0).map((c) => c.kill()));
});
after(async () => {
  await Promise.all(children.map((c) => c.kill()));
});

async function startServer(psk: Uint8Array, suite: number): Promise<{ openssl: OpensslProcess; port: number }> {
  const port = await freeUdpPort();
  const openssl = new OpensslProcess([
    's_server', '-dtls1_2', '-nocert', '-psk', hexOf(psk), '-psk_identity', 'AUTHPWD_admin', '-cipher', OPENSSL_CIPHER[suite], '-accept', String(port),
  ]);
  children.push(openssl);
  await openssl.waitFor(/ACCEPT/);
  return { openssl, port };
}

async function clientTo(
  port: number,
  key: { psk: Uint8Array } | { enr: string },
  suite: number,
  handshakeTimeoutMs = 5000,
): Promise<{ client: DtlsClient; clientHellos: () => number }> {
  const sock = await boundSocket();
  sockets.push(sock);
  const sent: Uint8Array[] = [];
  const client = new DtlsClient({
    psk: 'psk' in key ? key.psk : deriveCameraKeys(key.enr, 'TESTUID1234567890ABC', 'aabbccddeeff').psk,
    suites: [suite],
    handshakeTimeoutMs,
    send: (d) => {
      sent.push(Uint8Array.from(d));
      sock.send(d, port, '127.0.0.1');
    },
  });
  endpoints.push(client);
  sock.on('message', (m) => client.handleDatagram(m));
  const clientHellos = () =>
    sent.flatMap((d) => parseRecords(d).filter((r) => r.epoch === 0 && r.type === ContentType.Handshake && r.payload[0] === HandshakeType.ClientHello)).length;
  return { client, clientHellos };
}

async function serverFor(psk: Uint8Array, suite: number, handshakeTimeoutMs = 5000): Promise<{ server: DtlsServer; port: number }> {
  const sock = await boundSocket();
  sockets.push(sock);
  let peer: { port: number; address: string } | undefined;
  const server = new DtlsServer({ psk, suites: [suite], handshakeTimeoutMs, send: (d) => peer && sock.send(d, peer.port, peer.address) });
  endpoints.push(server);
  sock.on('message', (m, rinfo) => {
    peer = rinfo;
    server.handleDatagram(m);
  });
  return { server, port: sock.address().port };
}

function startClient(psk: Uint8Array, suite: number, port: number): OpensslProcess {
  const openssl = new OpensslProcess([
    's_client', '-dtls1_2', '-psk', hexOf(psk), '-psk_identity', 'AUTHPWD_admin', '-cipher', OPENSSL_CIPHER[suite], '-connect', `127.0.0.1:${port}`,
  ]);
  children.push(openssl);
  return openssl;
}

function firstData(e: DtlsClient | DtlsServer): Promise<string> {
  return new Promise((resolve) => e.once('data', (d) => resolve(Buffer.from(d).toString())));
}

describe('our DTLS client ↔ openssl s_server', () => {
  for (const suite of SUITES) {
    test(`${name(suite)}: handshake (with HelloVerifyRequest), data both ways, close_notify`, async () => {
      const psk = wyzePskFromEnr(ENR).psk;
      const { openssl, port } = await startServer(psk, suite);
      const { client, clientHellos } = await clientTo(port, { psk }, suite);
      await client.handshake();
      assert.equal(client.suite?.id, suite);
      // s_server always asks for a cookie, so the client had to answer a HelloVerifyRequest.
      assert.equal(clientHellos(), 2);
      const got = firstData(client);
      openssl.write('from openssl server\n');
      assert.equal(await got, 'from openssl server\n');
      client.send(Buffer.from('from our client\n'));
      await openssl.waitFor(/from our client/);
      client.close();
      // s_server reports the peer's close_notify with DONE.
      await openssl.waitFor(/DONE/);
    });
  }

  test('null-truncated PSK (SHA-256 has an early zero byte) interoperates', async () => {
    const { enr, length } = enrWithEarlyZero();
    const psk = wyzePskFromEnr(enr).psk;
    assert.ok(psk.subarray(length).every((b) => b === 0));
    const { openssl, port } = await startServer(psk, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256);
    // openssl gets the 32 zero-filled bytes; our client derives its PSK from the ENR as sessions do.
    const { client } = await clientTo(port, { enr }, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256);
    await client.handshake();
    client.send(Buffer.from('short psk ok\n'));
    await openssl.waitFor(/short psk ok/);
  });

  test('wrong PSK ends in a DtlsError within the handshake timeout', async () => {
    const { port } = await startServer(wyzePskFromEnr(ENR).psk, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256);
    const { client } = await clientTo(port, { enr: 'not-the-camera' }, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, 1500);
    const started = Date.now();
    const err = await client.handshake().then(
      () => assert.fail('handshake with a wrong PSK succeeded'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof DtlsError, String(err));
    assert.ok(err.code === 'handshake-timeout' || err.code === 'bad-psk', err.message);
    assert.match(err.message, /PSK/, `${err.code}: ${err.message}`);
    assert.ok(Date.now() - started < 4000);
    assert.equal(client.state, 'closed');
  });
});

describe('our DTLS server ↔ openssl s_client', () => {
  for (const suite of SUITES) {
    test(`${name(suite)}: handshake, data both ways, close_notify`, async () => {
      const psk = wyzePskFromEnr(ENR).psk;
      const { server, port } = await serverFor(psk, suite);
      const connected = server.handshake();
      const openssl = startClient(psk, suite, port);
      await connected;
      assert.equal(server.suite?.id, suite);
      assert.equal(Buffer.from(server.peerIdentity!).toString(), 'AUTHPWD_admin');
      const got = firstData(server);
      openssl.write('from openssl client\n');
      assert.equal(await got, 'from openssl client\n');
      server.send(Buffer.from('from our server\n'));
      await openssl.waitFor(/from our server/);
      server.close();
      // s_client prints "closed" on close_notify and exits cleanly.
      await openssl.waitFor(/closed/);
      assert.equal(await openssl.waitExit(), 0);
    });
  }

  test('all-zero PSK (SHA-256 starts with 0x00) interoperates', async () => {
    const p = wyzePskFromEnr('z994JXZx9qLeuM0K', nodeCrypto);
    assert.equal(p.effectiveLength, 0);
    const { server, port } = await serverFor(p.psk, TLS_PSK_WITH_AES_128_CBC_SHA256);
    const connected = server.handshake();
    const openssl = startClient(p.psk, TLS_PSK_WITH_AES_128_CBC_SHA256, port);
    await connected;
    const got = firstData(server);
    openssl.write('zero psk\n');
    assert.equal(await got, 'zero psk\n');
  });

  test('wrong PSK: our server fails with bad-psk and alerts the client', async () => {
    const { server, port } = await serverFor(wyzePskFromEnr(ENR).psk, TLS_PSK_WITH_AES_128_CBC_SHA256, 3000);
    const done = server.handshake().then(
      () => assert.fail('handshake with a wrong PSK succeeded'),
      (e: unknown) => e,
    );
    const openssl = startClient(wyzePskFromEnr('not-the-camera').psk, TLS_PSK_WITH_AES_128_CBC_SHA256, port);
    const err = await done;
    assert.ok(err instanceof DtlsError, String(err));
    assert.equal(err.code, 'bad-psk', err.message);
    await openssl.waitFor(/alert/i);
  });
});
