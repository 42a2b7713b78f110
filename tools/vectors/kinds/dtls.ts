import {
  HandshakeType,
  NamedGroup,
  DTLS_1_2,
  cbcCipherWithFixedIv,
  chachaNonce,
  cipherSuite,
  clientHelloExtensions,
  encodeClientHello,
  encodeClientKeyExchange,
  encodeHandshake,
  encodeServerKeyExchange,
  finishedVerifyData,
  keyBlock,
  masterSecret,
  nodeCrypto,
  sodiumCrypto,
  parseClientHello,
  parseClientKeyExchange,
  parseServerKeyExchange,
  plaintextRecord,
  pskPremaster,
  tls12Prf,
  wyzePskFromEnr,
  type DtlsCrypto,
} from '../../../libs/tutk/src/dtls';
import { nobleCrypto } from '../../../libs/tutk/src/dtls/crypto/noble-crypto';
import { putRecordAad } from '../../../libs/tutk/src/dtls/record-header';
import { asciiBytes } from '../../../libs/tutk/src/wire/byte-reader';
import { expectEqual, hex, toHex, type Vector, type VectorKinds } from '../types';

/** Every crypto check runs on every provider (sodium where it loads), so none can drift from the vectors. */
const PROVIDERS: DtlsCrypto[] = [nodeCrypto, nobleCrypto, ...(sodiumCrypto ? [sodiumCrypto] : [])];
const str = (v: unknown) => String(v);
const num = (v: unknown) => Number(v);

function eachProvider(fn: (c: DtlsCrypto, tag: (f: string) => string) => void): void {
  for (const c of PROVIDERS) fn(c, (f) => `${f} [${c.name}]`);
}

