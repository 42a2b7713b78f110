import { AlertDescription, DTLS_1_2, ExtensionType, HandshakeType, NamedGroup, RENEGOTIATION_SCSV } from './constants';
import { TLS_PSK_WITH_AES_128_CBC_SHA256 } from './cipher-suites';
import type { EcdhGroup, EcdhKeyPair } from './crypto/dtls-crypto';
import { DtlsEndpoint, type DtlsEndpointOptions } from './dtls-endpoint';
import { DtlsError } from './dtls-error';
import {
  encodeHelloVerifyRequest,
  encodeServerHello,
  encodeServerKeyExchange,
  parseClientHello,
  parseClientKeyExchange,
  parseSupportedGroups,
  type ClientHello,
  type Extension,
} from './handshake';
import type { HandshakeMessage } from './handshake-reassembler';
import { pskPremaster } from './prf';

export interface DtlsServerOptions extends DtlsEndpointOptions {
  /**
   * Answer the first ClientHello with a HelloVerifyRequest (RFC 6347 §4.2.1). Off by default: go2rtc's server
   * skips it (FACTS §7.3), and a TUTK channel already proves the peer's address.
   */
  cookies?: boolean;
  /** Groups we accept for ECDHE_PSK, in preference order. */
  groups?: number[];
}

type ServerExpect = 'client-hello' | 'client-key-exchange' | 'finished' | 'done';

/** DTLS 1.2 server (RFC 6347) for the PSK suites; what go2rtc runs on channel 1 for intercom (FACTS §7.3). */
export class DtlsServer extends DtlsEndpoint {
  readonly role = 'server';
  /** The psk_identity the client sent (not checked, as go2rtc does not, FACTS §7.1). */
  peerIdentity?: Uint8Array;
  private expect: ServerExpect = 'client-hello';
  private readonly cookies: boolean;
  private readonly cookieSecret: Uint8Array;
  private readonly groups: number[];
  private ecdhKey?: { group: EcdhGroup; pair: EcdhKeyPair };

  constructor(options: DtlsServerOptions) {
    super(options, [TLS_PSK_WITH_AES_128_CBC_SHA256]);
    this.cookies = options.cookies ?? false;
    this.cookieSecret = this.crypto.randomBytes(32);
    this.groups = options.groups ?? [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1];
  }

  protected begin(): void {}

  protected awaitingPeerFinished(): boolean {
    return this.expect === 'finished';
  }

  protected onHandshakeMessage(m: HandshakeMessage): void {
    switch (this.expect) {
      case 'client-hello':
        return m.msgType === HandshakeType.ClientHello ? this.onClientHello(m) : this.unexpected(m, 'ClientHello');
      case 'client-key-exchange':
        return m.msgType === HandshakeType.ClientKeyExchange ? this.onClientKeyExchange(m) : this.unexpected(m, 'ClientKeyExchange');
      case 'finished':
        return m.msgType === HandshakeType.Finished ? this.onFinished(m) : this.unexpected(m, 'Finished');
      case 'done':
        return;
    }
  }

  private cookieFor(ch: ClientHello): Uint8Array {
    return this.crypto.hmacSha256(this.cookieSecret, ch.random).subarray(0, 20);
  }

