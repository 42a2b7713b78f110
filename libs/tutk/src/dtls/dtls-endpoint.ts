import { EventEmitter } from 'node:events';
import { TutkParseError } from '../wire/parse-error';
import { AlertDescription, AlertLevel, ContentType, DTLS_1_2, HandshakeType, MAX_PLAINTEXT } from './constants';
import { CIPHER_SUITES, type CipherSuite, type RecordCipher } from './cipher-suites';
import type { DtlsCrypto } from './crypto/dtls-crypto';
import { defaultCrypto } from './crypto/sodium-crypto';
import { DtlsError } from './dtls-error';
import { Flight, type FlightItem } from './flight';
import { encodeHandshake, parseHandshakeFragments, type HandshakeFragment } from './handshake';
import { HandshakeReassembler, type HandshakeMessage } from './handshake-reassembler';
import { finishedVerifyData, keyBlock, masterSecret } from './prf';
import { WYZE_PSK_IDENTITY } from './psk';
import { plaintextRecord, readRecordAt, type DtlsRecord } from './record';
import { ReplayWindow } from './replay-window';

export interface DtlsEndpointOptions {
  /** Called with every datagram to put on the wire (UDP, or a TUTK channel wrapper). */
  send: (datagram: Uint8Array) => void;
  /** The PSK, derived from the ENR by deriveCameraKeys or wyzePskFromEnr (FACTS §7.1). */
  psk: Uint8Array;
  /** Client: the psk_identity sent. Server: the identity hint sent. Default `AUTHPWD_admin`. */
  identity?: string;
  /** Cipher suite ids in preference order (see CIPHER_SUITES). */
  suites?: number[];
  /** Whole-handshake limit; default 5000 ms as go2rtc (FACTS §7.2). */
  handshakeTimeoutMs?: number;
  /** Largest datagram sent during the handshake; default 1200 as pion (FACTS §7.2). */
  mtu?: number;
  /** First retransmission delay, doubled after each one up to `retransmitMaxMs` (RFC 6347 §4.2.4.1: 1 s and 60 s). */
  retransmitInitialMs?: number;
  retransmitMaxMs?: number;
  /** Default: libsodium's AEAD over node:crypto where sodium-native loads, else node:crypto (defaultCrypto). */
  crypto?: DtlsCrypto;
  /**
   * handleDatagram() may decrypt records over the datagram's own bytes. Only for callers that hand over each
   * datagram and never read it again (a socket's receive buffers); saves an allocation per record.
   */
  decryptInPlace?: boolean;
}

export type DtlsEndpointState = 'idle' | 'handshaking' | 'connected' | 'closed';

export interface DtlsAlertEvent {
  level: number;
  description: number;
}

export interface DtlsEvents {
  connected: [];
  /** One decrypted application_data record. */
  data: [Uint8Array];
  /** A warning alert other than close_notify; the connection stays up. */
  alert: [DtlsAlertEvent];
  error: [DtlsError];
  close: [];
}

/** Records dropped by reason, for metrics and tests. */
export interface DtlsStats {
  malformed: number;
  replayed: number;
  authFailed: number;
  /** Records of an epoch we have no keys for (yet), or an unknown content type. */
  unexpected: number;
  retransmits: number;
}

export type { FlightItem } from './flight';

/**
 * Record layer, handshake plumbing (transcript, keys, reassembly) and the handshake timer shared by DtlsClient
 * and DtlsServer; flights and their retransmission are ./flight. Transport-agnostic: datagrams go out
 * through `options.send` and come in through `handleDatagram`.
 */
export abstract class DtlsEndpoint extends EventEmitter<DtlsEvents> {
  abstract readonly role: 'client' | 'server';
  state: DtlsEndpointState = 'idle';
  readonly stats: DtlsStats = { malformed: 0, replayed: 0, authFailed: 0, unexpected: 0, retransmits: 0 };
  /** The suite agreed on, once known. */
  suite?: CipherSuite;

