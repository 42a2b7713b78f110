// The handshake lines of `npm run bench:tutk`: connect() → K-auth done (FACTS §6 steps 1–6) against the
// emulator, OLD and NEW flavour, with the time of each phase. The emulated cameras run in a child process on
// loopback, as a camera is another machine, and so does every client. Two ways of connecting:
//   cold  each connect in a fresh process (as `wyze-nvr probe` does; what issue #13 compared with go2rtc);
//   warm  connects one after another in one process (the recorder reconnecting a camera).
// The emulator gets one untimed connect per flavour first, so that its own warm-up is not counted.
//   --device-from <checkout>  that checkout's emulator (e.g. main's), so that only the client differs;
//   --compare-with <checkout> that checkout's client too, each of its connects right after one of ours, so that
//                             a busy machine's load falls on both alike (the checkout needs this file and
//                             handshake-child.ts, and stats.handshakeUs).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { HandshakeTimings } from '../libs/tutk/src';

/** A test camera's identity: the ENR is a fake one, made up for the emulator. */
export const BENCH_CAMERA = { uid: 'BENCHUID000000000001', enr: 'benchENRkey0123456789abcdefABCDE', mac: 'a0b1c2d3e4f5', model: 'HL_CAM4' };

/** go2rtc's client against the same emulator, 10 connects each (issue #13 item 8): median connect → K-auth done. */
const GO2RTC_MEDIAN_MS = { old: 119, new: 24.2 };
const PHASES = ['discovery', 'session', 'dtls', 'avLogin', 'auth'] as const;
const ROOT = join(__dirname, '..');

type Flavour = 'old' | 'new';
/** One connect: its phases in milliseconds, and the client's CPU time (user + system) over the whole connect(). */
type Run = HandshakeTimings & { cpuMs: number };

export interface HandshakeBenchOptions {
  connects: number;
  deviceFrom?: string;
  compareWith?: string;
}

function child(checkout: string, args: string[]) {
  return spawn(process.execPath, ['-r', join(checkout, 'scripts/register.js'), join(checkout, 'bench/handshake-child.ts'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
}

/** The child's first `n` output lines (one JSON run each, or the device's ports); rejects if it ends before. */
async function lines(c: ReturnType<typeof child>, n: number): Promise<string[]> {
  const out: string[] = [];
  for await (const line of createInterface({ input: c.stdout })) if (out.push(line) === n) break;
  if (out.length < n) throw new Error(`handshake child ended after ${out.length} of ${n} lines`);
  return out;
}

/** A run from a child's line: the session's microsecond timings (stats.handshakeUs) and the CPU it used. */
function run(line: string): Run {
  const { cpuMs, ...us } = JSON.parse(line) as Run;
  const ms = Object.fromEntries(Object.entries(us).map(([k, v]) => [k, v / 1000])) as HandshakeTimings;
  return { ...ms, cpuMs };
}

/** `n` connects: each in a fresh process (cold), or all in one process after an untimed one (warm). */
async function connects(checkout: string, port: number, mode: 'cold' | 'warm', n: number): Promise<Run[]> {
  const c = child(checkout, [mode, String(port), String(n)]);
  const exited = once(c, 'exit') as Promise<[number | null]>;
  const out = (await lines(c, n)).map(run);
  const [code] = await exited;
  if (code !== 0) throw new Error(`handshake child exited with ${code}`);
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const f1 = (x: number) => x.toFixed(1);

function line(flavour: Flavour, mode: string, runs: Run[], client?: string): string {
  const total = runs.map((r) => r.authDone!);
  const phases = PHASES.map((p) => `${p} ${f1(median(runs.map((r) => r[p]!)))}`).join(', ');
  return (
    `handshake ${flavour === 'old' ? 'OLD' : 'NEW'} ${mode}${client ? ` (client of ${client})` : ''}: connect → K-auth done median ${f1(median(total))} ms ` +
    `(min ${f1(Math.min(...total))}, max ${f1(Math.max(...total))}, n ${runs.length}; go2rtc ${GO2RTC_MEDIAN_MS[flavour]}); ` +
    `phase medians ms: ${phases}; client CPU per connect() median ${f1(median(runs.map((r) => r.cpuMs)))} ms`
  );
}

/** Runs the connects per flavour and mode (interleaved with the compared client's); returns the printed lines. */
export async function handshakeBench(o: HandshakeBenchOptions): Promise<string[]> {
  const device = child(ROOT, o.deviceFrom ? ['device', o.deviceFrom] : ['device']);
  try {
    const ports = JSON.parse((await lines(device, 1))[0]) as Record<Flavour, number>;
    const clients = o.compareWith ? [ROOT, o.compareWith] : [ROOT];
    const out: string[] = [];
    for (const f of ['old', 'new'] as const) {
      await connects(ROOT, ports[f], 'cold', 1);
      for (const mode of ['cold', 'warm'] as const) {
        const runs: Run[][] = clients.map(() => []);
        // Cold: one connect (one process) per client in turn; warm: one process per client in turn, 5 connects each.
        const per = mode === 'cold' ? 1 : Math.min(5, o.connects);
        const rounds = Math.ceil(o.connects / per);
        for (let i = 0; i < rounds; i++) {
          for (const [k, c] of clients.entries()) runs[k].push(...(await connects(c, ports[f], mode, per)));
        }
        clients.forEach((c, k) => out.push(line(f, mode, runs[k], k ? c : undefined)));
      }
    }
    return out;
  } finally {
    device.stdin.end();
  }
}
