// The handshake line of `npm run bench:tutk`: connect() → K-auth done (FACTS §6 steps 1–6) against the
// emulator, OLD and NEW flavour, with the time of each phase. The emulated cameras run in a child process on
// loopback, as a camera is another machine. Two ways of connecting:
//   cold  each connect in a fresh process (as `wyze-nvr probe` does; what issue #13 compared with go2rtc);
//   warm  connects one after another in this process (the recorder reconnecting a camera).
// The emulator gets one untimed connect per flavour first, so that its own warm-up is not counted. To compare
// clients on one emulator, `--device-from <checkout>` runs another checkout's (e.g. /work/main).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connect, type HandshakeTimings } from '../libs/tutk/src';

/** A test camera's identity: the ENR is a fake one, made up for the emulator. */
export const BENCH_CAMERA = { uid: 'BENCHUID000000000001', enr: 'benchENRkey0123456789abcdefABCDE', mac: 'a0b1c2d3e4f5', model: 'HL_CAM4' };

/** go2rtc's client against the same emulator, 10 connects each (issue #13 item 8): median connect → K-auth done. */
const GO2RTC_MEDIAN_MS = { old: 119, new: 24.2 };
const PHASES = ['discovery', 'session', 'dtls', 'avLogin', 'auth'] as const;
const ROOT = join(__dirname, '..');

type Flavour = 'old' | 'new';
/** One connect: its phases in milliseconds, and the client's CPU time (user + system) over the whole connect(). */
type Run = HandshakeTimings & { cpuMs: number };

/** A run from the session's microsecond timings (stats.handshakeUs). */
function run(us: HandshakeTimings, cpuMs: number): Run {
  const ms = Object.fromEntries(Object.entries(us).map(([k, v]) => [k, v / 1000])) as HandshakeTimings;
  return { ...ms, cpuMs };
}

function node(args: string[]) {
  return spawn(process.execPath, ['-r', join(ROOT, 'scripts/register.js'), join(__dirname, 'handshake-child.ts'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
}

async function firstLine(child: ReturnType<typeof node>): Promise<string> {
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return line;
}

async function coldConnect(port: number): Promise<Run> {
  const child = node(['connect', String(port)]);
  const [line, [code]] = await Promise.all([firstLine(child), once(child, 'exit') as Promise<[number]>]);
  if (code !== 0) throw new Error(`connect child exited with ${code}`);
  const { cpuMs, ...us } = JSON.parse(line) as Run;
  return run(us, cpuMs);
}

async function warmConnect(port: number): Promise<Run> {
  const cpu = process.cpuUsage();
  const session = await connect({ ...BENCH_CAMERA, host: '127.0.0.1', port });
  const used = process.cpuUsage(cpu);
  const us = session.stats.handshakeUs;
  session.close();
  return run(us, (used.user + used.system) / 1000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const f1 = (x: number) => x.toFixed(1);

function line(flavour: Flavour, mode: string, runs: Run[]): string {
  const total = runs.map((r) => r.authDone!);
  const phases = PHASES.map((p) => `${p} ${f1(median(runs.map((r) => r[p]!)))}`).join(', ');
  return (
    `handshake ${flavour === 'old' ? 'OLD' : 'NEW'} ${mode}: connect → K-auth done median ${f1(median(total))} ms ` +
    `(min ${f1(Math.min(...total))}, max ${f1(Math.max(...total))}, n ${runs.length}; go2rtc ${GO2RTC_MEDIAN_MS[flavour]}); ` +
    `phase medians ms: ${phases}; client CPU per connect() median ${f1(median(runs.map((r) => r.cpuMs)))} ms`
  );
}

/** Runs `runs` connects per flavour and mode; returns the printed lines. */
export async function handshakeBench(runs = 10, deviceFrom?: string): Promise<string[]> {
  const device = node(deviceFrom ? ['device', deviceFrom] : ['device']);
  try {
    const ports = JSON.parse(await firstLine(device)) as Record<Flavour, number>;
    const flavours: Flavour[] = ['old', 'new'];
    for (const f of flavours) await warmConnect(ports[f]);
    const cold: Record<Flavour, Run[]> = { old: [], new: [] };
    const warm: Record<Flavour, Run[]> = { old: [], new: [] };
    // Interleaved, so that load from elsewhere on the machine falls on both flavours alike.
    for (let i = 0; i < runs; i++) for (const f of flavours) cold[f].push(await coldConnect(ports[f]));
    for (let i = 0; i < runs; i++) for (const f of flavours) warm[f].push(await warmConnect(ports[f]));
    return flavours.flatMap((f) => [line(f, 'cold', cold[f]), line(f, 'warm', warm[f])]);
  } finally {
    device.stdin.end();
  }
}
