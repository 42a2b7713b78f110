/**
 * The camera's answer to each K-command it knows (FACTS §9, §14), keyed by command number. A handler reads
 * and changes the camera's state, returns the HL reply, and names what the device does once the reply is
 * on the wire. A new command is one handler and one row of {@link K_COMMAND_HANDLERS}; the camera controls'
 * rows are ./control-handlers.ts.
 */
import { randomFillSync } from 'node:crypto';
import type { HlMessage } from '../av/hl';
import { ConnectionRes, KCmd, KMedia, buildK10001, buildK10003, buildKReply, k10003Json, parseK10002, parseK10010, parseK10052, parseK10056 } from '../av/k-commands';
import { KAuthStatusError, kauthEncrypt, kauthVerify } from '../av/kauth';
import { FrameSize } from '../av/resolution';
import type { CameraState, SessionState } from './camera-state';
import { CONTROL_HANDLERS } from './control-handlers';
import type { DeviceCounters, DeviceQuality } from './device-types';

/** What a handler may touch. */
export interface KCommandContext {
  readonly camera: CameraState;
  readonly session: SessionState;
  readonly counters: Pick<DeviceCounters, 'authAccepted' | 'authRefused' | 'controlsRefused'>;
  /** The camera's clock: FRAMEINFO time and K10090/K10092 (CameraDevice.jumpClock moves it too). */
  readonly clock: { nowMs(): number; set(unixMs: number): void };
  /** Whether the stream the session gets carries audio. */
  hasAudio(): boolean;
  startStreaming(): void;
  switchQuality(q: DeviceQuality): void;
  startBackchannel(): void;
  stopBackchannel(): void;
}

export interface KCommandOutcome {
  /** The HL message sent back in the IOCTRL reply; none for a command the camera leaves unanswered. */
  reply?: Uint8Array;
  /** Runs after the reply was sent. */
  then?: () => void;
}

/** Throws TutkParseError on a malformed request; the responder counts it. */
export type KCommandHandler = (hl: HlMessage, ctx: KCommandContext) => KCommandOutcome;

/** K10000 → K10001: a fresh secret, encrypted for the client's keys (FACTS §9.2). */
const authRequest: KCommandHandler = (_hl, { camera, session }) => {
  session.secret = randomFillSync(new Uint8Array(16));
  const keys = camera.authKeys.kauthKeys.get(camera.authStatus);
  if (!keys) throw new KAuthStatusError(camera.authStatus);
  return { reply: buildK10001({ status: camera.authStatus, challenge: kauthEncrypt(keys, session.secret) }) };
};

/**
 * K10002 → K10003; once accepted the camera streams on its own (FACTS §6 step 8, §9.3). channelResquestResult
 * says what the session gets: audio only when asked for and the camera has an audio source, since a client
 * that believes in audio waits for it (FACTS §9.3, §10.5).
 */
const challengeResponse: KCommandHandler = (hl, ctx) => {
  const { camera, session } = ctx;
  const k = parseK10002(hl);
  const ok = session.secret !== undefined && kauthVerify(session.secret, k.response);
  if (ok) ctx.counters.authAccepted++;
  else ctx.counters.authRefused++;
  const basicInfo = { firmware: camera.firmware, mac: camera.mac.toUpperCase(), model: camera.model, type: 'camera' };
  const reply = buildK10003(k10003Json({ connectionRes: ok ? ConnectionRes.Ok : ConnectionRes.WrongKey, audio: k.audio && ctx.hasAudio(), video: k.video, basicInfo }));
  if (!ok) return { reply };
  session.videoOn = k.video;
  session.audioOn = k.audio;
  return { reply, then: () => ctx.startStreaming() };
};

/** K10010 → K10011: video, audio, or the return-audio channel on or off (FACTS §11.1). */
const controlChannel: KCommandHandler = (hl, ctx) => {
  const k = parseK10010(hl);
  const reply = buildKReply(KCmd.ControlChannelReply);
  if (k.media === KMedia.Video) ctx.session.videoOn = k.enable;
  else if (k.media === KMedia.Audio) ctx.session.audioOn = k.enable;
  else if (k.media === KMedia.ReturnAudio) return { reply, then: k.enable ? () => ctx.startBackchannel() : () => ctx.stopBackchannel() };
  return { reply };
};

/** K10056 (K10052 on doorbells) → its reply; 360P is 'sd', anything else 'hd' (FACTS §9.1). */
const setResolution: KCommandHandler = (hl, ctx) => {
  const cameras = hl.cmd === KCmd.SetResolution;
  const req = cameras ? parseK10056(hl) : parseK10052(hl);
  const q: DeviceQuality = req.frameSize === FrameSize.P360 ? 'sd' : 'hd';
  return { reply: buildKReply(cameras ? KCmd.SetResolutionReply : KCmd.SetResolutionDoorbellReply), then: () => ctx.switchQuality(q) };
};

export const K_COMMAND_HANDLERS: ReadonlyMap<number, KCommandHandler> = new Map([
  [KCmd.AuthRequest, authRequest],
  [KCmd.ChallengeResponse, challengeResponse],
  [KCmd.ControlChannel, controlChannel],
  [KCmd.SetResolution, setResolution],
  [KCmd.SetResolutionDoorbell, setResolution],
  ...CONTROL_HANDLERS,
]);
