import { ExtensionType, DTLS_1_0, DTLS_1_2, HandshakeType, NamedGroup, AlertDescription } from './constants';
import { TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 } from './cipher-suites';
import type { EcdhGroup, EcdhKeyPair } from './crypto/dtls-crypto';
import { DtlsEndpoint, type DtlsEndpointOptions, type FlightItem } from './dtls-endpoint';
import { DtlsError } from './dtls-error';
import {
  DEFAULT_GROUPS,
  clientHelloExtensions,
  encodeClientHello,
  encodeClientKeyExchange,
  parseHelloVerifyRequest,
  parseServerHello,
  parseServerKeyExchange,
  type HandshakeFragment,
} from './handshake';
import type { HandshakeMessage } from './handshake-reassembler';
import { pskPremaster } from './prf';

export interface DtlsClientOptions extends DtlsEndpointOptions {
  /** supported_groups offered, in order; default x25519, secp256r1, secp384r1 as pion (FACTS §7.2). */
  groups?: number[];
}

type ClientExpect = 'server-hello' | 'server-key-exchange' | 'server-hello-done' | 'finished' | 'done';

const KNOWN_GROUPS = new Set<number>([NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1]);

/** DTLS 1.2 client (RFC 6347) for the PSK suites; what go2rtc runs on channel 0 (FACTS §7.2). */
export class DtlsClient extends DtlsEndpoint {
  readonly role = 'client';
  private readonly groups: number[];
  private expect: ClientExpect = 'server-hello';
  private cookie = new Uint8Array(0);
  private peerGroup?: EcdhGroup;
  private peerPublic?: Uint8Array;
  /** The first ClientHello, once built (prepare() or start()). */
  private firstHello?: FlightItem;
  /** Our ECDHE key pair for the first group offered, made ahead of the server's choice (prepare()). */
  private ownKeyPair?: { group: EcdhGroup; keyPair: EcdhKeyPair };

  constructor(options: DtlsClientOptions) {
    super(options, [TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256]);
    this.groups = options.groups ?? [...DEFAULT_GROUPS];
    for (const g of this.groups) if (!KNOWN_GROUPS.has(g)) throw new TypeError(`unsupported group 0x${g.toString(16)}`);
  }

  /**
   * Does ahead of start() the work that needs nothing from the server: the ClientHello and an ECDHE key pair
   * for the first group offered (x25519; FACTS §7.2: cameras choose it). A caller runs this while it waits
   * for the network (the session does so during discovery), so that neither costs time once the camera is
   * ready for DTLS. Sends nothing and starts no timer; start() does the same work itself when not done.
   */
  prepare(): void {
    if (this.state === 'idle') this.buildFirstHello();
  }

  protected begin(): void {
    this.buildFirstHello();
    this.sendFlight([this.firstHello!]);
  }

  private buildFirstHello(): void {
    if (this.firstHello) return;
    // gmt_unix_time then 28 random bytes (RFC 5246 §7.4.1.2), kept across a HelloVerifyRequest.
    const random = this.crypto.randomBytes(32);
    const t = Math.floor(Date.now() / 1000);
    random[0] = t >>> 24;
    random[1] = (t >>> 16) & 0xff;
    random[2] = (t >>> 8) & 0xff;
    random[3] = t & 0xff;
    this.clientRandom = random;
    this.firstHello = this.clientHello();
    if (this.suites.some((s) => s.keyExchange === 'ecdhe_psk')) {
      const group = this.groups[0] as EcdhGroup;
      this.ownKeyPair = { group, keyPair: this.crypto.ecdhGenerate(group) };
    }
  }

  private sendClientHello(): void {
    this.sendFlight([this.clientHello()]);
  }

  private clientHello(): FlightItem {
    const body = encodeClientHello({
      clientVersion: DTLS_1_2,
      random: this.clientRandom!,
      sessionId: new Uint8Array(0),
      cookie: this.cookie,
      cipherSuites: this.suites.map((s) => s.id),
      compressionMethods: Uint8Array.of(0),
      extensions: clientHelloExtensions(this.groups),
    });
    return this.message(HandshakeType.ClientHello, body);
  }

  /** RFC 6347 §4.2.1: answer with the same ClientHello plus the cookie; the transcript starts again there. */
  protected override onHelloVerifyFragment(f: HandshakeFragment): boolean {
    if (this.expect !== 'server-hello') return true;
    if (f.fragmentOffset !== 0 || f.fragment.length !== f.length) return true;
    const hvr = this.parse('HelloVerifyRequest', () => parseHelloVerifyRequest(f.fragment));
    if (!hvr) return true;
    // Either version may appear here (RFC 6347 §4.2.1); pion takes both (FACTS §7.2).
    if (hvr.serverVersion !== DTLS_1_2 && hvr.serverVersion !== DTLS_1_0) {
      this.fail(new DtlsError('protocol', `HelloVerifyRequest version ${hvr.serverVersion.toString(16)}`), AlertDescription.ProtocolVersion);
      return true;
    }
    // A repeat of the request we already answered (our first ClientHello went out twice): the timer covers it.
    if (this.sendMessageSeq > 1 && hvr.cookie.length === this.cookie.length && hvr.cookie.every((b, i) => b === this.cookie[i])) return true;
    this.cookie = Uint8Array.from(hvr.cookie);
    this.resetTranscript();
    this.reassembler.reset(f.messageSeq + 1);
    // A stateless server may number its ServerHello records from where its HelloVerifyRequest did.
    this.replay[0].reset();
    this.sendClientHello();
    return true;
  }

