// The camera-control K-command parsers `npm run fuzz` feeds (libs/tutk av/k-controls.ts, av/k-ptz.ts): every
// request and reply of every control, as the client and the emulator build them, fed to each parser.
import {
  CONTROL_SPECS,
  buildK10021,
  buildK10051,
  buildKCruisePoints,
  buildKSiren,
  buildKState,
  buildKUnixTime,
  parseK10020,
  parseK10021,
  parseK10051,
  parseK10302,
  parseK11000,
  parseK11002,
  parseK11018,
  parseKCruisePoints,
  parseKSiren,
  parseKState,
  parseKUnixTime,
} from '@wyze-nvr/tutk';
import type { FuzzFamily, FuzzTarget } from './families';

const NOW_MS = 1_790_000_000_000;

/** What the client sends, for sample values of every control, and what the emulator answers. */
function samples(): Uint8Array[] {
  const values: Record<string, unknown[]> = {
    'night-vision': ['on', 'auto'],
    'time-zone': [-11, 13],
    'camera-time': ['now'],
    'cruise-points': [[{ horizontal: 10, vertical: 5, waitSeconds: 30 }]],
    ptz: [{ action: 'step', direction: 'down' }, { action: 'rotate', horizontal: -90, vertical: 10 }, { action: 'goto', horizontal: 300, vertical: 40 }],
  };
  const out: Uint8Array[] = [];
  for (const spec of Object.values(CONTROL_SPECS)) {
    if (spec.read) out.push(spec.read().hl);
    for (const v of values[spec.name] ?? [true]) if (spec.write) out.push(spec.write(v, NOW_MS).hl);
  }
  out.push(buildKState(10041, 3, 3), buildKSiren(10633, 1), buildKUnixTime(10091, NOW_MS / 1000), buildK10021({ 22: '-5' }), buildK10051({ bitrate: 240, frameSize: 4, fps: 20, horizontalFlip: 2, verticalFlip: 2 }));
  out.push(buildKCruisePoints(11011, [{ vertical: 1, horizontal: 2, waitSeconds: 10, blank: 0 }, { vertical: 40, horizontal: 255, waitSeconds: 255, blank: 0 }]));
  return out;
}

function targets(): FuzzTarget[] {
  const s = samples();
  const parsers: [string, (b: Uint8Array) => unknown][] = [
    ['parseKState', (b) => parseKState(b, 10041, 3)],
    ['parseKSiren', (b) => parseKSiren(b, 10633)],
    ['parseKUnixTime', (b) => parseKUnixTime(b, 10091)],
    ['parseK10020', parseK10020],
    ['parseK10021', parseK10021],
    ['parseK10051', parseK10051],
    ['parseK10302', parseK10302],
    ['parseK11000', parseK11000],
    ['parseK11002', parseK11002],
    ['parseK11018', parseK11018],
    ['parseKCruisePoints', (b) => parseKCruisePoints(b, 11011)],
  ];
  return parsers.map(([name, parse]) => ({ name, make: () => parse, samples: s }));
}

export const controlsFamily: FuzzFamily = { name: 'controls', targets };
