import { isIP } from 'node:net';
import type { WyzeDevice } from './wyze-device';

/**
 * Models known to work over the DTLS path: the ones go2rtc's README lists as tested (FACTS §0).
 * A DTLS camera of another model is imported as "untested": it speaks the same protocol as far as the
 * cloud record tells, but nobody has confirmed it. Add a model here once it has recorded for a day.
 */
export const KNOWN_WORKING_MODELS: Readonly<Record<string, string>> = Object.freeze({
  WYZE_CAKP2JFUS: 'Wyze Cam v3',
  HL_CAM4: 'Wyze Cam v4',
  WYZEC1_JZ: 'Wyze Cam v2', // the cloud spells it WYZEC1-JZ; keys are compared after normalizeModel
  WYZEDB3: 'Wyze Video Doorbell v2',
});

export type CameraSupport = 'supported' | 'untested' | 'unsupported';

export interface CameraClassification {
  support: CameraSupport;
  /** Why, for untested and unsupported cameras. */
  reason?: string;
}

/** Only entries of this product type are cameras (FACTS §12.2 filter). */
export const CAMERA_PRODUCT_TYPE = 'Camera';

export function isCamera(d: WyzeDevice): boolean {
  return d.productType === CAMERA_PRODUCT_TYPE;
}

function normalizeModel(model: string): string {
  return model.trim().toUpperCase().replace(/-/g, '_');
}

export function knownModelName(model: string): string | undefined {
  return KNOWN_WORKING_MODELS[normalizeModel(model)];
}

/**
 * FACTS §1 and §12.2: this NVR speaks only the TUTK DTLS path, so a camera needs `dtls == 1` and a LAN
 * IP in its cloud record (no IP means a Gwell-based camera such as the Pan v4 or the OG), plus the UID
 * and ENR that the connection is built from.
 */
export function classifyCamera(d: WyzeDevice): CameraClassification {
  if (d.ip === null) {
    return { support: 'unsupported', reason: 'no LAN IP in the cloud record: a Gwell-based camera (e.g. Pan v4, OG), which does not speak TUTK' };
  }
  if (isIP(d.ip) === 0) return { support: 'unsupported', reason: 'the cloud record holds an IP address that cannot be read' };
  if (d.dtls !== 1) {
    return {
      support: 'unsupported',
      reason: `firmware without DTLS (dtls=${d.dtls ?? 'absent'}); update the camera firmware from the Wyze app, then import again`,
    };
  }
  if (d.uid === '') return { support: 'unsupported', reason: 'the cloud record has no P2P UID' };
  if (d.enr === '') return { support: 'unsupported', reason: 'the cloud record has no camera key (ENR)' };
  if (d.mac === '') return { support: 'unsupported', reason: 'the cloud record has no MAC address' };
  if (knownModelName(d.productModel) === undefined) {
    return { support: 'untested', reason: `model ${d.productModel || '(blank)'} speaks DTLS but has not been tested with this NVR` };
  }
  return { support: 'supported' };
}
