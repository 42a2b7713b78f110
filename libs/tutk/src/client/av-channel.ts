/**
 * The AV layer on channel 0's DTLS (FACTS §8, §9): which records are media, one AV sequence shared by ACKs
 * and IOCTRL frames, the ACK window, the command records (0x000c) and the IOCTRL requests that wait on them
 * one at a time, the two handshake steps made of them (AV login and K-auth), and the K-commands sent on them
 * afterwards (resolution, camera controls: CameraSession.command).
 */
import { randomFillSync } from 'node:crypto';
import { AckWindow, buildAck } from '../av/ack';
import type { AckRun } from '../av/received-runs';
import { buildIoctrlFrame, parseIoctrlFrame, type IoctrlFrame } from '../av/ioctrl';
import { KCmd, buildK10000, buildK10002, parseK10001, parseK10003 } from '../av/k-commands';
import { kauthDecrypt, KAuthStatusError } from '../av/kauth';
import type { KRequest } from '../av/k-request';
import { resolutionCommand } from '../av/resolution';
import { buildAvLoginPair } from '../av/login';
import { parseAvLoginResponse, AV_LOGIN_RESPONSE_MIN, type AvLoginResponse } from '../av/login-response';
import { isMediaChannel } from '../frames/codecs';
import { RESEND_WRAPPER } from '../frames/packet';
import { CommandQueue } from '../session/command-queue';
import type { TimerSet } from '../session/timers';
import { TutkParseError } from '../wire/parse-error';
import { TutkSessionError } from './session-error';

const IOCTRL_RESEND_MS = 1000;
/** FACTS §8.2: go2rtc sends login #2 10 ms after #1. */
const LOGIN_GAP_MS = 10;

/**
 * FACTS §8.1: byte 0 of 0x03/0x05/0x07 is media. Media in the resend = 1 format starts with 0x0c (SEED §9.6),
 * whatever the client asked for at login, so both formats are taken either way. A wrapped record of frame
 * type 0 starts `0c 00`, like a control record (0x000c); the two are told apart at [16]: the media channel
 * (or 0x0c for a frame-index packet, SEED §9.7) in a wrapped record, the low byte of 0x7000 (0x00) in a
 * control record of the shape FACTS §8.5-8.6 describe. **INFERRED**: a camera that wrote 0x03, 0x05, 0x07
 * or 0x0c at [16] of a control record would be misread; FACTS §8.6 leaves [16-17] free but no shape seen
 * does so.
 */
export function isMediaRecord(r: Uint8Array): boolean {
  if (r.length < 2) return false;
  if (r[0] !== RESEND_WRAPPER) return r[0] === 0x03 || r[0] === 0x05 || r[0] === 0x07;
  if (r.length <= 16) return false;
  return r[1] !== 0x00 || isMediaChannel(r[16]) || r[16] === RESEND_WRAPPER;
}

/** What the AV channel uses of its session. */
export interface AvChannelHost {
  readonly timers: TimerSet;
  readonly counters: { acksSent: number };
  readonly ioctrlTimeoutMs: number;
  /** One AV record out on channel 0; dropped unless its DTLS is connected. */
  send(record: Uint8Array): void;
  /** Resolves after `ms`, or when the session ends. */
  deadline(ms: number): Promise<void>;
  ended(): boolean;
  /**
   * What an ACK with nothing particular to say reports once the camera sends wrapped media (the newest run
   * received, INFERRED model of av/received-runs.ts); undefined: go2rtc's window (FACTS §8.4).
   */
  ackRun(): AckRun | undefined;
}

export class AvChannel {
  private readonly commands = new CommandQueue();
  private ioctrlWaiting = false;
  private readonly ackWindow = new AckWindow();
  private avSeq = 0;
  private cmdSeq = 0;
  private ackCount = 0;
  /** Serialises IOCTRL requests: one at a time, as go2rtc (FACTS §8.1). */
  private requests: Promise<unknown> = Promise.resolve();

  constructor(private readonly host: AvChannelHost) {}

  /** Command records nobody waited for (FACTS §8.1). */
  get commandsDiscarded(): number {
    return this.commands.discarded + this.commands.overflowed;
  }

  onCommandRecord(r: Uint8Array): void {
    this.ackWindow.observe(r);
    // FACTS §8.3: one extra ACK for every command record received while an IOCTRL answer is awaited.
    if (this.ioctrlWaiting) this.sendAck();
    this.commands.push(r);
  }

  /**
   * FACTS §8.2: the login pair, then the camera's 0x2100 response; undefined after `timeoutMs`. go2rtc sends
   * #2 10 ms after #1: its choice (the seed sends them back to back), presumably so that the camera takes #1
   * in first. A camera that has answered #1 has done that, so #2 follows the answer or the 10 ms, whichever
   * comes first, and that answer is the one used (the client takes the first; the camera's answer to #2 is
   * discarded by the K10000 wait, as in go2rtc). Each is still sent once, never later than go2rtc sends it.
   */
  async login(password: string, resend: 0 | 1, timeoutMs: number): Promise<AvLoginResponse | undefined> {
    const [l1, l2] = buildAvLoginPair({ password, randomId: randomFillSync(new Uint8Array(4)), resend });
    const response = (r: Uint8Array) => (r.length < AV_LOGIN_RESPONSE_MIN || r[0] !== 0x00 || r[1] !== 0x21 ? undefined : parseAvLoginResponse(r));
    this.host.send(l1);
    const early = await this.commands.wait(response, this.host.deadline(LOGIN_GAP_MS));
    this.host.send(l2);
    return early ?? this.commands.wait(response, this.host.deadline(timeoutMs));
  }