  protected awaitingPeerFinished(): boolean {
    return this.expect === 'finished';
  }

  protected onHandshakeMessage(m: HandshakeMessage): void {
    switch (this.expect) {
      case 'server-hello':
        return m.msgType === HandshakeType.ServerHello ? this.onServerHello(m) : this.unexpected(m, 'ServerHello');
      case 'server-key-exchange':
      case 'server-hello-done':
        if (m.msgType === HandshakeType.ServerKeyExchange && this.expect === 'server-key-exchange') return this.onServerKeyExchange(m);
        if (m.msgType === HandshakeType.ServerHelloDone) return this.onServerHelloDone(m);
        return this.unexpected(m, 'ServerKeyExchange or ServerHelloDone');
      case 'finished':
        return m.msgType === HandshakeType.Finished ? this.onFinished(m) : this.unexpected(m, 'Finished');
      case 'done':
        return;
    }
  }

  private onServerHello(m: HandshakeMessage): void {
    const sh = this.parse('ServerHello', () => parseServerHello(m.body));
    if (!sh) return;
    if (sh.serverVersion !== DTLS_1_2) {
      return this.fail(new DtlsError('unsupported', `server chose version ${sh.serverVersion.toString(16)}`), AlertDescription.ProtocolVersion);
    }
    const suite = this.suites.find((s) => s.id === sh.cipherSuite);
    if (!suite) {
      return this.fail(new DtlsError('protocol', `server chose suite 0x${sh.cipherSuite.toString(16)} we did not offer`), AlertDescription.IllegalParameter);
    }
    if (sh.compressionMethod !== 0) {
      return this.fail(new DtlsError('protocol', `server chose compression ${sh.compressionMethod}`), AlertDescription.IllegalParameter);
    }
    const ri = sh.extensions.find((e) => e.type === ExtensionType.RenegotiationInfo);
    // An initial handshake has an empty renegotiated_connection (RFC 5746 §3.4).
    if (ri && (ri.data.length !== 1 || ri.data[0] !== 0)) {
      return this.fail(new DtlsError('protocol', 'non-empty renegotiation_info in an initial handshake'), AlertDescription.HandshakeFailure);
    }
    this.suite = suite;
    this.serverRandom = Uint8Array.from(sh.random);
    this.addToTranscript(m.msgType, m.messageSeq, m.body);
    this.expect = 'server-key-exchange';
  }

  private onServerKeyExchange(m: HandshakeMessage): void {
    const suite = this.suite!;
    const ske = this.parse('ServerKeyExchange', () => parseServerKeyExchange(m.body, suite.keyExchange));
    if (!ske) return;
    // The identity hint is ignored, as go2rtc does (FACTS §7.1).
    if (suite.keyExchange === 'ecdhe_psk') {
      if (!this.groups.includes(ske.namedCurve!)) {
        return this.fail(new DtlsError('protocol', `server chose group 0x${ske.namedCurve!.toString(16)} we did not offer`), AlertDescription.IllegalParameter);
      }
      this.peerGroup = ske.namedCurve as EcdhGroup;
      this.peerPublic = Uint8Array.from(ske.publicKey!);
    }
    this.addToTranscript(m.msgType, m.messageSeq, m.body);
    this.expect = 'server-hello-done';
  }

  private onServerHelloDone(m: HandshakeMessage): void {
    const suite = this.suite!;
    if (m.body.length !== 0) return this.fail(new DtlsError('protocol', 'ServerHelloDone with a body'), AlertDescription.DecodeError);
    if (suite.keyExchange === 'ecdhe_psk' && !this.peerPublic) return this.unexpected(m, 'ServerKeyExchange');
    this.addToTranscript(m.msgType, m.messageSeq, m.body);
    this.peerFlightEnd = m.messageSeq;

    let premaster: Uint8Array;
    let publicKey: Uint8Array | undefined;
    if (suite.keyExchange === 'ecdhe_psk') {
      const kp = this.ownKeyPair?.group === this.peerGroup ? this.ownKeyPair!.keyPair : this.crypto.ecdhGenerate(this.peerGroup!);
      this.ownKeyPair = undefined;
      let shared: Uint8Array;
      try {
        shared = this.crypto.ecdh(this.peerGroup!, kp.privateKey, this.peerPublic!);
      } catch (e) {
        return this.fail(new DtlsError('protocol', `bad server ECDH key: ${(e as Error).message}`), AlertDescription.IllegalParameter);
      }
      premaster = pskPremaster(this.psk, shared);
      publicKey = kp.publicKey;
    } else {
      premaster = pskPremaster(this.psk);
    }
    const cke = this.message(HandshakeType.ClientKeyExchange, encodeClientKeyExchange({ identity: this.identity, publicKey }));
    this.deriveKeys(premaster);
    const ccs = this.changeCipherSpec();
    const finished = this.message(HandshakeType.Finished, this.verifyData('client'), 1);
    this.expect = 'finished';
    this.sentFinished = true;
    this.sendFlight([cke, ccs, finished]);
  }

  private onFinished(m: HandshakeMessage): void {
    if (!DtlsEndpoint.sameBytes(m.body, this.verifyData('server'))) {
      return this.fail(new DtlsError('bad-psk', "the server's Finished does not verify: the PSKs differ"), AlertDescription.DecryptError);
    }
    this.expect = 'done';
    this.connected(false);
  }
}