  protected readonly crypto: DtlsCrypto;
  private readonly decryptInPlace: boolean;
  protected readonly psk: Uint8Array;
  protected readonly identity: Uint8Array;
  protected readonly suites: CipherSuite[];
  protected readonly mtu: number;
  private readonly sendDatagram: (d: Uint8Array) => void;
  private readonly handshakeTimeoutMs: number;

  // Record layer state: index = epoch (0 during the handshake, 1 after ChangeCipherSpec; no renegotiation).
  private readonly writeSeq = [0, 0];
  private readonly writeCiphers: (RecordCipher | undefined)[] = [undefined, undefined];
  private readCipher?: RecordCipher;
  /** Header fields of the record being read, reused for every record received. */
  private readonly rxRecord: DtlsRecord = { type: 0, version: 0, epoch: 0, seq: 0, payload: new Uint8Array(0) };
  protected readonly replay = [new ReplayWindow(), new ReplayWindow()];

  // Handshake state.
  protected readonly reassembler = new HandshakeReassembler();
  protected sendMessageSeq = 0;
  private transcript: Uint8Array[] = [];
  protected clientRandom?: Uint8Array;
  protected serverRandom?: Uint8Array;
  protected master?: Uint8Array;
  /** message_seq of the last message of the peer's last complete flight: seeing it again means our answer was lost. */
  protected peerFlightEnd = -1;
  /** True once we sent our Finished, so a timeout can say that the peer never accepted it. */
  protected sentFinished = false;
  private readonly flight: Flight;
  private handshakeTimer?: NodeJS.Timeout;

  constructor(options: DtlsEndpointOptions, defaultSuites: number[]) {
    super();
    this.crypto = options.crypto ?? defaultCrypto;
    this.decryptInPlace = options.decryptInPlace ?? false;
    this.psk = options.psk;
    this.identity = Uint8Array.from(Buffer.from(options.identity ?? WYZE_PSK_IDENTITY, 'utf8'));
    this.suites = (options.suites ?? defaultSuites).map((id) => {
      const s = CIPHER_SUITES.find((c) => c.id === id);
      if (!s) throw new TypeError(`unsupported DTLS cipher suite 0x${id.toString(16).padStart(4, '0')}`);
      return s;
    });
    if (this.suites.length === 0) throw new TypeError('no DTLS cipher suites');
    this.mtu = options.mtu ?? 1200;
    // Room for one record header, one handshake header, the largest suite overhead (64) and some body.
    if (this.mtu < 96) throw new RangeError('mtu below 96 leaves no room for handshake fragments');
    this.sendDatagram = options.send;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 5000;
    this.flight = new Flight(
      {
        protect: (type, epoch, payload) => this.protect(type, epoch, payload),
        overhead: (epoch) => this.writeCiphers[epoch]?.maxOverhead ?? 0,
        send: (d) => this.sendDatagram(d),
      },
      { mtu: this.mtu, retransmitInitialMs: options.retransmitInitialMs ?? 1000, retransmitMaxMs: options.retransmitMaxMs ?? 60_000 },
      () => this.state === 'handshaking',
      () => this.stats.retransmits++,
    );
  }