export const kinds: VectorKinds = {
  psk(v: Vector) {
    eachProvider((c, t) => {
      const p = wyzePskFromEnr(str(v.inputs.enr), c);
      expectEqual(t('sha256'), v.expected.sha256, toHex(p.sha256));
      expectEqual(t('psk_length'), v.expected.psk_length, p.effectiveLength);
      expectEqual(t('psk'), v.expected.psk, toHex(p.psk));
    });
  },

  dtls_chacha_record(v) {
    const { key, iv, epoch, seq, content_type, plaintext } = v.inputs;
    const suite = cipherSuite(0xccac)!;
    eachProvider((c, t) => {
      expectEqual(t('nonce'), v.expected.nonce, toHex(chachaNonce(hex(iv), num(epoch), num(seq))));
      const aad = new Uint8Array(13);
      putRecordAad(aad, num(content_type), DTLS_1_2, num(epoch), num(seq), hex(plaintext).length);
      expectEqual(t('aad'), v.expected.aad, toHex(aad));
      const keys = { writeKey: hex(key), writeIv: hex(iv), readKey: hex(key), readIv: hex(iv), writeMacKey: new Uint8Array(0), readMacKey: new Uint8Array(0) };
      const cipher = suite.createCipher(c, keys);
      const record = cipher.seal(num(content_type), num(epoch), num(seq), hex(plaintext));
      expectEqual(t('record'), v.expected.record, toHex(record));
      const opened = cipher.open(num(content_type), DTLS_1_2, num(epoch), num(seq), record.subarray(13));
      expectEqual(t('decrypted'), plaintext, opened ? toHex(opened) : 'null');
      // The receive path's variant, which decrypts over the record's own bytes (a copy: it consumes them).
      const inPlace = cipher.open(num(content_type), DTLS_1_2, num(epoch), num(seq), record.slice(13), true);
      expectEqual(t('decrypted in place'), plaintext, inPlace ? toHex(inPlace) : 'null');
      record[record.length - 1] ^= 1;
      expectEqual(t('tampered record rejected'), 'null', String(cipher.open(num(content_type), DTLS_1_2, num(epoch), num(seq), record.subarray(13))));
    });
  },

  dtls_ecdhe_psk_premaster(v) {
    eachProvider((c, t) => {
      const client = c.ecdhFromPrivate(NamedGroup.X25519, hex(v.inputs.client_private));
      const server = c.ecdhFromPrivate(NamedGroup.X25519, hex(v.inputs.server_private));
      expectEqual(t('client_public'), v.expected.client_public, toHex(client.publicKey));
      expectEqual(t('server_public'), v.expected.server_public, toHex(server.publicKey));
      const shared = c.ecdh(NamedGroup.X25519, client.privateKey, server.publicKey);
      expectEqual(t('shared_secret'), v.expected.shared_secret, toHex(shared));
      expectEqual(t('shared_secret (server side)'), v.expected.shared_secret, toHex(c.ecdh(NamedGroup.X25519, server.privateKey, client.publicKey)));
      const psk = wyzePskFromEnr(str(v.inputs.enr), c).psk;
      expectEqual(t('psk'), v.expected.psk, toHex(psk));
      expectEqual(t('premaster'), v.expected.premaster, toHex(pskPremaster(psk, shared)));
    });
  },

  dtls_key_block_ccac(v) {
    const suite = cipherSuite(0xccac)!;
    eachProvider((c, t) => {
      const cr = hex(v.inputs.client_random);
      const sr = hex(v.inputs.server_random);
      const master = masterSecret(c, hex(v.inputs.premaster), cr, sr);
      expectEqual(t('master_secret'), v.expected.master_secret, toHex(master));
      const k = suite.trafficKeys(keyBlock(c, master, cr, sr, suite.keyBlockLength), 'client');
      expectEqual(t('client_write_key'), v.expected.client_write_key, toHex(k.writeKey));
      expectEqual(t('server_write_key'), v.expected.server_write_key, toHex(k.readKey));
      expectEqual(t('client_write_iv'), v.expected.client_write_iv, toHex(k.writeIv));
      expectEqual(t('server_write_iv'), v.expected.server_write_iv, toHex(k.readIv));
    });
  },

  dtls_finished(v) {
    const role = str(v.inputs.role);
    if (role !== 'client' && role !== 'server') throw new Error(`bad role ${role}`);
    eachProvider((c, t) => {
      const vd = finishedVerifyData(c, hex(v.inputs.master_secret), role, hex(v.inputs.handshake_hash));
      expectEqual(t('verify_data'), v.expected.verify_data, toHex(vd));
    });
  },

  dtls_psk_cbc_record(v) {
    const i = v.inputs;
    const suite = cipherSuite(0x00ae)!;
    const writer = str(i.writer);
    if (writer !== 'client' && writer !== 'server') throw new Error(`bad writer ${writer}`);
    eachProvider((c, t) => {
      const psk = wyzePskFromEnr(str(i.enr), c).psk;
      const premaster = pskPremaster(psk);
      expectEqual(t('premaster'), v.expected.premaster, toHex(premaster));
      const cr = hex(i.client_random);
      const sr = hex(i.server_random);
      const master = masterSecret(c, premaster, cr, sr);
      expectEqual(t('master_secret'), v.expected.master_secret, toHex(master));
      const kb = keyBlock(c, master, cr, sr, suite.keyBlockLength);
      const ck = suite.trafficKeys(kb, 'client');
      expectEqual(t('client_mac_key'), v.expected.client_mac_key, toHex(ck.writeMacKey));
      expectEqual(t('server_mac_key'), v.expected.server_mac_key, toHex(ck.readMacKey));
      expectEqual(t('client_write_key'), v.expected.client_write_key, toHex(ck.writeKey));
      expectEqual(t('server_write_key'), v.expected.server_write_key, toHex(ck.readKey));
      const writerKeys = suite.trafficKeys(kb, writer);
      const record = cbcCipherWithFixedIv(c, writerKeys, hex(i.explicit_iv)).seal(num(i.content_type), num(i.epoch), num(i.seq), hex(i.plaintext));
      expectEqual(t('record'), v.expected.record, toHex(record));
      // The other side reads it back with its own (reversed) key assignment.
      const reader = suite.createCipher(c, suite.trafficKeys(kb, writer === 'server' ? 'client' : 'server'));
      const opened = reader.open(num(i.content_type), DTLS_1_2, num(i.epoch), num(i.seq), record.subarray(13));
      expectEqual(t('decrypted'), i.plaintext, opened ? toHex(opened) : 'null');
    });
  },

  tls12_prf(v) {
    eachProvider((c, t) => {
      const out = tls12Prf(c, hex(v.inputs.secret), asciiBytes(str(v.inputs.label)), hex(v.inputs.seed), num(v.inputs.length));
      expectEqual(t('output'), v.expected.output, toHex(out));
    });
  },

  dtls_client_hello(v) {
    const body = encodeClientHello({
      clientVersion: DTLS_1_2,
      random: hex(v.inputs.random),
      sessionId: new Uint8Array(0),
      cookie: hex(v.inputs.cookie),
      cipherSuites: [0xccac],
      compressionMethods: Uint8Array.of(0),
      extensions: clientHelloExtensions(),
    });
    const msg = encodeHandshake(HandshakeType.ClientHello, num(v.inputs.message_seq), body);
    expectEqual('handshake_message', v.expected.handshake_message, toHex(msg));
    expectEqual('record', v.expected.record, toHex(plaintextRecord(22, DTLS_1_2, 0, num(v.inputs.record_seq), msg)));
    const back = parseClientHello(body);
    expectEqual('parsed cookie', v.inputs.cookie, toHex(back.cookie));
    expectEqual('parsed suites', [0xccac], back.cipherSuites);
  },

  dtls_server_key_exchange(v) {
    const ske = { identityHint: asciiBytes(str(v.inputs.identity_hint)), namedCurve: NamedGroup.X25519, publicKey: hex(v.inputs.server_public) };
    const body = encodeServerKeyExchange(ske);
    expectEqual('body', v.expected.body, toHex(body));
    expectEqual('handshake_message', v.expected.handshake_message, toHex(encodeHandshake(HandshakeType.ServerKeyExchange, num(v.inputs.message_seq), body)));
    const back = parseServerKeyExchange(body, 'ecdhe_psk');
    expectEqual('parsed public', v.inputs.server_public, toHex(back.publicKey!));
  },

  dtls_client_key_exchange(v) {
    const body = encodeClientKeyExchange({ identity: asciiBytes(str(v.inputs.identity)), publicKey: hex(v.inputs.client_public) });
    expectEqual('body', v.expected.body, toHex(body));
    expectEqual('handshake_message', v.expected.handshake_message, toHex(encodeHandshake(HandshakeType.ClientKeyExchange, num(v.inputs.message_seq), body)));
    const back = parseClientKeyExchange(body, 'ecdhe_psk');
    expectEqual('parsed identity', v.inputs.identity, Buffer.from(back.identity).toString('latin1'));
  },
};
