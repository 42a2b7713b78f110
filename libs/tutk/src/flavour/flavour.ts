/**
 * Flavour codecs: the transport below DTLS, as pure synchronous objects (no sockets, no timers). One
 * object per peer and role holds the transport state (session id, ticket, sequence counters), builds
 * every datagram that role sends, and turns every datagram it receives into a {@link ClientEvent} or
 * {@link DeviceEvent}. The OLD (IOTC + TransCode) and CC51 flavours implement the same interfaces, so
 * the session layer above never looks at packet formats.
 *
 * How a client is driven (FACTS §6, CAPTURES):
 *   1. Probe: make a {@link FlavourProbe}; every 100 ms send both of its `probes()` back to back (OLD
 *      first), for up to 5 s. Offer each received datagram to `accept()`; the first one that yields a
 *      flavour decides it. From then on talk only to that `ClientFlavour`, and send to the source
 *      address of that reply (FACTS §2: follow later port changes too).
 *   2. The 'discovery' event may carry a `reply` to send once (OLD stage-2 disco). Send
 *      `sessionRequest(unixSeconds)` at once, again after `sessionAfterMs` (OLD: go2rtc's pause, see
 *      old.ts; 0 means after 1 s), then every 1 s until a 'session' event with `first: true`; give up
 *      after 5 s.
 *   3. DTLS: `wrap(channel, records)` for every outgoing DTLS datagram; `unwrap()` gives 'data' events
 *      with the channel's DTLS bytes.
 *   4. 'keepalive' events carry the answer to send at once. A client never starts keepalives.
 *
 * How a device (camera emulator) is driven (FACTS §4.4, §5.2, INFERRED):
 *   - `unwrap()` every datagram; send any `reply` on an event back to its source. Each repeat of a
 *     probe or session request is answered again.
 *   - Every few seconds after the session is up, send `keepalive()` (FACTS §4.6, §5.3).
 *   - `wrap(channel, records)` for outgoing DTLS.
 *
 * Errors: malformed or unauthenticated datagrams throw TutkParseError (layer 'iotc' or 'cc51'; e.g.
 * 'short', 'bad-magic', 'bad-hmac', 'bad-ticket'), which the caller counts and drops. Well-formed
 * datagrams that mean nothing in the current state or role come back as an 'ignored' event.
 *
 * OLD `unwrap` decodes the datagram **in place** (TransCode, FACTS §3.2) and 'data' payloads are views
 * into it, so hand over a buffer you own and do not reuse it while the payload is in use.
 */

export type FlavourName = 'old' | 'cc51';

export type ClientState = 'probing' | 'discovered' | 'established';
export type DeviceState = 'listening' | 'discovered' | 'established';

/** Why a well-formed datagram was not acted on. */
export type IgnoredReason = 'wrong-direction' | 'wrong-state' | 'unknown-channel' | 'other-flavour';

export type ClientEvent =
  /** The camera answered the probe. `first` is false for repeats. */
  | { kind: 'discovery'; first: boolean; reply?: Uint8Array; sessionAfterMs: number }
  /** The camera accepted the session request (OLD 0x0404, CC51 seq 3). */
  | { kind: 'session'; first: boolean }
  /** DTLS bytes for `channel` (0 main, 1 backchannel); a view into the datagram. */
  | { kind: 'data'; channel: number; payload: Uint8Array }
  /** A camera ping; send `reply` now. */
  | { kind: 'keepalive'; reply: Uint8Array }
  | { kind: 'ignored'; reason: IgnoredReason };

export type DeviceEvent =
  /** A client probe (OLD stage 1/2, CC51 seq 0); `first` when it starts a new session id. */
  | { kind: 'discovery'; first: boolean; reply?: Uint8Array }
  /** A session request (OLD 0x0402, CC51 seq 2); always answered. */
  | { kind: 'session'; first: boolean; reply: Uint8Array }
  | { kind: 'data'; channel: number; payload: Uint8Array }
  /** The client's answer to our ping. */
  | { kind: 'keepalive' }
  | { kind: 'ignored'; reason: IgnoredReason };

export interface ClientFlavour {
  readonly name: FlavourName;
  readonly state: ClientState;
  /** The current sid; a CC51 client adopts the camera's (FACTS §5.2). */
  readonly sessionId: Uint8Array;
  /** OLD 0x0601 stage 1 / CC51 0x1002 seq 0. */
  probe(): Uint8Array;
  /** OLD 0x0402 / CC51 0x1002 seq 2 with the ticket. Only after the 'discovery' event. */
  sessionRequest(unixSeconds: number): Uint8Array;
  /** OLD 0x0407 / CC51 0x1502 around one DTLS datagram. */
  wrap(channel: number, payload: Uint8Array): Uint8Array;
  unwrap(datagram: Uint8Array): ClientEvent;
}

export interface DeviceFlavour {
  readonly name: FlavourName;
  readonly state: DeviceState;
  /** The sid of the current client, once it has probed. */
  readonly sessionId: Uint8Array | undefined;
  /** OLD 0x0428 / CC51 0x1202 ping. */
  keepalive(): Uint8Array;
  /** OLD 0x0408 / CC51 0x1502 around one DTLS datagram. */
  wrap(channel: number, payload: Uint8Array): Uint8Array;
  unwrap(datagram: Uint8Array): DeviceEvent;
}

/** FACTS §4.5: only the main (0) and backchannel (1) IOTC channels carry DTLS. */
export const MAX_CHANNEL = 1;

export const ignored = (reason: IgnoredReason): { kind: 'ignored'; reason: IgnoredReason } => ({ kind: 'ignored', reason });