  /**
   * FACTS §9: K10000, the K10001 challenge answered with K10002, then K10003. `onStatus` hears the status
   * the camera asked for as soon as it is known; `onDrop` an unreadable K10003, which go2rtc ignores.
   */
  async authenticate(kauthKeys: ReadonlyMap<number, readonly Uint8Array[]>, onStatus: (status: number) => void, onDrop: (layer: string, reason: string) => void): Promise<void> {
    const timeoutMs = this.host.ioctrlTimeoutMs;
    const c = await this.ioctrl(buildK10000(), KCmd.Challenge);
    if (!c) throw new TutkSessionError('auth', 'login-timeout', `no K10001 within ${timeoutMs} ms`);
    let challenge;
    try {
      challenge = parseK10001(c.hl);
    } catch (e) {
      throw new TutkSessionError('auth', 'auth-refused', 'malformed K10001', { cause: e });
    }
    onStatus(challenge.status);
    const keys = kauthKeys.get(challenge.status);
    if (!keys) throw new TutkSessionError('auth', 'auth-refused', new KAuthStatusError(challenge.status).message);
    const response = kauthDecrypt(keys, challenge.challenge);
    const r = await this.ioctrl(buildK10002({ response, sessionId: randomFillSync(new Uint8Array(4)), video: true, audio: true }), KCmd.AuthResult);
    if (!r) throw new TutkSessionError('auth', 'login-timeout', `no K10003 within ${timeoutMs} ms`);
    let result;
    try {
      result = parseK10003(r.hl);
    } catch (e) {
      // go2rtc carries on after an unreadable K10003 (FACTS §9.3); so do we, but count it.
      onDrop(e instanceof TutkParseError ? e.layer : 'hl', e instanceof TutkParseError ? e.reason : 'bad-json');
      return;
    }
    if (result.wrongKey) throw new TutkSessionError('auth', 'auth-refused', 'the camera answered K10003 with connectionRes "2" (ENR authentication failed)');
  }

  /**
   * FACTS §8.4: the AV sequence is shared with IOCTRL frames; go2rtc's window moves after each ACK. With a
   * run (resend = 1, INFERRED), the ACK reports that run instead.
   */
  sendAck(run?: AckRun): void {
    const w = run ?? this.host.ackRun() ?? this.ackWindow.take();
    this.ackCount = (this.ackCount + 1) & 0xffff;
    this.host.send(buildAck({ avSeq: this.avSeq++ >>> 0, rxStart: w.rxStart, rxEnd: w.rxEnd, count: this.ackCount, ms16: Date.now() & 0xffff }));
    this.host.counters.acksSent++;
  }

  /** K10056 or K10052 by model (FACTS §9.1); false when the camera did not acknowledge it. */
  async setQuality(model: string, quality: 'hd' | 'sd'): Promise<boolean> {
    const cmd = resolutionCommand(model, quality);
    return (await this.ioctrl(cmd.hl, cmd.reply)) !== undefined;
  }

  /**
   * One K-command (FACTS §9) over {@link ioctrl}: its parsed reply, or undefined when none came within
   * `timeoutMs`; a command cameras never answer resolves with its `sent` value once on the wire. A malformed
   * reply throws its TutkParseError.
   */
  async command<T>(req: KRequest<T>, timeoutMs?: number): Promise<T | undefined> {
    const f = await this.ioctrl(req.hl, req.reply, timeoutMs);
    if (req.reply === undefined) return req.sent;
    return f && req.parse(f.hl);
  }

  /**
   * FACTS §8.5: one IOCTRL frame, resent identically every 1 s until a command record carries the HL reply
   * `replyCmd`, for up to `timeoutMs` (default ioctrlTimeoutMs). Resolves undefined on timeout or when the
   * session ends. Without `replyCmd` (a command cameras never answer) the frame goes out once, unrepeated.
   */
  ioctrl(hl: Uint8Array, replyCmd: number | undefined, timeoutMs = this.host.ioctrlTimeoutMs): Promise<IoctrlFrame | undefined> {
    const host = this.host;
    const run = async () => {
      if (host.ended()) return undefined;
      const frame = buildIoctrlFrame({ avSeq: this.avSeq++ >>> 0, cmdSeq: this.cmdSeq++, hl });
      host.send(frame);
      if (replyCmd === undefined) return undefined;
      const every = host.timers.interval(IOCTRL_RESEND_MS, () => host.send(frame));
      this.ioctrlWaiting = true;
      try {
        return await this.commands.wait((r) => {
          try {
            const f = parseIoctrlFrame(r);
            return f.hl.cmd === replyCmd ? f : undefined;
          } catch {
            return undefined;
          }
        }, host.deadline(timeoutMs));
      } finally {
        this.ioctrlWaiting = false;
        host.timers.clear(every);
      }
    };
    const p = this.requests.then(run, run);
    this.requests = p.catch(() => {});
    return p;
  }
}
