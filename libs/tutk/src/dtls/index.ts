/**
 * DTLS 1.2 (RFC 6347) with the two PSK suites Wyze cameras use (FACTS §7): TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256
 * (we are the client, channel 0) and TLS_PSK_WITH_AES_128_CBC_SHA256 (we are the server, channel 1).
 *
 *   const client = new DtlsClient({ psk: deriveCameraKeys(enr, uid, mac).psk, send: (d) => channel.write(d) });
 *   channel.on('data', (d) => client.handleDatagram(d));
 *   client.on('data', onAvRecord).on('error', onError).on('close', onClose);
 *   await client.handshake();
 *
 * Like any EventEmitter, an endpoint with no 'error' listener throws when a fatal error arrives.
 */
export * from './constants';
export * from './dtls-error';
export * from './psk';
export * from './prf';
export * from './cipher-suites';
export * from './record';
export * from './handshake';
export * from './handshake-reassembler';
export * from './replay-window';
export * from './dtls-endpoint';
export * from './dtls-client';
export * from './dtls-server';
export type { DtlsCrypto, EcdhGroup, EcdhKeyPair } from './crypto/dtls-crypto';
export { nodeCrypto } from './crypto/node-crypto';
// The pure-JS @noble provider is imported from ./crypto/noble-crypto by the tests, vectors and benchmarks that
// compare providers; from here it would load @noble into every process that speaks DTLS.
export { defaultCrypto, sodiumCrypto } from './crypto/sodium-crypto';
