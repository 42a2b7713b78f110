import { concatBytes } from '@wyze-nvr/bytes';
import { ByteReader, putU16be } from '../wire/byte-reader';
import { TutkParseError } from '../wire/parse-error';
import { EC_CURVE_TYPE_NAMED, ExtensionType, HANDSHAKE_HEADER_LENGTH, HandshakeType, NamedGroup } from './constants';

/** Handshake messages we accept are small (no certificates); anything larger is refused before allocating. */
export const MAX_HANDSHAKE_MESSAGE = 16384;

/** One handshake fragment as it sits in a record (RFC 6347 §4.2.2). */
export interface HandshakeFragment {
  msgType: number;
  /** Length of the whole message body */
  length: number;
  messageSeq: number;
  fragmentOffset: number;
  /** A view into the record, not a copy */
  fragment: Uint8Array;
}

export function readHandshakeFragment(r: ByteReader): HandshakeFragment {
  const msgType = r.u8(); // msg_type
  const length = r.u24be(); // length
  const messageSeq = r.u16be(); // message_seq
  const fragmentOffset = r.u24be(); // fragment_offset
  const fragmentLength = r.u24be(); // fragment_length
  if (length > MAX_HANDSHAKE_MESSAGE) throw new TutkParseError('dtls', 'handshake-too-long', String(length));
  if (fragmentOffset + fragmentLength > length) throw new TutkParseError('dtls', 'bad-fragment', `${fragmentOffset}+${fragmentLength}>${length}`);
  const fragment = r.take(fragmentLength, 'handshake fragment'); // body
  return { msgType, length, messageSeq, fragmentOffset, fragment };
}

/** Every handshake fragment packed into one record's plaintext. */
export function parseHandshakeFragments(payload: Uint8Array): HandshakeFragment[] {
  const r = new ByteReader(payload, 'dtls');
  const out: HandshakeFragment[] = [];
  while (r.remaining > 0) out.push(readHandshakeFragment(r));
  return out;
}

function putU24be(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 16) & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = v & 0xff;
}

/** A fragment of a handshake message: 12-byte header then `length` bytes of body from `offset`. */
export function encodeHandshakeFragment(msgType: number, messageSeq: number, body: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(HANDSHAKE_HEADER_LENGTH + length);
  out[0] = msgType; // msg_type
  putU24be(out, 1, body.length); // length
  putU16be(out, 4, messageSeq); // message_seq
  putU24be(out, 6, offset); // fragment_offset
  putU24be(out, 9, length); // fragment_length
  out.set(body.subarray(offset, offset + length), HANDSHAKE_HEADER_LENGTH);
  return out;
}

/** The whole message as one fragment: the form sent when it fits, and the form hashed for Finished (RFC 6347 §4.2.6). */
export function encodeHandshake(msgType: number, messageSeq: number, body: Uint8Array): Uint8Array {
  return encodeHandshakeFragment(msgType, messageSeq, body, 0, body.length);
}

// --- small writers for the message bodies below ---

const u8v = (v: number) => Uint8Array.of(v);
const u16v = (v: number) => Uint8Array.of(v >>> 8, v & 0xff);
const vec8 = (b: Uint8Array) => concatBytes(u8v(b.length), b);
const vec16 = (b: Uint8Array) => concatBytes(u16v(b.length), b);
const u16list = (vs: readonly number[]) => concatBytes(...vs.map(u16v));

function readVec8(r: ByteReader, what: string, max = 255): Uint8Array {
  const n = r.u8();
  if (n > max) throw new TutkParseError('dtls', 'bad-length', `${what} ${n}`);
  return r.take(n, what);
}
function readVec16(r: ByteReader, what: string): Uint8Array {
  return r.take(r.u16be(), what);
}
function readU16List(b: Uint8Array, what: string): number[] {
  if (b.length % 2 !== 0) throw new TutkParseError('dtls', 'bad-length', `${what} odd`);
  const out: number[] = [];
  for (let i = 0; i < b.length; i += 2) out.push((b[i] << 8) | b[i + 1]);
  return out;
}
function expectEnd(r: ByteReader, what: string): void {
  if (r.remaining !== 0) throw new TutkParseError('dtls', 'trailing-bytes', `${what}: ${r.remaining}`);
}

// --- extensions (RFC 5246 §7.4.1.4) ---

export interface Extension {
  type: number;
  data: Uint8Array;
}

export function encodeExtensions(exts: readonly Extension[]): Uint8Array {
  return vec16(concatBytes(...exts.map((e) => concatBytes(u16v(e.type), vec16(e.data)))));
}

