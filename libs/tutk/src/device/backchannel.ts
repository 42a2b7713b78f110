/**
 * The camera's side of the intercom (FACTS §7.3, §11.2): a DTLS client on channel 1 towards the app's
 * server, the AV login there, then the audio TX frames it receives.
 */
import { randomFillSync } from 'node:crypto';
import { AvMagic } from '../av/constants';
import { buildAvLoginPair } from '../av/login';
import { TLS_PSK_WITH_AES_128_CBC_SHA256 } from '../dtls/cipher-suites';
import { DtlsClient } from '../dtls/dtls-client';
import { parseAudioTxFrame } from '../frames/audio-tx';
import type { TimerSet } from '../session/timers';
import { u16le } from '../wire/byte-reader';
import { TutkParseError } from '../wire/parse-error';
import type { DeviceHost, ReceivedAudio } from './device-types';

const LOGIN_GAP_MS = 10;

export class DeviceBackchannel {
  private dtls: DtlsClient | undefined;
  ready = false;

  /** `send` puts DTLS bytes on channel 1 of the session; `timers` are the session's. */
  constructor(
    private readonly host: DeviceHost,
    private readonly timers: TimerSet,
    private readonly send: (d: Uint8Array) => void,
    private readonly received: ReceivedAudio[],
  ) {}

  /** One channel-1 datagram; false when the backchannel is not started. */
  handleDatagram(d: Uint8Array): boolean {
    if (!this.dtls) return false;
    this.dtls.handleDatagram(d);
    return true;
  }

  start(): void {
    this.stop(false);
    const host = this.host;
    const dtls = new DtlsClient({
      psk: host.keys.psk,
      suites: [TLS_PSK_WITH_AES_128_CBC_SHA256],
      handshakeTimeoutMs: host.o.dtlsTimeoutMs,
      retransmitInitialMs: 300,
      send: this.send,
      decryptInPlace: true,
    });
    this.dtls = dtls;
    this.ready = false;
    dtls.on('connected', () => {
      const [l1, l2] = buildAvLoginPair({ password: host.keys.avLoginPassword, randomId: randomFillSync(new Uint8Array(4)) });
      dtls.send(l1);
      // FACTS §11.2: the second copy within 500 ms.
      this.timers.timeout(LOGIN_GAP_MS, () => {
        if (dtls.state === 'connected') dtls.send(l2);
      });
    });
    dtls.on('data', (r) => this.onRecord(r));
    dtls.on('error', () => host.drops.count('device', 'backchannel-dtls-error'));
    dtls.on('close', () => {
      if (this.dtls === dtls) {
        this.dtls = undefined;
        this.ready = false;
        host.emit('intercom', 'stopped');
      }
    });
    dtls.start();
    host.emit('intercom', 'started');
  }

  stop(announce = true): void {
    const dtls = this.dtls;
    if (!dtls) return;
    this.dtls = undefined;
    this.ready = false;
    dtls.close();
    if (announce) this.host.emit('intercom', 'stopped');
  }

  /** The session is over: close_notify if the channel is up, and no 'stopped' event. */
  close(): void {
    const dtls = this.dtls;
    this.dtls = undefined;
    dtls?.removeAllListeners('close');
    dtls?.close();
  }

  private onRecord(r: Uint8Array): void {
    if (r.length >= 2 && u16le(r, 0) === AvMagic.LoginResponse) {
      if (!this.ready) {
        this.ready = true;
        this.host.emit('intercom', 'ready');
      }
      return;
    }
    try {
      const a = parseAudioTxFrame(r);
      const record = Uint8Array.from(r);
      const got: ReceivedAudio = { ...a, payload: Uint8Array.from(a.payload), record };
      this.received.push(got);
      this.host.counters.audioFramesReceived++;
      this.host.emit('audio-received', got);
    } catch (e) {
      if (!(e instanceof TutkParseError)) throw e;
      this.host.drops.count(e.layer, e.reason);
    }
  }
}
