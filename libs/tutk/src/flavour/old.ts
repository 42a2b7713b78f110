import { TutkParseError } from '../wire/parse-error';
import { putU32le } from '../wire/byte-reader';
import { TransportKeys } from '../credentials/credentials';
import { assertSessionId, randomSessionId } from '../credentials/session-id';
import { transcodeDecodePacketInPlace } from '../transcode/transcode';
import { IotcCommand } from '../iotc/header';
import { buildDiscoReply, buildDiscoRequest } from '../iotc/disco';
import { buildIotcSessionReply, buildIotcSessionRequest } from '../iotc/session';
import { buildIotcData, iotcDataChannel, iotcDataPayload, parseIotcData } from '../iotc/data';
import { buildIotcKeepalivePing, buildIotcKeepaliveReply, IOTC_KEEPALIVE_ECHO_LENGTH } from '../iotc/keepalive';
import { encodeIotcDatagram, parseIotcPacket, peekIotcCommand } from '../iotc/packet';
import { isCc51 } from '../cc51/header';
import { sameBytes } from '@wyze-nvr/bytes';
import { ClientEvent, ClientFlavour, ClientState, DeviceEvent, DeviceFlavour, DeviceState, MAX_CHANNEL, ignored } from './flavour';

/**
 * FACTS §4.3 step 3: go2rtc waits 100 ms after the stage-2 disco before its first session request. That is
 * go2rtc's choice, not protocol: a bare sleep, no wait in the seed's flow, nothing from the camera to wait
 * for (FACTS §4.4: stage 2 has no reply), and FACTS does not require it. Nobody knows whether a camera needs
 * the pause, though, and one that dropped an early 0x0402 would cost a whole 1 s resend (step 4). So the
 * client sends the request with stage 2 and again at this time, where go2rtc sends its first (a repeat a
 * camera answers like any other, FACTS §4.4): as fast as the camera allows, never later than go2rtc.
 */
const OLD_SESSION_AFTER_MS = 100;
/**
 * FACTS §3.2: AuthKey bytes 6..7 sit in the disco's 8-byte TransCode tail, whose permutation is not
 * proven against cameras, so a device compares only the first 6 characters.
 */
const AUTH_KEY_CHECKED = 6;

/**
 * Decodes in place when the datagram carries the IOTC magic and returns its command; returns undefined
 * for a CC51 datagram (both probes reach a camera, FACTS §6); otherwise throws before touching it.
 */
function decodeInPlace(datagram: Uint8Array): number | undefined {
  const cmd = peekIotcCommand(datagram);
  if (cmd === undefined) {
    if (isCc51(datagram)) return undefined;
    throw new TutkParseError('iotc', datagram.length < 16 ? 'short' : 'bad-magic', `${datagram.length} bytes`);
  }
  transcodeDecodePacketInPlace(datagram);
  return cmd;
}

/** OLD flavour, client role (FACTS §4.2–4.6). See flavour.ts for how it is driven. */
export class OldFlavourClient implements ClientFlavour {
  readonly name = 'old' as const;
  private _state: ClientState = 'probing';
  private readonly sid: Uint8Array;
  /** FACTS §4.5: one counter for every 0x0407 on any channel, from 0. */
  private dataSeq = 0;

  constructor(
    private readonly keys: TransportKeys,
    sessionId: Uint8Array = randomSessionId(),
  ) {
    assertSessionId(sessionId);
    this.sid = Uint8Array.from(sessionId);
  }

  get state(): ClientState {
    return this._state;
  }
  get sessionId(): Uint8Array {
    return this.sid;
  }

  probe(): Uint8Array {
    return encodeIotcDatagram(buildDiscoRequest({ uid: this.keys.uidField, sid: this.sid, stage: 1, authKey: this.keys.authKeyBytes }));
  }

  sessionRequest(unixSeconds: number): Uint8Array {
    if (this._state === 'probing') throw new Error('OLD session request before the camera answered discovery');
    return encodeIotcDatagram(buildIotcSessionRequest({ uid: this.keys.uidField, sid: this.sid, timestamp: unixSeconds }));
  }

  wrap(channel: number, payload: Uint8Array): Uint8Array {
    const p = buildIotcData({ cmd: IotcCommand.DataFromClient, seq: this.dataSeq, channel, sid: this.sid, payload });
    this.dataSeq = (this.dataSeq + 1) & 0xffff;
    return encodeIotcDatagram(p);
  }

  unwrap(datagram: Uint8Array): ClientEvent {
    const cmd = decodeInPlace(datagram);
    if (cmd === undefined) return ignored('other-flavour');
    if (cmd === IotcCommand.DataFromDevice) {
      // Every media datagram comes this way: decodeInPlace has checked the magic and the command.
      const payload = iotcDataPayload(datagram);
      const channel = iotcDataChannel(datagram);
      return channel > MAX_CHANNEL ? ignored('unknown-channel') : { kind: 'data', channel, payload };
    }
    const msg = parseIotcPacket(datagram);
    switch (msg.type) {
      case 'disco-reply':
        if (this._state !== 'probing') return { kind: 'discovery', first: false, sessionAfterMs: OLD_SESSION_AFTER_MS };
        this._state = 'discovered';
        // FACTS §4.3: stage 2 is sent once, without the AuthKey.
        return { kind: 'discovery', first: true, sessionAfterMs: OLD_SESSION_AFTER_MS, reply: encodeIotcDatagram(buildDiscoRequest({ uid: this.keys.uidField, sid: this.sid, stage: 2 })) };
      case 'session-reply':
        if (this._state === 'probing') return ignored('wrong-state');
        if (this._state === 'established') return { kind: 'session', first: false };
        this._state = 'established';
        return { kind: 'session', first: true };
      case 'keepalive-ping':
        return { kind: 'keepalive', reply: encodeIotcDatagram(buildIotcKeepaliveReply(msg.echo)) };
      default:
        return ignored('wrong-direction');
    }
  }
}