/** The optional extensions block that ends a hello: absent → []. */
function readExtensions(r: ByteReader): Extension[] {
  if (r.remaining === 0) return [];
  const block = new ByteReader(readVec16(r, 'extensions'), 'dtls');
  const out: Extension[] = [];
  while (block.remaining > 0) {
    const type = block.u16be(); // extension_type
    const data = readVec16(block, 'extension_data'); // extension_data
    if (out.some((e) => e.type === type)) throw new TutkParseError('dtls', 'duplicate-extension', type.toString(16));
    out.push({ type, data });
  }
  return out;
}

/** The groups of a supported_groups extension body (RFC 8422 §5.1.1). */
export function parseSupportedGroups(data: Uint8Array): number[] {
  const r = new ByteReader(data, 'dtls');
  const list = readU16List(readVec16(r, 'named_group_list'), 'named_group_list');
  expectEnd(r, 'supported_groups');
  return list;
}

/** Signature algorithms pion offers (FACTS §7.2), though no PSK suite signs anything. */
const PION_SIGNATURE_ALGORITHMS = [0x0403, 0x0503, 0x0603, 0x0401, 0x0501, 0x0601, 0x0807];
export const DEFAULT_GROUPS: readonly number[] = [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1];

/** The ClientHello extensions in pion v3's order, without extended_master_secret (FACTS §7.2). */
export function clientHelloExtensions(groups: readonly number[] = DEFAULT_GROUPS): Extension[] {
  return [
    { type: ExtensionType.SignatureAlgorithms, data: vec16(u16list(PION_SIGNATURE_ALGORITHMS)) },
    // Empty renegotiated_connection: an initial handshake (RFC 5746 §3.4).
    { type: ExtensionType.RenegotiationInfo, data: vec8(new Uint8Array(0)) },
    { type: ExtensionType.SupportedGroups, data: vec16(u16list(groups)) },
    // uncompressed only (RFC 8422 §5.1.2)
    { type: ExtensionType.EcPointFormats, data: vec8(u8v(0)) },
  ];
}

// --- ClientHello (RFC 6347 §4.2.1, RFC 5246 §7.4.1.2) ---

export interface ClientHello {
  clientVersion: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cookie: Uint8Array;
  cipherSuites: number[];
  compressionMethods: Uint8Array;
  extensions: Extension[];
}

export function encodeClientHello(ch: ClientHello): Uint8Array {
  return concatBytes(
    u16v(ch.clientVersion), // client_version
    ch.random, // random
    vec8(ch.sessionId), // session_id
    vec8(ch.cookie), // cookie
    vec16(u16list(ch.cipherSuites)), // cipher_suites
    vec8(ch.compressionMethods), // compression_methods
    ch.extensions.length ? encodeExtensions(ch.extensions) : new Uint8Array(0), // extensions
  );
}

export function parseClientHello(body: Uint8Array): ClientHello {
  const r = new ByteReader(body, 'dtls');
  const clientVersion = r.u16be();
  const random = r.take(32, 'random');
  const sessionId = readVec8(r, 'session_id', 32);
  const cookie = readVec8(r, 'cookie');
  const cipherSuites = readU16List(readVec16(r, 'cipher_suites'), 'cipher_suites');
  const compressionMethods = readVec8(r, 'compression_methods');
  if (cipherSuites.length === 0 || compressionMethods.length === 0) throw new TutkParseError('dtls', 'empty-list', 'client_hello');
  const extensions = readExtensions(r);
  expectEnd(r, 'client_hello');
  return { clientVersion, random, sessionId, cookie, cipherSuites, compressionMethods, extensions };
}

// --- HelloVerifyRequest (RFC 6347 §4.2.1) ---

export interface HelloVerifyRequest {
  serverVersion: number;
  cookie: Uint8Array;
}

export function encodeHelloVerifyRequest(h: HelloVerifyRequest): Uint8Array {
  return concatBytes(u16v(h.serverVersion), vec8(h.cookie));
}

export function parseHelloVerifyRequest(body: Uint8Array): HelloVerifyRequest {
  const r = new ByteReader(body, 'dtls');
  const serverVersion = r.u16be(); // server_version
  const cookie = readVec8(r, 'cookie'); // cookie<0..2^8-1>
  expectEnd(r, 'hello_verify_request');
  return { serverVersion, cookie };
}

// --- ServerHello (RFC 5246 §7.4.1.3) ---

export interface ServerHello {
  serverVersion: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuite: number;
  compressionMethod: number;
  extensions: Extension[];
}

