import { KCmd, type ResolutionRequest, buildK10052, buildK10056 } from './k-commands';

/** Frame-size constants before the +1 (FACTS §9.1). */
export const FrameSize = {
  P1080: 0,
  P360: 1,
  P720: 2,
  K2: 3,
  Floodlight: 4,
} as const;

/** Models that take K10052 instead of K10056 (FACTS §9.1); what K10052 means to the others: ./k-controls.ts header. */
export const DOORBELL_RESOLUTION_MODELS: ReadonlySet<string> = new Set(['WYZEDB3', 'WVOD1', 'HL_WCO2', 'WYZEC1']);
const K2_MODELS: ReadonlySet<string> = new Set(['HL_CAM3P', 'HL_PANP', 'HL_CAM4', 'HL_DB2']);
const FLOODLIGHT_MODEL = 'HL_CFL2';

export const BITRATE_HD = 0xf0;
export const BITRATE_SD = 0x3c;

/** What "hd" means for a model (FACTS §9.1). */
export function hdFrameSize(model: string): number {
  if (model === FLOODLIGHT_MODEL) return FrameSize.Floodlight;
  if (K2_MODELS.has(model)) return FrameSize.K2;
  return FrameSize.P1080;
}

export interface ResolutionCommand {
  cmd: number;
  reply: number;
  request: ResolutionRequest;
  /** The HL message to send inside an IOCTRL frame. */
  hl: Uint8Array;
}

/**
 * The resolution command go2rtc would send for a model: 'hd' and 'sd' as in FACTS §9.1, or an explicit
 * frame-size constant (0..4), which is sent with the HD bitrate unless it is 360P.
 */
export function resolutionCommand(model: string, quality: 'hd' | 'sd' | number): ResolutionCommand {
  const frameSize = quality === 'hd' ? hdFrameSize(model) : quality === 'sd' ? FrameSize.P360 : quality;
  if (!Number.isInteger(frameSize) || frameSize < 0 || frameSize > 254) throw new RangeError(`bad frame size ${String(quality)}`);
  const request: ResolutionRequest = { frameSize, bitrate: frameSize === FrameSize.P360 ? BITRATE_SD : BITRATE_HD, fps: 0 };
  return DOORBELL_RESOLUTION_MODELS.has(model)
    ? { cmd: KCmd.SetResolutionDoorbell, reply: KCmd.SetResolutionDoorbellReply, request, hl: buildK10052(request) }
    : { cmd: KCmd.SetResolution, reply: KCmd.SetResolutionReply, request, hl: buildK10056(request) };
}
