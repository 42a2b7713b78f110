/**
 * Which camera model has which control. Both sides use it: the recorder refuses (422, nothing sent) what a
 * model lacks, and the emulator stays silent to those commands as a camera does (./control-commands.ts).
 *
 * Sources (public; read for facts):
 * - mrlt8/docker-wyze-bridge app/wyzecam/tutk/device_config.json, "supportedCommands": the commands every
 *   camera has ("default": 10020, 10030–10033, 10040–10043, 10050–10053, 10090–10093 from protocol 1,
 *   10300–10303 from protocol 2), and per model: 10044–10047 (IR light) and 11000–11023 (pan and tilt).
 * - the same repository's app/wyzecam/api_models.py: PAN_CAMS = WYZECP1_JEF, HL_PAN2, HL_PAN3, HL_PANP.
 * - tutk_protocol.py K10646SetSpotlightStatus ("spotlight (WYZEC3L)"): the spotlight accessory of the v3;
 *   K12060SetFloodLightSwitch with FACTS §9.1, which names HL_CFL2 the floodlight model.
 * - The siren (K10630/K10632) is offered by the bridge to every camera (wyze_commands.py "alarm") and no
 *   source lists which models have one; the models below are the ones sold with a siren (INFERRED).
 */

export type ControlName =
  | 'status-light'
  | 'night-vision'
  | 'ir-led'
  | 'siren'
  | 'spotlight'
  | 'floodlight'
  | 'camera-time'
  | 'time-zone'
  | 'video'
  | 'ptz'
  | 'pan-scan'
  | 'cruise-points'
  | 'motion-tracking';

export const CONTROL_NAMES: readonly ControlName[] = [
  'status-light',
  'night-vision',
  'ir-led',
  'siren',
  'spotlight',
  'floodlight',
  'camera-time',
  'time-zone',
  'video',
  'ptz',
  'pan-scan',
  'cruise-points',
  'motion-tracking',
];

export const isControlName = (s: string): s is ControlName => (CONTROL_NAMES as readonly string[]).includes(s);

/** device_config.json "default": every TUTK camera. */
const EVERY_CAMERA: readonly ControlName[] = ['status-light', 'night-vision', 'camera-time', 'time-zone', 'video'];
const IR_LED: readonly ControlName[] = ['ir-led'];
const SIREN: readonly ControlName[] = ['siren'];
const PAN: readonly ControlName[] = ['ptz', 'pan-scan', 'cruise-points', 'motion-tracking'];

/** A model's controls beyond EVERY_CAMERA, and a word on each row's source. */
export const MODEL_CONTROLS: Readonly<Record<string, { name: string; controls: readonly ControlName[] }>> = {
  WYZEC1: { name: 'Cam v1', controls: [] },
  'WYZEC1-JZ': { name: 'Cam v2', controls: IR_LED },
  WYZE_CAKP2JFUS: { name: 'Cam v3 (and Cam Floodlight, the v3 with its accessory)', controls: [...IR_LED, ...SIREN, 'spotlight'] },
  HL_CAM3P: { name: 'Cam v3 Pro', controls: [...IR_LED, ...SIREN] },
  HL_CAM4: { name: 'Cam v4', controls: [...IR_LED, ...SIREN, 'spotlight'] },
  WYZECP1_JEF: { name: 'Cam Pan', controls: [...IR_LED, ...PAN] },
  HL_PAN2: { name: 'Cam Pan v2', controls: [...IR_LED, ...SIREN, ...PAN] },
  HL_PAN3: { name: 'Cam Pan v3', controls: [...IR_LED, ...SIREN, ...PAN] },
  HL_PANP: { name: 'Cam Pan Pro', controls: [...IR_LED, ...SIREN, ...PAN] },
  HL_CFL2: { name: 'Cam Floodlight v2', controls: [...SIREN, 'floodlight'] },
  WYZEDB3: { name: 'Video Doorbell', controls: [] },
  HL_DB2: { name: 'Video Doorbell v2', controls: IR_LED },
  WVOD1: { name: 'Cam Outdoor', controls: IR_LED },
  HL_WCO2: { name: 'Cam Outdoor v2', controls: IR_LED },
};

/**
 * Controls that need an accessory fitted (the v3/v4 spotlight): offered on the model, and a camera without
 * the accessory does not answer them.
 */
export const ACCESSORY_CONTROLS: ReadonlySet<ControlName> = new Set(['spotlight']);

/** Every control `model` has, in CONTROL_NAMES order; an unknown model gets what every camera has. */
export function controlsOf(model: string): ControlName[] {
  const extra = MODEL_CONTROLS[model]?.controls ?? [];
  return CONTROL_NAMES.filter((c) => EVERY_CAMERA.includes(c) || extra.includes(c));
}

export const modelHas = (model: string, control: ControlName): boolean => controlsOf(model).includes(control);

export const isPanModel = (model: string): boolean => modelHas(model, 'ptz');