export function encodeServerHello(sh: ServerHello): Uint8Array {
  return concatBytes(
    u16v(sh.serverVersion), // server_version
    sh.random, // random
    vec8(sh.sessionId), // session_id
    u16v(sh.cipherSuite), // cipher_suite
    u8v(sh.compressionMethod), // compression_method
    sh.extensions.length ? encodeExtensions(sh.extensions) : new Uint8Array(0), // extensions
  );
}

export function parseServerHello(body: Uint8Array): ServerHello {
  const r = new ByteReader(body, 'dtls');
  const serverVersion = r.u16be();
  const random = r.take(32, 'random');
  const sessionId = readVec8(r, 'session_id', 32);
  const cipherSuite = r.u16be();
  const compressionMethod = r.u8();
  const extensions = readExtensions(r);
  expectEnd(r, 'server_hello');
  return { serverVersion, random, sessionId, cipherSuite, compressionMethod, extensions };
}

// --- ServerKeyExchange (RFC 4279 §2, RFC 5489 §2) ---

export interface ServerKeyExchange {
  identityHint: Uint8Array;
  /** ECDHE_PSK only */
  namedCurve?: number;
  publicKey?: Uint8Array;
}

export function encodeServerKeyExchange(ske: ServerKeyExchange): Uint8Array {
  const hint = vec16(ske.identityHint); // psk_identity_hint
  if (ske.publicKey === undefined) return hint;
  return concatBytes(
    hint,
    u8v(EC_CURVE_TYPE_NAMED), // curve_type
    u16v(ske.namedCurve ?? NamedGroup.X25519), // namedcurve
    vec8(ske.publicKey), // public (ECPoint)
  );
}

export function parseServerKeyExchange(body: Uint8Array, keyExchange: 'ecdhe_psk' | 'psk'): ServerKeyExchange {
  const r = new ByteReader(body, 'dtls');
  const identityHint = readVec16(r, 'psk_identity_hint');
  if (keyExchange === 'psk') {
    expectEnd(r, 'server_key_exchange');
    return { identityHint };
  }
  const curveType = r.u8();
  if (curveType !== EC_CURVE_TYPE_NAMED) throw new TutkParseError('dtls', 'bad-curve-type', String(curveType));
  const namedCurve = r.u16be();
  const publicKey = readVec8(r, 'ec_point');
  if (publicKey.length === 0) throw new TutkParseError('dtls', 'empty-list', 'ec_point');
  // ECDHE_PSK has no signature (RFC 5489 §2), so nothing may follow.
  expectEnd(r, 'server_key_exchange');
  return { identityHint, namedCurve, publicKey };
}

// --- ClientKeyExchange (RFC 4279 §2, RFC 5489 §2) ---

export interface ClientKeyExchange {
  identity: Uint8Array;
  /** ECDHE_PSK only */
  publicKey?: Uint8Array;
}

export function encodeClientKeyExchange(cke: ClientKeyExchange): Uint8Array {
  const id = vec16(cke.identity); // psk_identity
  return cke.publicKey === undefined ? id : concatBytes(id, vec8(cke.publicKey)); // ecdh_Yc
}

export function parseClientKeyExchange(body: Uint8Array, keyExchange: 'ecdhe_psk' | 'psk'): ClientKeyExchange {
  const r = new ByteReader(body, 'dtls');
  const identity = readVec16(r, 'psk_identity');
  if (keyExchange === 'psk') {
    expectEnd(r, 'client_key_exchange');
    return { identity };
  }
  const publicKey = readVec8(r, 'ec_point');
  if (publicKey.length === 0) throw new TutkParseError('dtls', 'empty-list', 'ec_point');
  expectEnd(r, 'client_key_exchange');
  return { identity, publicKey };
}

/** Parses one whole handshake body by type, for the fuzz test and for logging; the endpoint calls the typed parsers. */
export function parseHandshakeBody(msgType: number, body: Uint8Array): unknown {
  switch (msgType) {
    case HandshakeType.ClientHello:
      return parseClientHello(body);
    case HandshakeType.ServerHello:
      return parseServerHello(body);
    case HandshakeType.HelloVerifyRequest:
      return parseHelloVerifyRequest(body);
    case HandshakeType.ServerKeyExchange:
      return parseServerKeyExchange(body, body.length > 2 && body.length - 2 > ((body[0] << 8) | body[1]) ? 'ecdhe_psk' : 'psk');
    case HandshakeType.ClientKeyExchange:
      return parseClientKeyExchange(body, body.length > 2 && body.length - 2 > ((body[0] << 8) | body[1]) ? 'ecdhe_psk' : 'psk');
    default:
      return body;
  }
}
