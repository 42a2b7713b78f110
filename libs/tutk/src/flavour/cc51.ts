import { randomFillSync } from 'node:crypto';
import { TutkParseError } from '../wire/parse-error';
import { TransportKeys } from '../credentials/credentials';
import { assertSessionId, randomSessionId } from '../credentials/session-id';
import { Cc51Command, Cc51Signer, isCc51, readCc51Header } from '../cc51/header';
import { Cc51Direction, buildCc51Discovery, parseCc51Discovery } from '../cc51/discovery';
import { buildCc51Keepalive, parseCc51Keepalive } from '../cc51/keepalive';
import { buildCc51Dtls, parseCc51Dtls } from '../cc51/dtls-wrapper';
import { sameBytes } from '@wyze-nvr/bytes';
import { ClientEvent, ClientFlavour, ClientState, DeviceEvent, DeviceFlavour, DeviceState, MAX_CHANNEL, ignored } from './flavour';

/** FACTS §5.2 discovery sequence numbers. */
const Seq = { Probe: 0, ProbeReply: 1, Confirm: 2, ConfirmReply: 3 } as const;
/** FACTS §5.3: the client's keepalive counter goes up by 2 before each send. */
const CLIENT_KEEPALIVE_STEP = 2;

export interface Cc51ClientOptions {
  sessionId?: Uint8Array;
  /**
   * Check the camera's HMACs (FACTS §5.1: go2rtc never does). Default true; a mismatch throws
   * TutkParseError 'bad-hmac'. Turn off only if a firmware turns out to sign its replies differently.
   */
  verifyHmac?: boolean;
}

/** CC51 flavour, client role (FACTS §5). See flavour.ts for how it is driven. */
export class Cc51FlavourClient implements ClientFlavour {
  readonly name = 'cc51' as const;
  private _state: ClientState = 'probing';
  private sid: Uint8Array;
  private ticket = 0;
  private keepaliveCounter = 0;
  private readonly signer: Cc51Signer;
  private readonly verifier: Cc51Signer | undefined;

  constructor(keys: TransportKeys, options: Cc51ClientOptions = {}) {
    const sid = options.sessionId ?? randomSessionId();
    assertSessionId(sid);
    this.sid = Uint8Array.from(sid);
    this.signer = new Cc51Signer(keys);
    this.verifier = options.verifyHmac === false ? undefined : this.signer;
  }

  get state(): ClientState {
    return this._state;
  }
  get sessionId(): Uint8Array {
    return this.sid;
  }
  /** The camera's ticket, 0 until it answered discovery. */
  get currentTicket(): number {
    return this.ticket;
  }

  probe(): Uint8Array {
    return buildCc51Discovery({ direction: Cc51Direction.FromClient, seq: Seq.Probe, ticket: 0, sid: this.sid }, this.signer);
  }

  sessionRequest(_unixSeconds: number): Uint8Array {
    if (this._state === 'probing') throw new Error('CC51 confirmation before the camera answered discovery');
    return buildCc51Discovery({ direction: Cc51Direction.FromClient, seq: Seq.Confirm, ticket: this.ticket, sid: this.sid }, this.signer);
  }

  wrap(channel: number, payload: Uint8Array): Uint8Array {
    return buildCc51Dtls({ channel, ticket: this.ticket, sid: this.sid, dtls: payload }, this.signer);
  }

  unwrap(datagram: Uint8Array): ClientEvent {
    if (!isCc51(datagram) && datagram.length >= 2) return ignored('other-flavour');
    const { cmd } = readCc51Header(datagram);
    switch (cmd) {
      case Cc51Command.Dtls: {
        const { channel, dtls } = parseCc51Dtls(datagram, this.verifier);
        return channel > MAX_CHANNEL ? ignored('unknown-channel') : { kind: 'data', channel, payload: dtls };
      }
      case Cc51Command.Keepalive:
        // FACTS §5.3: answer every camera keepalive of at least 48 bytes with our own.
        parseCc51Keepalive(datagram, this.verifier);
        this.keepaliveCounter = (this.keepaliveCounter + CLIENT_KEEPALIVE_STEP) >>> 0;
        return { kind: 'keepalive', reply: buildCc51Keepalive({ counter: this.keepaliveCounter, sid: this.sid }, this.signer) };
      case Cc51Command.Discovery:
        return this.onDiscovery(datagram);
      default:
        throw new TutkParseError('cc51', 'unknown-command', `0x${cmd.toString(16)}`);
    }
  }

  private onDiscovery(datagram: Uint8Array): ClientEvent {
    const d = parseCc51Discovery(datagram, this.verifier);
    if (this._state === 'probing') {
      // FACTS §5.2 step 2: the first 0x1002 answers the probe, whatever its direction and seq; take
      // its ticket and adopt its sid.
      this.ticket = d.ticket;
      this.sid = Uint8Array.from(d.sid);
      this._state = 'discovered';
      return { kind: 'discovery', first: true, sessionAfterMs: 0 };
    }
    if (d.direction === Cc51Direction.FromDevice && d.seq === Seq.ConfirmReply) {
      const first = this._state === 'discovered';
      this._state = 'established';
      return { kind: 'session', first };
    }
    if (d.direction !== Cc51Direction.FromDevice) return ignored('wrong-direction');
    return { kind: 'discovery', first: false, sessionAfterMs: 0 };
  }
}