export interface OldDeviceOptions {
  /**
   * Reject a stage-1 disco whose AuthKey differs (first 6 characters, see AUTH_KEY_CHECKED). Default false:
   * FACTS §4.4 and §14 have the camera answer a disco whose UID matches and check the AuthKey only
   * optionally, so on OLD firmware a wrong ENR gets through discovery and fails at DTLS (wrong key).
   */
  checkAuthKey?: boolean;
}

/** OLD flavour, device (camera emulator) role (FACTS §4.4, INFERRED). See flavour.ts. */
export class OldFlavourDevice implements DeviceFlavour {
  readonly name = 'old' as const;
  private _state: DeviceState = 'listening';
  private sid: Uint8Array | undefined;
  private dataSeq = 0;
  private pings = 0;
  private readonly checkAuthKey: boolean;

  constructor(
    private readonly keys: TransportKeys,
    options: OldDeviceOptions = {},
  ) {
    this.checkAuthKey = options.checkAuthKey ?? false;
  }

  get state(): DeviceState {
    return this._state;
  }
  get sessionId(): Uint8Array | undefined {
    return this.sid;
  }

  keepalive(): Uint8Array {
    // FACTS §4.6: the 8 bytes are opaque and echoed; a counter makes each ping distinct.
    const echo = new Uint8Array(IOTC_KEEPALIVE_ECHO_LENGTH);
    putU32le(echo, 0, ++this.pings);
    return encodeIotcDatagram(buildIotcKeepalivePing(echo));
  }

  wrap(channel: number, payload: Uint8Array): Uint8Array {
    if (!this.sid) throw new Error('OLD device has no session yet');
    const p = buildIotcData({ cmd: IotcCommand.DataFromDevice, seq: this.dataSeq, channel, sid: this.sid, payload });
    this.dataSeq = (this.dataSeq + 1) & 0xffff;
    return encodeIotcDatagram(p);
  }

  unwrap(datagram: Uint8Array): DeviceEvent {
    const cmd = decodeInPlace(datagram);
    if (cmd === undefined) return ignored('other-flavour');
    if (cmd === IotcCommand.DataFromClient) {
      const { channel, payload, sid } = parseIotcData(datagram);
      if (!this.sid) return ignored('wrong-state');
      this.expectSession(sid);
      return channel > MAX_CHANNEL ? ignored('unknown-channel') : { kind: 'data', channel, payload };
    }
    const msg = parseIotcPacket(datagram);
    switch (msg.type) {
      case 'disco-request': {
        this.expectUid(msg.uid);
        if (msg.stage === 2) {
          if (!this.sid || !sameBytes(msg.sid, this.sid)) return ignored('wrong-state');
          return { kind: 'discovery', first: false };
        }
        if (msg.stage !== 1) throw new TutkParseError('iotc', 'bad-stage', String(msg.stage));
        if (this.checkAuthKey && !sameBytes(msg.authKey, this.keys.authKeyBytes, AUTH_KEY_CHECKED)) throw new TutkParseError('iotc', 'bad-auth-key');
        const first = !this.sid || !sameBytes(msg.sid, this.sid);
        if (first) this.startSession(msg.sid);
        return { kind: 'discovery', first, reply: encodeIotcDatagram(buildDiscoReply({ uid: this.keys.uidField, sid: msg.sid, stage: 1 })) };
      }
      case 'session-request': {
        this.expectUid(msg.uid);
        if (!this.sid) return ignored('wrong-state');
        this.expectSession(msg.sid);
        const first = this._state !== 'established';
        this._state = 'established';
        return { kind: 'session', first, reply: encodeIotcDatagram(buildIotcSessionReply({ uid: this.keys.uidField, sid: this.sid, timestamp: msg.timestamp })) };
      }
      case 'keepalive-reply':
        return { kind: 'keepalive' };
      default:
        return ignored('wrong-direction');
    }
  }

  /** A new sid means a new client session: the data counter restarts with it. */
  private startSession(sid: Uint8Array): void {
    this.sid = Uint8Array.from(sid);
    this._state = 'discovered';
    this.dataSeq = 0;
  }

  private expectUid(uid: Uint8Array): void {
    if (!sameBytes(uid, this.keys.uidField)) throw new TutkParseError('iotc', 'wrong-uid');
  }

  private expectSession(sid: Uint8Array): void {
    if (!this.sid || !sameBytes(sid, this.sid)) throw new TutkParseError('iotc', 'wrong-session');
  }
}
