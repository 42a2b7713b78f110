/**
 * The emulated camera's settings that control K-commands read and change (./control-handlers.ts). It
 * belongs to the camera, not to a client session: a setting survives reconnects, as on a camera. Tests read
 * it through CameraDevice.controls. Values are the protocol's own (KState: 1 on, 2 off, 3 auto).
 */
import { KState } from '../av/k-controls';
import { PTZ_HORIZONTAL_MAX, PTZ_VERTICAL_MAX, type CruisePoint } from '../av/k-ptz';

export interface PtzPosition {
  /** Degrees 0..350 (K11018). */
  horizontal: number;
  /** Degrees 0..40 (K11018). */
  vertical: number;
}

/**
 * How far one K11002 step turns the emulator. wyzecam documents no step size; these are the emulator's
 * own choice, large enough that a test sees a step move the position.
 */
export const PTZ_STEP_DEGREES = { horizontal: 15, vertical: 5 } as const;

const clamp = (v: number, max: number): number => Math.min(max, Math.max(0, v));

export class CameraControlState {
  statusLight: number = KState.On;
  nightVision: number = KState.Auto;
  irLed: number = KState.On;
  siren: number = KState.Off;
  spotlight: number = KState.Off;
  floodlight: number = KState.Off;
  /** Hours from UTC (K10302). */
  timeZone = 0;
  panScan: number = KState.Off;
  motionTracking: number = KState.Off;
  cruisePoints: CruisePoint[] = [];
  /** Starts in the middle of its range, so every direction can move. */
  readonly position: PtzPosition = { horizontal: 175, vertical: 20 };
  /** PTZ requests applied (K11000, K11002, K11018), for tests. */
  ptzMoves = 0;

  /** K11000: by degrees, right and up positive, stopping at the ends of the range. */
  rotate(horizontal: number, vertical: number): void {
    this.position.horizontal = clamp(this.position.horizontal + horizontal, PTZ_HORIZONTAL_MAX);
    this.position.vertical = clamp(this.position.vertical + vertical, PTZ_VERTICAL_MAX);
    this.ptzMoves++;
  }

  /** K11002: horizontal 1 left, 2 right; vertical 1 up, 2 down; 0 stays. */
  step(horizontal: 0 | 1 | 2, vertical: 0 | 1 | 2): void {
    const h = horizontal === 1 ? -1 : horizontal === 2 ? 1 : 0;
    const v = vertical === 1 ? 1 : vertical === 2 ? -1 : 0;
    this.rotate(h * PTZ_STEP_DEGREES.horizontal, v * PTZ_STEP_DEGREES.vertical);
  }

  /** K11018 */
  goTo(horizontal: number, vertical: number): void {
    this.position.horizontal = horizontal;
    this.position.vertical = vertical;
    this.ptzMoves++;
  }
}
