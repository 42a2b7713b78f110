/** DTLS 1.2 protocol numbers (RFC 6347, RFC 5246 §A, RFC 4492, RFC 7905). */

/** ProtocolVersion on the wire is the one's complement of {1, 2}: DTLS 1.2 = fe fd, DTLS 1.0 = fe ff (RFC 6347 §4.1). */
export const DTLS_1_2 = 0xfefd;
export const DTLS_1_0 = 0xfeff;

/** ContentType (RFC 5246 §6.2.1). */
export const enum ContentType {
  ChangeCipherSpec = 20,
  Alert = 21,
  Handshake = 22,
  ApplicationData = 23,
}

/** HandshakeType (RFC 5246 §7.4, RFC 6347 §4.3.2). */
export const enum HandshakeType {
  HelloRequest = 0,
  ClientHello = 1,
  ServerHello = 2,
  HelloVerifyRequest = 3,
  Certificate = 11,
  ServerKeyExchange = 12,
  CertificateRequest = 13,
  ServerHelloDone = 14,
  CertificateVerify = 15,
  ClientKeyExchange = 16,
  Finished = 20,
}

export const enum AlertLevel {
  Warning = 1,
  Fatal = 2,
}

/** AlertDescription (RFC 5246 §7.2, RFC 4279 §2). */
export const enum AlertDescription {
  CloseNotify = 0,
  UnexpectedMessage = 10,
  BadRecordMac = 20,
  RecordOverflow = 22,
  HandshakeFailure = 40,
  IllegalParameter = 47,
  DecodeError = 50,
  DecryptError = 51,
  ProtocolVersion = 70,
  InsufficientSecurity = 71,
  InternalError = 80,
  NoRenegotiation = 100,
  UnsupportedExtension = 110,
  UnknownPskIdentity = 115,
}

const ALERT_NAMES: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  40: 'handshake_failure',
  42: 'bad_certificate',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  90: 'user_canceled',
  100: 'no_renegotiation',
  110: 'unsupported_extension',
  115: 'unknown_psk_identity',
};
export const alertName = (d: number): string => ALERT_NAMES[d] ?? `alert_${d}`;

/** ExtensionType values we send or act on. */
export const enum ExtensionType {
  SupportedGroups = 0x000a,
  EcPointFormats = 0x000b,
  SignatureAlgorithms = 0x000d,
  EncryptThenMac = 0x0016,
  ExtendedMasterSecret = 0x0017,
  RenegotiationInfo = 0xff01,
}

/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 §3.3). */
export const RENEGOTIATION_SCSV = 0x00ff;

/** NamedGroup (RFC 8422 §5.1.1). */
export const enum NamedGroup {
  Secp256r1 = 0x0017,
  Secp384r1 = 0x0018,
  X25519 = 0x001d,
}

/** ECCurveType named_curve (RFC 4492 §5.4). */
export const EC_CURVE_TYPE_NAMED = 3;

export const RECORD_HEADER_LENGTH = 13;
export const HANDSHAKE_HEADER_LENGTH = 12;
/** 2^14, the largest plaintext a record may carry (RFC 5246 §6.2.1). */
export const MAX_PLAINTEXT = 16384;
/** Length of the Finished verify_data for every TLS 1.2 suite we know (RFC 5246 §7.4.9). */
export const VERIFY_DATA_LENGTH = 12;