  private onClientHello(m: HandshakeMessage): void {
    const ch = this.parse('ClientHello', () => parseClientHello(m.body));
    if (!ch) return;
    if (this.cookies) {
      const want = this.cookieFor(ch);
      if (!DtlsEndpoint.sameBytes(ch.cookie, want)) {
        // Stateless answer: not part of the transcript (RFC 6347 §4.2.6), and the client retransmits, not us.
        this.peerFlightEnd = m.messageSeq;
        const hvr = encodeHelloVerifyRequest({ serverVersion: DTLS_1_2, cookie: want });
        this.sendFlight([this.untrackedMessage(HandshakeType.HelloVerifyRequest, hvr)], false);
        return;
      }
    }
    if (ch.clientVersion !== DTLS_1_2) {
      return this.fail(new DtlsError('unsupported', `client offers version ${ch.clientVersion.toString(16)}`), AlertDescription.ProtocolVersion);
    }
    const suite = this.suites.find((s) => ch.cipherSuites.includes(s.id));
    if (!suite) {
      return this.fail(new DtlsError('unsupported', `no common cipher suite in ${ch.cipherSuites.map((s) => s.toString(16)).join(',')}`), AlertDescription.HandshakeFailure);
    }
    if (!ch.compressionMethods.includes(0)) {
      return this.fail(new DtlsError('unsupported', 'client does not offer null compression'), AlertDescription.HandshakeFailure);
    }
    const ext = (t: number) => ch.extensions.find((e) => e.type === t);
    if (suite.keyExchange === 'ecdhe_psk') {
      const sg = ext(ExtensionType.SupportedGroups);
      // No supported_groups means the client takes any group (RFC 8422 §4).
      const offered = sg ? this.parse('supported_groups', () => parseSupportedGroups(sg.data)) : this.groups;
      if (!offered) return;
      const group = this.groups.find((g) => offered.includes(g));
      if (group === undefined) return this.fail(new DtlsError('unsupported', 'no common ECDHE group'), AlertDescription.HandshakeFailure);
      this.ecdhKey = { group: group as EcdhGroup, pair: this.crypto.ecdhGenerate(group as EcdhGroup) };
    }
    const ri = ext(ExtensionType.RenegotiationInfo);
    if (ri && (ri.data.length !== 1 || ri.data[0] !== 0)) {
      return this.fail(new DtlsError('protocol', 'non-empty renegotiation_info in an initial handshake'), AlertDescription.HandshakeFailure);
    }

    this.suite = suite;
    this.clientRandom = Uint8Array.from(ch.random);
    const random = this.crypto.randomBytes(32);
    const t = Math.floor(Date.now() / 1000);
    random[0] = t >>> 24;
    random[1] = (t >>> 16) & 0xff;
    random[2] = (t >>> 8) & 0xff;
    random[3] = t & 0xff;
    this.serverRandom = random;
    this.addToTranscript(m.msgType, m.messageSeq, m.body);
    this.peerFlightEnd = m.messageSeq;

    const extensions: Extension[] = [];
    // Secure renegotiation indication (RFC 5746 §3.6); OpenSSL clients refuse servers without it.
    if (ri || ch.cipherSuites.includes(RENEGOTIATION_SCSV)) extensions.push({ type: ExtensionType.RenegotiationInfo, data: Uint8Array.of(0) });
    if (suite.keyExchange === 'ecdhe_psk' && ext(ExtensionType.EcPointFormats)) {
      extensions.push({ type: ExtensionType.EcPointFormats, data: Uint8Array.of(1, 0) });
    }
    // extended_master_secret and encrypt_then_mac are deliberately not echoed, so neither is used (FACTS §7.3).
    const flight = [
      this.message(
        HandshakeType.ServerHello,
        encodeServerHello({ serverVersion: DTLS_1_2, random, sessionId: new Uint8Array(0), cipherSuite: suite.id, compressionMethod: 0, extensions }),
      ),
    ];
    if (this.ecdhKey) {
      flight.push(
        this.message(
          HandshakeType.ServerKeyExchange,
          encodeServerKeyExchange({ identityHint: this.identity, namedCurve: this.ecdhKey.group, publicKey: this.ecdhKey.pair.publicKey }),
        ),
      );
    } else if (this.identity.length > 0) {
      // Plain PSK sends ServerKeyExchange only to carry a hint (RFC 4279 §2).
      flight.push(this.message(HandshakeType.ServerKeyExchange, encodeServerKeyExchange({ identityHint: this.identity })));
    }
    flight.push(this.message(HandshakeType.ServerHelloDone, new Uint8Array(0)));
    this.expect = 'client-key-exchange';
    this.sendFlight(flight);
  }

  private onClientKeyExchange(m: HandshakeMessage): void {
    const suite = this.suite!;
    const cke = this.parse('ClientKeyExchange', () => parseClientKeyExchange(m.body, suite.keyExchange));
    if (!cke) return;
    this.peerIdentity = Uint8Array.from(cke.identity);
    let premaster: Uint8Array;
    if (this.ecdhKey) {
      let shared: Uint8Array;
      try {
        shared = this.crypto.ecdh(this.ecdhKey.group, this.ecdhKey.pair.privateKey, cke.publicKey!);
      } catch (e) {
        return this.fail(new DtlsError('protocol', `bad client ECDH key: ${(e as Error).message}`), AlertDescription.IllegalParameter);
      }
      premaster = pskPremaster(this.psk, shared);
    } else {
      premaster = pskPremaster(this.psk);
    }
    this.addToTranscript(m.msgType, m.messageSeq, m.body);
    this.deriveKeys(premaster);
    this.expect = 'finished';
  }

  private onFinished(m: HandshakeMessage): void {
    if (!DtlsEndpoint.sameBytes(m.body, this.verifyData('client'))) {
      return this.fail(new DtlsError('bad-psk', "the client's Finished does not verify: the PSKs differ"), AlertDescription.DecryptError);
    }
    this.addToTranscript(m.msgType, m.messageSeq, m.body);
    this.peerFlightEnd = m.messageSeq;
    const ccs = this.changeCipherSpec();
    const finished = this.message(HandshakeType.Finished, this.verifyData('server'), 1);
    this.sentFinished = true;
    this.expect = 'done';
    this.sendFlight([ccs, finished], false);
    this.connected(true);
  }
}
