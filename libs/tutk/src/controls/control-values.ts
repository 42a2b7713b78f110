/**
 * The values of camera controls as the REST API carries them (JSON), and their validation: the API answers
 * 400 with the reason, and the recorder checks again before anything is sent. Pure: no protocol here.
 */
import { TIME_ZONE_MAX, TIME_ZONE_MIN } from '../av/k-controls';
import { CRUISE_WAIT_MIN, PTZ_HORIZONTAL_MAX, PTZ_SPEED_MAX, PTZ_SPEED_MIN, PTZ_VERTICAL_MAX } from '../av/k-ptz';

export type NightVision = 'on' | 'off' | 'auto';
export const NIGHT_VISION_VALUES: readonly NightVision[] = ['on', 'off', 'auto'];

export interface VideoValue {
  bitrateKBps: number;
  /** FACTS §9.1 frame-size constant (0 1080P, 1 360P, 2 720P, 3 2K, 4 floodlight); null when the camera says 0. */
  frameSize: number | null;
  fps: number;
  horizontalFlip: boolean;
  verticalFlip: boolean;
}

export interface CruisePointValue {
  /** Degrees 0..255: one byte per point (av/k-ptz.ts). */
  horizontal: number;
  /** Degrees 0..40. */
  vertical: number;
  /** Seconds at the point, 10..255. */
  waitSeconds: number;
}

export type PtzDirection = 'left' | 'right' | 'up' | 'down';
export const PTZ_DIRECTIONS: readonly PtzDirection[] = ['left', 'right', 'up', 'down'];

/** What `PUT …/controls/ptz` takes. */
export type PtzMove =
  /** K11002: one step. */
  | { action: 'step'; direction: PtzDirection; speed?: number }
  /** K11000: turn by degrees, right and up positive. */
  | { action: 'rotate'; horizontal: number; vertical: number; speed?: number }
  /** K11018: go to an absolute position. */
  | { action: 'goto'; horizontal: number; vertical: number };

export const CRUISE_POINTS_API_MAX = 16;
export const ROTATE_MAX_DEGREES = 360;

/** A validated value, or why the input is not one. */
export type Checked<V> = { ok: true; value: V } | { ok: false; reason: string };

const ok = <V>(value: V): Checked<V> => ({ ok: true, value });
const no = <V>(reason: string): Checked<V> => ({ ok: false, reason });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

export const checkSwitch = (v: unknown): Checked<boolean> => (typeof v === 'boolean' ? ok(v) : no('must be true or false'));

export const checkNightVision = (v: unknown): Checked<NightVision> =>
  typeof v === 'string' && (NIGHT_VISION_VALUES as readonly string[]).includes(v) ? ok(v as NightVision) : no(`must be one of ${NIGHT_VISION_VALUES.join(', ')}`);

export const checkTimeZone = (v: unknown): Checked<number> => (isInt(v, TIME_ZONE_MIN, TIME_ZONE_MAX) ? ok(v) : no(`must be an integer ${TIME_ZONE_MIN}..${TIME_ZONE_MAX} (hours from UTC)`));

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** "now" (the recorder's clock when it sends) or an ISO 8601 UTC time; the camera keeps whole seconds. */
export function checkCameraTime(v: unknown): Checked<'now' | number> {
  if (v === 'now') return ok('now');
  if (typeof v !== 'string' || !ISO_UTC.test(v)) return no('must be "now" or an ISO 8601 UTC time ending in Z');
  const ms = Date.parse(v);
  // Date.parse rolls 30 February over into March: a time that does not print back the same is not one.
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 19) !== v.slice(0, 19)) return no('is not a real date and time');
  if (ms < 0 || ms / 1000 > 0xffff_ffff) return no('must be between 1970 and 2106 (u32 Unix seconds)');
  return ok(Math.floor(ms / 1000));
}

function checkSpeed(v: unknown): Checked<number | undefined> {
  if (v === undefined) return ok(undefined);
  return isInt(v, PTZ_SPEED_MIN, PTZ_SPEED_MAX) ? ok(v) : no(`speed must be an integer ${PTZ_SPEED_MIN}..${PTZ_SPEED_MAX}`);
}

function onlyKeys(v: Record<string, unknown>, keys: readonly string[]): string | undefined {
  const extra = Object.keys(v).filter((k) => !keys.includes(k));
  return extra.length ? `unknown field ${extra[0]}` : undefined;
}

export function checkPtzMove(v: unknown): Checked<PtzMove> {
  if (!isObject(v)) return no('must be an object with an action: step, rotate or goto');
  if (v.action === 'step') {
    const extra = onlyKeys(v, ['action', 'direction', 'speed']);
    if (extra) return no(extra);
    if (typeof v.direction !== 'string' || !(PTZ_DIRECTIONS as readonly string[]).includes(v.direction)) return no(`direction must be one of ${PTZ_DIRECTIONS.join(', ')}`);
    const speed = checkSpeed(v.speed);
    return speed.ok ? ok({ action: 'step', direction: v.direction as PtzDirection, speed: speed.value }) : no(speed.reason);
  }
  if (v.action === 'rotate') {
    const extra = onlyKeys(v, ['action', 'horizontal', 'vertical', 'speed']);
    if (extra) return no(extra);
    const m = ROTATE_MAX_DEGREES;
    if (!isInt(v.horizontal, -m, m) || !isInt(v.vertical, -m / 2, m / 2)) return no(`horizontal must be an integer -${m}..${m} and vertical -${m / 2}..${m / 2} (degrees, right and up positive)`);
    const speed = checkSpeed(v.speed);
    return speed.ok ? ok({ action: 'rotate', horizontal: v.horizontal, vertical: v.vertical, speed: speed.value }) : no(speed.reason);
  }
  if (v.action === 'goto') {
    const extra = onlyKeys(v, ['action', 'horizontal', 'vertical']);
    if (extra) return no(extra);
    if (!isInt(v.horizontal, 0, PTZ_HORIZONTAL_MAX) || !isInt(v.vertical, 0, PTZ_VERTICAL_MAX)) return no(`horizontal must be an integer 0..${PTZ_HORIZONTAL_MAX} and vertical 0..${PTZ_VERTICAL_MAX} (degrees)`);
    return ok({ action: 'goto', horizontal: v.horizontal, vertical: v.vertical });
  }
  return no('action must be step, rotate or goto');
}

export function checkCruisePoints(v: unknown): Checked<CruisePointValue[]> {
  if (!Array.isArray(v) || v.length < 1 || v.length > CRUISE_POINTS_API_MAX) return no(`must be a list of 1..${CRUISE_POINTS_API_MAX} points`);
  const out: CruisePointValue[] = [];
  for (const [i, p] of v.entries()) {
    if (!isObject(p)) return no(`point ${i} must be an object {horizontal, vertical, waitSeconds}`);
    const extra = onlyKeys(p, ['horizontal', 'vertical', 'waitSeconds']);
    if (extra) return no(`point ${i}: ${extra}`);
    const wait = p.waitSeconds ?? CRUISE_WAIT_MIN;
    if (!isInt(p.horizontal, 0, 255) || !isInt(p.vertical, 0, PTZ_VERTICAL_MAX) || !isInt(wait, CRUISE_WAIT_MIN, 255)) {
      return no(`point ${i}: horizontal must be an integer 0..255, vertical 0..${PTZ_VERTICAL_MAX}, waitSeconds ${CRUISE_WAIT_MIN}..255`);
    }
    out.push({ horizontal: p.horizontal, vertical: p.vertical, waitSeconds: wait });
  }
  return ok(out);
}
