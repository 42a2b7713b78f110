/**
 * The emulated camera's state that K-commands read and change, in one place: what the camera is (identity,
 * K-auth) and what the current client session has switched. A new command's state belongs here too.
 */
import type { CameraKeys } from '../credentials/camera-keys';
import type { ControlName } from '../controls/model-capabilities';
import type { CameraControlState } from './control-state';
import type { DeviceQuality } from './device-types';

/** The camera itself; outlives client sessions. */
export interface CameraState {
  readonly mac: string;
  readonly model: string;
  /** Reported in K10003's basicInfo (FACTS §9.3). */
  readonly firmware: string;
  /** K10001 status (FACTS §9.2). */
  readonly authStatus: 1 | 3 | 6;
  /** The keys K10002 is checked against. */
  readonly authKeys: CameraKeys;
  /** Settings the control K-commands read and change (./control-handlers.ts). */
  readonly controls: CameraControlState;
  /** Accessory controls fitted (controls/model-capabilities.ts ACCESSORY_CONTROLS): the v3/v4 spotlight. */
  readonly accessories: ReadonlySet<ControlName>;
}

/** What one client session has switched; every session starts from these defaults. */
export class SessionState {
  quality: DeviceQuality = 'hd';
  videoOn = true;
  audioOn = true;
  /** The secret behind the last K10001 challenge (FACTS §9.2). */
  secret: Uint8Array | undefined;
}
