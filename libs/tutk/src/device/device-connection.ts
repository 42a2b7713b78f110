/**
 * One client session on the camera: from its session request to its close, timeout or replacement. Runs
 * the DTLS server on channel 0 and the AV layer over it (logins, ACKs, IOCTRL), and owns the session's
 * K-command responder, media pump, resend buffer (resend = 1) and backchannel.
 */
import { AvMagic } from '../av/constants';
import { parseAck } from '../av/ack';
import { parseIoctrlFrame } from '../av/ioctrl';
import { parseAvLogin } from '../av/login';
import { buildAvLoginResponse } from '../av/login-response';
import { TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 } from '../dtls/cipher-suites';
import { DtlsServer } from '../dtls/dtls-server';
import type { DeviceFlavour } from '../flavour/flavour';
import { TimerSet } from '../session/timers';
import type { DatagramTransport, PeerAddress } from '../session/transport';
import { u16le, u32le } from '../wire/byte-reader';
import { TutkParseError } from '../wire/parse-error';
import { DeviceBackchannel } from './backchannel';
import { SessionState, type CameraState } from './camera-state';
import type { DeviceHost, DisconnectReason, ReceivedAudio } from './device-types';
import { KCommandResponder } from './k-command-responder';
import { MediaPump } from './media-pump';
import { ResendBuffer } from './resend-buffer';

/** How often a wrapped-format session looks for records to resend (INFERRED model, av/received-runs.ts). */
const RESEND_CHECK_MS = 10;

export class DeviceConnection {
  readonly timers = new TimerSet();
  readonly dtls: DtlsServer;
  readonly state = new SessionState();
  readonly media: MediaPump;
  readonly backchannel: DeviceBackchannel;
  private readonly commands: KCommandResponder;
  resend: 0 | 1 | undefined;
  readonly retransmit: ResendBuffer | undefined;
  lastRx = Date.now();
  alive = true;

  /** `onEnd` runs once, when the session is over for any reason. */
  constructor(
    private readonly host: DeviceHost,
    camera: CameraState,
    readonly flavour: DeviceFlavour,
    public client: PeerAddress,
    public via: DatagramTransport,
    receivedAudio: ReceivedAudio[],
    private readonly onEnd: (c: DeviceConnection, reason: DisconnectReason) => void,
  ) {
    const o = host.o;
    this.dtls = new DtlsServer({
      psk: host.keys.psk,
      suites: [TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256],
      // FACTS §7.1: the camera's own hint is unknown; an empty one is allowed.
      identity: '',
      cookies: o.helloVerify ?? false,
      handshakeTimeoutMs: o.dtlsTimeoutMs,
      send: (d) => this.send(flavour.wrap(0, d)),
      decryptInPlace: true,
    });
    let failed = false;
    this.dtls.on('data', (r) => this.onAvRecord(r));
    this.dtls.on('error', () => {
      failed = true;
      host.drops.count('device', 'dtls-error');
    });
    this.dtls.on('close', () => this.end(failed ? 'dtls-failed' : 'closed-by-client', false));
    this.retransmit = o.retransmission === false ? undefined : new ResendBuffer(o.retransmission);
    this.media = new MediaPump(host, this);
    this.backchannel = new DeviceBackchannel(host, this.timers, (d) => this.send(flavour.wrap(1, d)), receivedAudio);
    this.commands = new KCommandResponder(
      {
        camera,
        session: this.state,
        counters: host.counters,
        clock: { nowMs: () => Date.now() + host.clockOffsetUs() / 1000, set: (ms) => host.setClock(ms) },
        hasAudio: () => this.media.hasAudio,
        startStreaming: () => this.media.start(),
        switchQuality: (q) => this.media.switchQuality(q),
        startBackchannel: () => this.backchannel.start(),
        stopBackchannel: () => this.backchannel.stop(),
      },
      host.counters,
      host.drops,
      (frame) => this.dtls.send(frame),
    );
    this.timers.interval(o.keepaliveIntervalMs, () => {
      this.send(flavour.keepalive());
      host.counters.keepalivesSent++;
    });
    // Any datagram is life: ACKs every 100 ms (FACTS §8.3) as much as keepalive answers, whose absence alone
    // must not end a session (§4.6). Media stop long before this (MediaPump, pauseMediaAfterMs).
    this.timers.interval(Math.max(20, Math.min(1000, o.clientTimeoutMs / 4)), () => {
      if (Date.now() - this.lastRx >= o.clientTimeoutMs) this.end('timeout');
    });
    if (this.retransmit) {
      const every = this.timers.interval(RESEND_CHECK_MS, () => {
        if (this.resend === 0) this.timers.clear(every);
        // After the I/O phase: ACKs already received count before anything is resent.
        else setImmediate(() => this.resendDue());
      });
    }
  }

  /** Sends again what the client has not acknowledged in time (resend = 1 only). */
  private resendDue(): void {
    if (!this.alive || this.resend !== 1 || !this.retransmit || this.dtls.state !== 'connected') return;
    for (const r of this.retransmit.due(Date.now())) {
      this.dtls.send(r);
      this.host.counters.packetsResent++;
    }
  }

  send(d: Uint8Array): void {
    if (this.alive) this.host.send(this.via, this.client, d);
  }

  /** With `closeDtls` false the session ends without a word: no close_notify reaches the client. */
  end(reason: DisconnectReason, closeDtls = true): void {
    if (!this.alive) return;
    this.dtls.removeAllListeners('close');
    if (closeDtls) this.dtls.close();
    // From here on nothing reaches the wire: a silent end sends no close_notify.
    this.alive = false;
    this.timers.close();
    this.media.stop();
    this.backchannel.close();
    this.dtls.close();
    this.onEnd(this, reason);
  }

  // ---- AV layer, channel 0 (FACTS §8, §14)

  private onAvRecord(r: Uint8Array): void {
    const host = this.host;
    if (r.length < 2) {
      host.drops.count('av', 'short');
      return;
    }
    try {
      switch (u16le(r, 0)) {
        case AvMagic.Login1:
        case AvMagic.Login2: {
          const login = parseAvLogin(r);
          host.counters.logins++;
          // The format the client asked for (FACTS §8.2 [536-539], §10.1), unless a test forces the wrong one.
          this.resend ??= host.o.forceResend ?? (login.resend === 1 ? 1 : 0);
          // Both copies are answered; the client uses the first (FACTS §8.2).
          this.dtls.send(buildAvLoginResponse(Uint8Array.from(login.randomId), host.o.twoWayAudio));
          return;
        }
        case AvMagic.Ack: {
          const ack = parseAck(r);
          host.ackSeen(ack);
          host.counters.acksReceived++;
          this.retransmit?.ack(ack, Date.now());
          this.resendDue();
          return;
        }
        case AvMagic.Control:
        case AvMagic.Ioctrl: {
          const f = parseIoctrlFrame(r);
          // FACTS §8.5, §9, §14: answered by command; a resend of the same request gets the same reply.
          this.commands.handle(r.length >= 32 ? u32le(r, 28) : 0, f.hl);
          return;
        }
        default:
          host.drops.count('av', 'unknown-magic');
      }
    } catch (e) {
      if (!(e instanceof TutkParseError)) throw e;
      host.drops.count(e.layer, e.reason);
    }
  }
}
