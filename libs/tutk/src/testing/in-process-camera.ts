// A camera's K-command side without sockets, for unit tests of what sends K-commands: `command` has
// CameraSession.command's shape and is answered by the emulator's real handler table (device/
// k-command-handlers.ts) over CameraControlState, with a camera clock the test sets.
import { parseHl } from '../av/hl';
import { parseIoctrlFrame } from '../av/ioctrl';
import type { KRequest } from '../av/k-request';
import type { ControlName } from '../controls/model-capabilities';
import { deriveCameraKeys } from '../credentials/camera-keys';
import { SessionState } from '../device/camera-state';
import { CameraControlState } from '../device/control-state';
import type { DeviceCounters } from '../device/device-types';
import { KCommandResponder } from '../device/k-command-responder';
import { ParseDropCounter } from '../session/drops';

export interface InProcessCamera {
  /** As CameraSession.command: the parsed reply, undefined for silence, `sent` for a never-answered command. */
  command<T>(req: KRequest<T>, timeoutMs?: number): Promise<T | undefined>;
  /** Sends the request and returns the raw reply frame's HL, or 'silent'. */
  ask<T>(req: KRequest<T>, cmdSeq?: number): T | 'silent';
  readonly controls: CameraControlState;
  readonly counters: DeviceCounters;
  /** The camera clock: host time + offsetMs. */
  readonly clock: { offsetMs: number; nowMs(): number; set(unixMs: number): void };
  /** Reply frames sent. */
  readonly sent: Uint8Array[];
}

export function inProcessCamera(model: string, o: { accessories?: ControlName[]; clockOffsetMs?: number } = {}): InProcessCamera {
  const counters = { ioctrlRequests: 0, ioctrlDuplicates: 0, authAccepted: 0, authRefused: 0, controlsRefused: 0 } as DeviceCounters;
  const sent: Uint8Array[] = [];
  const clock = {
    offsetMs: o.clockOffsetMs ?? 0,
    nowMs: () => Date.now() + clock.offsetMs,
    set: (ms: number) => (clock.offsetMs = ms - Date.now()),
  };
  const controls = new CameraControlState();
  const keys = deriveCameraKeys('testENRkey0123456789abcdefABCDEF', 'TESTUID1234567890ABC', 'aabbccddeeff');
  const r = new KCommandResponder(
    {
      camera: { mac: 'aabbccddeeff', model, firmware: '4.52.9.4188', authStatus: 3, authKeys: keys, controls, accessories: new Set(o.accessories ?? []) },
      session: new SessionState(),
      counters,
      clock,
      hasAudio: () => true,
      startStreaming: () => {},
      switchQuality: () => {},
      startBackchannel: () => {},
      stopBackchannel: () => {},
    },
    counters,
    new ParseDropCounter(),
    (f) => sent.push(f),
  );
  let seq = 0;
  const ask = <T>(req: KRequest<T>, cmdSeq = seq++): T | 'silent' => {
    const before = sent.length;
    r.handle(cmdSeq, parseHl(req.hl));
    if (req.reply === undefined) return req.sent;
    if (sent.length === before) return 'silent';
    const hl = parseIoctrlFrame(sent[sent.length - 1]).hl;
    if (hl.cmd !== req.reply) throw new Error(`reply K${hl.cmd}, expected K${req.reply}`);
    return req.parse(hl);
  };
  return {
    ask,
    command: async (req) => {
      const a = ask(req);
      return a === 'silent' ? undefined : a;
    },
    controls,
    counters,
    clock,
    sent,
  };
}