export interface Cc51DeviceOptions {
  /** Source of ticket randomness; defaults to node:crypto. */
  random?: (n: number) => Uint8Array;
}

/** CC51 flavour, device (camera emulator) role (FACTS §5.2–5.4, INFERRED). See flavour.ts. */
export class Cc51FlavourDevice implements DeviceFlavour {
  readonly name = 'cc51' as const;
  private _state: DeviceState = 'listening';
  private sid: Uint8Array | undefined;
  private ticket = 0;
  /** FACTS §5.3: the camera's counter is unknown; odd values keep it apart from the client's even ones. */
  private keepaliveCounter = 1;
  private readonly signer: Cc51Signer;
  private readonly random: (n: number) => Uint8Array;

  constructor(keys: TransportKeys, options: Cc51DeviceOptions = {}) {
    this.signer = new Cc51Signer(keys);
    this.random = options.random ?? ((n) => randomFillSync(new Uint8Array(n)));
  }

  get state(): DeviceState {
    return this._state;
  }
  get sessionId(): Uint8Array | undefined {
    return this.sid;
  }
  get currentTicket(): number {
    return this.ticket;
  }

  keepalive(): Uint8Array {
    if (!this.sid) throw new Error('CC51 device has no session yet');
    const p = buildCc51Keepalive({ counter: this.keepaliveCounter, sid: this.sid }, this.signer);
    this.keepaliveCounter = (this.keepaliveCounter + 2) >>> 0;
    return p;
  }

  wrap(channel: number, payload: Uint8Array): Uint8Array {
    if (!this.sid) throw new Error('CC51 device has no session yet');
    return buildCc51Dtls({ channel, ticket: this.ticket, sid: this.sid, dtls: payload }, this.signer);
  }

  /** Every HMAC is checked (FACTS §5.1: the emulator should, as a real camera probably does). */
  unwrap(datagram: Uint8Array): DeviceEvent {
    if (!isCc51(datagram) && datagram.length >= 2) return ignored('other-flavour');
    const { cmd } = readCc51Header(datagram);
    switch (cmd) {
      case Cc51Command.Dtls: {
        const { channel, dtls, sid } = parseCc51Dtls(datagram, this.signer);
        if (!this.sid) return ignored('wrong-state');
        if (!sameBytes(sid, this.sid)) throw new TutkParseError('cc51', 'wrong-session');
        return channel > MAX_CHANNEL ? ignored('unknown-channel') : { kind: 'data', channel, payload: dtls };
      }
      case Cc51Command.Keepalive:
        parseCc51Keepalive(datagram, this.signer);
        return { kind: 'keepalive' };
      case Cc51Command.Discovery:
        return this.onDiscovery(datagram);
      default:
        throw new TutkParseError('cc51', 'unknown-command', `0x${cmd.toString(16)}`);
    }
  }

  private onDiscovery(datagram: Uint8Array): DeviceEvent {
    const d = parseCc51Discovery(datagram, this.signer);
    if (d.direction !== Cc51Direction.FromClient) return ignored('wrong-direction');
    if (d.seq === Seq.Probe) {
      const first = !this.sid || !sameBytes(d.sid, this.sid);
      if (first) {
        // A new sid is a new client session; its repeats get the same ticket.
        this.sid = Uint8Array.from(d.sid);
        this.ticket = this.freshTicket();
        this._state = 'discovered';
      }
      return { kind: 'discovery', first, reply: this.reply(Seq.ProbeReply, d.sid, d.info) };
    }
    if (d.seq === Seq.Confirm) {
      if (!this.sid) return ignored('wrong-state');
      if (!sameBytes(d.sid, this.sid)) throw new TutkParseError('cc51', 'wrong-session');
      if (d.ticket !== this.ticket) throw new TutkParseError('cc51', 'bad-ticket', `${d.ticket} != ${this.ticket}`);
      const first = this._state !== 'established';
      this._state = 'established';
      return { kind: 'session', first, reply: this.reply(Seq.ConfirmReply, this.sid, d.info) };
    }
    return ignored('wrong-direction');
  }

  /** FACTS §5.2: direction 0xFFFF, the ticket, the client's sid echoed, bytes 24..31 copied. */
  private reply(seq: number, sid: Uint8Array, info: Uint8Array): Uint8Array {
    return buildCc51Discovery({ direction: Cc51Direction.FromDevice, seq, ticket: this.ticket, sid, info }, this.signer);
  }

  /** A nonzero u16 (FACTS §5.2: the first request's ticket is 0, so 0 would look like none). */
  private freshTicket(): number {
    const r = this.random(2);
    return (r[0] | (r[1] << 8)) || 1;
  }
}