  /** Starts the handshake: the client sends its ClientHello, the server arms its handshake timer. */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'handshaking';
    this.handshakeTimer = setTimeout(() => this.onHandshakeTimeout(), this.handshakeTimeoutMs);
    this.begin();
  }

  /** start(), then resolves once connected; rejects with the DtlsError that ended the handshake. */
  handshake(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.state === 'connected') return resolve();
      if (this.state === 'closed') return reject(new DtlsError('not-connected', 'endpoint is closed'));
      const done = (err?: DtlsError) => {
        this.off('connected', onConnected);
        this.off('error', onError);
        this.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onConnected = () => done();
      const onError = (e: DtlsError) => done(e);
      const onClose = () => done(new DtlsError('not-connected', 'closed before the handshake finished'));
      this.on('connected', onConnected);
      this.on('error', onError);
      this.on('close', onClose);
      this.start();
    });
  }

  /** Sends one application_data record. */
  send(data: Uint8Array): void {
    const cipher = this.writeCiphers[1];
    if (this.state !== 'connected' || !cipher) throw new DtlsError('not-connected', `cannot send in state ${this.state}`);
    if (data.length > MAX_PLAINTEXT) throw new RangeError(`application data of ${data.length} bytes exceeds one record (${MAX_PLAINTEXT})`);
    // An empty AEAD record is only a tag, which go2rtc's decryptor refuses (FACTS §7.2).
    if (data.length === 0) return;
    this.sendDatagram(cipher.seal(ContentType.ApplicationData, 1, this.nextWriteSeq(1), data));
  }

  /** Sends close_notify (when there is anyone to tell), stops every timer and emits 'close'. */
  close(): void {
    if (this.state === 'closed') return;
    if (this.state !== 'idle') this.sendAlert(AlertLevel.Warning, AlertDescription.CloseNotify);
    this.teardown();
    this.emit('close');
  }

  /** Feeds one received datagram (one or more records). Never throws on bad input; bad records are counted and dropped. */
  handleDatagram(datagram: Uint8Array): void {
    if (this.state === 'closed') return;
    if (this.state === 'idle') {
      if (this.role === 'client') return;
      this.start();
    }
    const rec = this.rxRecord;
    let offset = 0;
    while (offset < datagram.length && !this.closed) {
      try {
        offset = readRecordAt(datagram, offset, rec);
      } catch (e) {
        if (!(e instanceof TutkParseError)) throw e;
        // RFC 6347 §4.1.2.7: invalid records are discarded; the rest of the datagram cannot be framed.
        this.stats.malformed++;
        return;
      }
      // By value: a record handled here may make the peer answer synchronously, into this same method.
      this.handleRecord(rec.type, rec.version, rec.epoch, rec.seq, rec.payload);
    }
  }

  // --- for subclasses ---

  /** Sends the first flight (client) or nothing (server). */
  protected abstract begin(): void;
  /** One reassembled handshake message, in message_seq order. `epoch` is that of its last fragment. */
  protected abstract onHandshakeMessage(m: HandshakeMessage, epoch: number): void;
  /** A HelloVerifyRequest fragment reached the client; the server never sees this. */
  protected onHelloVerifyFragment(_f: HandshakeFragment): boolean {
    return false;
  }

  protected addToTranscript(msgType: number, messageSeq: number, body: Uint8Array): void {
    this.transcript.push(encodeHandshake(msgType, messageSeq, body));
  }
  protected resetTranscript(): void {
    this.transcript = [];
  }
  protected transcriptHash(): Uint8Array {
    let n = 0;
    for (const m of this.transcript) n += m.length;
    const all = new Uint8Array(n);
    let o = 0;
    for (const m of this.transcript) {
      all.set(m, o);
      o += m.length;
    }
    return this.crypto.sha256(all);
  }

  /** Derives master secret and traffic keys; records of epoch 1 can be read from now on. */
  protected deriveKeys(premaster: Uint8Array): void {
    const suite = this.suite!;
    this.master = masterSecret(this.crypto, premaster, this.clientRandom!, this.serverRandom!);
    const kb = keyBlock(this.crypto, this.master, this.clientRandom!, this.serverRandom!, suite.keyBlockLength);
    const cipher = suite.createCipher(this.crypto, suite.trafficKeys(kb, this.role));
    this.writeCiphers[1] = cipher;
    this.readCipher = cipher;
  }

  protected verifyData(role: 'client' | 'server'): Uint8Array {
    return finishedVerifyData(this.crypto, this.master!, role, this.transcriptHash());
  }

  /** A handshake message of ours, numbered and added to the transcript. */
  protected message(msgType: number, body: Uint8Array, epoch = 0): FlightItem {
    const messageSeq = this.sendMessageSeq++;
    this.addToTranscript(msgType, messageSeq, body);
    return { kind: 'handshake', epoch, msgType, messageSeq, body };
  }
  /** A message outside the transcript: the server's HelloVerifyRequest (RFC 6347 §4.2.6). */
  protected untrackedMessage(msgType: number, body: Uint8Array): FlightItem {
    return { kind: 'handshake', epoch: 0, msgType, messageSeq: this.sendMessageSeq++, body };
  }
  protected changeCipherSpec(): FlightItem {
    return { kind: 'ccs' };
  }

  /**
   * Sends a flight and keeps it for retransmission (RFC 6347 §4.2.4). With `timer` false (the last flight of the
   * handshake) it is only resent when the peer repeats its own last flight.
   */
  protected sendFlight(items: FlightItem[], timer = true): void {
    this.flight.send(items, timer);
  }

  /**
   * Handshake done: stop the timers and tell the user. The side that sent the last flight keeps it, to resend
   * when the peer repeats its own (RFC 6347 §4.2.4, the FINISHED state).
   */
  protected connected(keepLastFlight: boolean): void {
    this.clearHandshakeTimer();
    this.flight.stopTimer();
    if (!keepLastFlight) this.flight.clear();
    this.state = 'connected';
    this.emit('connected');
  }

  /** Ends the connection with an error, sending a fatal alert first when `alert` is given. */
  protected fail(err: DtlsError, alert?: AlertDescription): void {
    if (this.state === 'closed') return;
    if (alert !== undefined) this.sendAlert(AlertLevel.Fatal, alert);
    this.teardown();
    this.emit('error', err);
    this.emit('close');
  }

  /** Parses with a typed parser; a malformed message from the peer is fatal with decode_error. */
  protected parse<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof TutkParseError)) throw e;
      this.fail(new DtlsError('protocol', `malformed ${what}: ${e.message}`), AlertDescription.DecodeError);
      return undefined;
    }
  }

  protected unexpected(m: HandshakeMessage, expected: string): void {
    this.fail(new DtlsError('protocol', `expected ${expected}, got handshake type ${m.msgType}`), AlertDescription.UnexpectedMessage);
  }

  /** Compares Finished verify_data without an early exit. */
  protected static sameBytes(a: Uint8Array, b: Uint8Array): boolean {
    if (a.length !== b.length) return false;
    let d = 0;
    for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
    return d === 0;
  }

  /** A getter, so TypeScript does not narrow `state` across calls that may close us. */
  get closed(): boolean {
    return this.state === 'closed';
  }

  // --- internals ---

  private handleRecord(type: number, version: number, epoch: number, seq: number, payload: Uint8Array): void {
    if (epoch > 1) {
      this.stats.unexpected++;
      return;
    }
    const window = this.replay[epoch];
    if (!window.accepts(seq)) {
      this.stats.replayed++;
      return;
    }
    let plaintext = payload;
    if (epoch === 1) {
      if (!this.readCipher) {
        this.stats.unexpected++;
        return;
      }
      const opened = this.readCipher.open(type, version, epoch, seq, payload, this.decryptInPlace);
      if (!opened) {
        this.stats.authFailed++;
        // RFC 6347 §4.1.2.7 lets us drop it silently, and after the handshake we do. Before it, the only epoch-1
        // record the peer can send is its Finished, and it failing means both sides derived different keys.
        if (this.state === 'handshaking' && this.awaitingPeerFinished()) {
          this.fail(new DtlsError('bad-psk', "the peer's Finished record does not authenticate: the PSKs differ"), AlertDescription.BadRecordMac);
        }
        return;
      }
      plaintext = opened;
    } else if (type === ContentType.ApplicationData) {
      this.stats.unexpected++;
      return;
    }
    // Only authenticated records move the window (RFC 6347 §4.1.2.6).
    window.mark(seq);

    switch (type) {
      case ContentType.Handshake:
        return this.handleHandshakeRecord(plaintext, epoch);
      case ContentType.ChangeCipherSpec:
        // Its content is one byte, 1 (RFC 5246 §7.1). Epoch-1 records carry their own keys, so nothing else to do.
        return;
      case ContentType.Alert:
        return this.handleAlert(plaintext);
      case ContentType.ApplicationData:
        if (this.state === 'connected') this.emit('data', plaintext);
        else this.stats.unexpected++;
        return;
      default:
        this.stats.unexpected++;
    }
  }

  private handleHandshakeRecord(payload: Uint8Array, epoch: number): void {
    let fragments: HandshakeFragment[];
    try {
      fragments = parseHandshakeFragments(payload);
    } catch (e) {
      if (!(e instanceof TutkParseError)) throw e;
      this.stats.malformed++;
      return;
    }
    for (const f of fragments) {
      if (this.closed) return;
      // Finished must arrive under the new keys (RFC 5246 §7.4.9); a plaintext one is forged or misplaced.
      if (f.msgType === HandshakeType.Finished && epoch !== 1) {
        this.stats.unexpected++;
        continue;
      }
      if (f.msgType === HandshakeType.HelloVerifyRequest && this.onHelloVerifyFragment(f)) continue;
      const status = this.reassembler.add(f);
      if (status === 'old') {
        // The peer repeated its last flight, so it missed ours: resend, once per repeated flight (RFC 6347 §4.2.4).
        if (f.messageSeq === this.peerFlightEnd && f.fragmentOffset + f.fragment.length === f.length && this.flight.held) this.flight.resend();
        continue;
      }
      for (let m = this.reassembler.next(); m && !this.closed; m = this.reassembler.next()) {
        this.onHandshakeMessage(m, epoch);
      }
    }
  }

  private handleAlert(p: Uint8Array): void {
    if (p.length !== 2) {
      this.stats.malformed++;
      return;
    }
    const level = p[0];
    const description = p[1];
    if (description === AlertDescription.CloseNotify) {
      // RFC 5246 §7.2.1: answer close_notify with close_notify and drop the connection.
      this.close();
      return;
    }
    if (level === AlertLevel.Fatal) {
      const pskLike =
        this.state === 'handshaking' &&
        (description === AlertDescription.DecryptError || description === AlertDescription.BadRecordMac || description === AlertDescription.UnknownPskIdentity);
      const err = pskLike
        ? new DtlsError('bad-psk', 'the peer rejected our Finished: the PSKs differ', description)
        : new DtlsError('alert', `fatal alert from the peer`, description);
      this.fail(err);
      return;
    }
    this.emit('alert', { level, description });
  }

  private sendAlert(level: AlertLevel, description: AlertDescription): void {
    const payload = Uint8Array.of(level, description);
    const epoch = this.writeCiphers[1] && (this.state === 'connected' || this.sentFinished) ? 1 : 0;
    try {
      this.sendDatagram(this.protect(ContentType.Alert, epoch, payload));
    } catch {
      // The transport may already be gone when we say goodbye; the alert is best effort.
    }
  }

  private protect(type: number, epoch: number, payload: Uint8Array): Uint8Array {
    const seq = this.nextWriteSeq(epoch);
    const cipher = this.writeCiphers[epoch];
    return cipher ? cipher.seal(type, epoch, seq, payload) : plaintextRecord(type, DTLS_1_2, epoch, seq, payload);
  }

  private nextWriteSeq(epoch: number): number {
    return this.writeSeq[epoch]++;
  }

  private onHandshakeTimeout(): void {
    this.handshakeTimer = undefined;
    const why = this.sentFinished
      ? 'the peer never answered our Finished; a peer that cannot authenticate it drops it silently, so the PSKs most likely differ'
      : 'no complete answer from the peer';
    this.fail(new DtlsError('handshake-timeout', `DTLS handshake timed out after ${this.handshakeTimeoutMs} ms: ${why}`), AlertDescription.HandshakeFailure);
  }

  private clearHandshakeTimer(): void {
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
  }

  private teardown(): void {
    this.clearHandshakeTimer();
    this.flight.stopTimer();
    this.state = 'closed';
    this.flight.clear();
  }

  /** True while the next message we need is the peer's Finished (it is the only epoch-1 handshake record). */
  protected abstract awaitingPeerFinished(): boolean;
}

