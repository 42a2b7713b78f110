/**
 * One camera's controls, sent as K-commands on the session the recorder already holds for it (a Wyze camera
 * drops its first session when a second one opens, so there is never another). What the model lacks is
 * refused before anything is sent; a camera that is not connected is refused with why.
 */
import { CONTROL_SPECS, TutkParseError, commandsOf, controlsOf, isControlName, ACCESSORY_CONTROLS, type ControlKind, type ControlName } from '@wyze-nvr/tutk';
import type { Logger } from '@wyze-nvr/log';
import { InternalError } from '../internal/internal-error';
import type { CommandSession } from './camera-clock-sync';

/** A read gets one resend (IOCTRL resends every second, FACTS §8.5) before it counts as unanswered. */
const READ_TIMEOUT_MS = 1500;
/** A change gets four copies, and still answers before the API gives up on the recorder (10 s). */
const WRITE_TIMEOUT_MS = 4000;

export interface ControlView {
  name: ControlName;
  kind: ControlKind;
  options?: readonly string[];
  min?: number;
  max?: number;
  readable: boolean;
  writable: boolean;
  /** Needs an accessory fitted; a camera without it does not answer. */
  accessory: boolean;
  /** The value read from the camera now; for a control that cannot be read, the last one set here (or null). */
  value: unknown;
  /** Why `value` is null although the control is readable. */
  error?: string;
  /** camera-time: camera clock − recorder clock when it was read, seconds (the camera keeps whole seconds). */
  offsetSeconds?: number;
  /** The K-commands behind it (get, then set). */
  commands: number[];
}

export interface ControlsView {
  cameraId: number;
  model: string;
  controls: ControlView[];
}

export interface CameraControlsOptions {
  cameraId: number;
  model: string;
  /** The connected session, or why there is none (the supervisor's state and last error). */
  session(): CommandSession | { state: string; reason: string | null };
  nowMs(): number;
  logger: Logger;
}

const isSession = (s: CommandSession | { state: string }): s is CommandSession => 'command' in s;

/** The session ended while a command waited (CameraSession.command throws the session's error). */
function sessionEnded(e: unknown): InternalError {
  return new InternalError(503, 'camera-not-recording', `the camera session ended (${e instanceof Error ? e.message : String(e)})`, { state: 'connecting', reason: 'the session ended' });
}

export class CameraControls {
  /** Values of write-only controls (the floodlight) as last set through this recorder. */
  private readonly lastSet = new Map<ControlName, unknown>();

  constructor(private readonly o: CameraControlsOptions) {}

  /** Every control the model has, with its value now (read from the camera, one command at a time). */
  async list(): Promise<ControlsView> {
    const session = this.connected();
    const controls: ControlView[] = [];
    for (const name of controlsOf(this.o.model)) {
      const spec = CONTROL_SPECS[name];
      const view: ControlView = {
        name,
        kind: spec.kind,
        ...(spec.options && { options: spec.options }),
        ...(spec.min !== undefined && { min: spec.min, max: spec.max }),
        readable: !!spec.read,
        writable: !!spec.write,
        accessory: ACCESSORY_CONTROLS.has(name),
        value: this.lastSet.get(name) ?? null,
        commands: commandsOf(spec),
      };
      if (spec.read) {
        try {
          const v = await session.command(spec.read(), READ_TIMEOUT_MS);
          if (v === undefined || v === null) view.error = v === undefined ? 'the camera did not answer' : 'the camera did not say';
          else view.value = v;
          if (name === 'camera-time' && typeof v === 'string') view.offsetSeconds = Math.round((Date.parse(v) + 500 - this.o.nowMs()) / 100) / 10;
        } catch (e) {
          if (!(e instanceof TutkParseError)) throw sessionEnded(e);
          view.error = `malformed reply (${e.reason})`;
        }
      }
      controls.push(view);
    }
    return { cameraId: this.o.cameraId, model: this.o.model, controls };
  }

  /** Checks `input`, sends the control's request and waits for the camera's acknowledgement. */
  async set(name: string, input: unknown): Promise<{ name: ControlName; value: unknown }> {
    if (!isControlName(name)) throw new InternalError(404, 'control-not-found', `no control named ${name}`);
    const spec = CONTROL_SPECS[name];
    if (!controlsOf(this.o.model).includes(name)) throw new InternalError(422, 'control-not-supported', `a ${this.o.model} has no ${name}`, { model: this.o.model });
    if (!spec.write) throw new InternalError(422, 'control-read-only', `${name} can only be read`);
    const checked = spec.check(input);
    if (!checked.ok) throw new InternalError(400, 'validation-failed', `value: ${checked.reason}`, { errors: [{ field: 'value', reason: checked.reason }] });
    const session = this.connected();
    let done: boolean | undefined;
    try {
      done = await session.command(spec.write(checked.value, this.o.nowMs()), WRITE_TIMEOUT_MS);
    } catch (e) {
      if (e instanceof TutkParseError) throw new InternalError(502, 'camera-bad-reply', `the camera's reply to ${name} is malformed (${e.reason})`);
      throw sessionEnded(e);
    }
    if (done === undefined) throw new InternalError(504, 'camera-no-answer', `the camera did not acknowledge ${name} within ${WRITE_TIMEOUT_MS / 1000} s`);
    if (!done) throw new InternalError(502, 'camera-refused', `the camera refused ${name}`);
    if (!spec.read) this.lastSet.set(name, input);
    this.o.logger.info({ cameraId: this.o.cameraId, control: name, value: input }, `camera control ${name} set`);
    return { name, value: input };
  }

  private connected(): CommandSession {
    const s = this.o.session();
    if (isSession(s)) return s;
    throw new InternalError(503, 'camera-not-recording', `the camera is not connected (${s.state}): controls need its session`, { state: s.state, reason: s.reason });
  }
}
