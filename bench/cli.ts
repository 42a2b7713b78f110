// npm run bench:cli [-- --runs 5 --seconds 1 --dist]
// Start-up and memory of the two diagnostic commands, each a fresh `node bin/wyze-nvr.js` child as a user
// starts it:
//   probe       spawn → the first discovery datagram at a camera in this process, and the child's max RSS over a
//               whole run (handshake and --seconds of streaming; the run must end OK);
//   camera-sim  spawn → its "camera" line (printed once its sockets are bound), and its max RSS after
//               streaming to one probe for --seconds.
// Max RSS is the child's own getrusage figure (process.resourceUsage().maxRSS), written at exit by a preload,
// which also notes the child's CPU time (user + sys, all threads) at its first datagram sent (probe) or its
// "camera" line (camera-sim): start-up work that, unlike wall time, other load on the machine barely changes.
// One unmeasured run of each comes first, so the transpile cache (scripts/register.js) is warm, as it is for
// every start but the first after a change; --cold clears that cache before every run instead.
// --dist runs the compiled CLI (WYZE_NVR_DIST=1; `npm run build` first) instead of the TypeScript sources.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileMediaSources, fixtureMediaDir, generateCredentials, type CameraSimCredentials } from '@wyze-nvr/camera-sim';
import { CameraDevice, UdpTransport, type DatagramHandler, type DatagramTransport, type PeerAddress } from '@wyze-nvr/tutk';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    /** How long each probe watches the stream. */
    seconds: { type: 'string', default: '1' },
    dist: { type: 'boolean', default: false },
    cold: { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const SECONDS = Number(values.seconds);
const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'wyze-nvr.js');
if (values.dist && !existsSync(join(ROOT, 'dist', 'apps', 'cli'))) throw new Error('--dist: run `npm run build` first');

const work = mkdtempSync(join(tmpdir(), 'bench-cli-'));
const PRELOAD = join(work, 'max-rss.js');
const TRANSPILE_CACHE = join(ROOT, 'node_modules', '.cache', 'wyze-nvr-ts');
writeFileSync(
  PRELOAD,
  `const { writeSync } = require('node:fs');
const dgram = require('node:dgram');
let started = false;
function start() {
  if (started) return;
  started = true;
  const u = process.cpuUsage();
  writeSync(2, '\\nbench-start-cpu-us ' + (u.user + u.system) + '\\n');
}
const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function (...args) {
  start();
  return send.apply(this, args);
};
const write = process.stdout.write;
process.stdout.write = function (chunk, ...args) {
  if (String(chunk).includes('"event":"camera"')) start();
  return write.call(this, chunk, ...args);
};
process.on('exit', () => writeSync(2, '\\nbench-max-rss-kb ' + process.resourceUsage().maxRSS + '\\n'));
`,
);

interface Child {
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the time (performance.now()) at which stdout first matches. */
  when(pattern: RegExp): Promise<number>;
}

function cli(args: string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, ['-r', PRELOAD, BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_NO_WARNINGS: '1', ...(values.dist ? { WYZE_NVR_DIST: '1' } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const waiters: { pattern: RegExp; resolve: (t: number) => void }[] = [];
  const c: Child = {
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    kill: (signal) => child.kill(signal),
    when: (pattern) => new Promise((resolve) => (pattern.test(c.stdout) ? resolve(performance.now()) : waiters.push({ pattern, resolve }))),
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    c.stdout += d;
    const now = performance.now();
    for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i].pattern.test(c.stdout)) waiters.splice(i, 1)[0].resolve(now);
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (c.stderr += d));
  return c;
}

interface Run {
  /** Wall time from spawn to the first packet (probe) or ready (camera-sim). */
  ms: number;
  /** The child's CPU time up to the same point. */
  cpuMs: number;
  /** The child's max RSS. */
  mb: number;
}

function reported(c: Child, what: string): number {
  const m = new RegExp(`bench-${what} (\\d+)`).exec(c.stderr);
  if (!m) throw new Error(`no ${what} reported:\n${c.stdout}${c.stderr}`);
  return Number(m[1]);
}

function run(c: Child, ms: number): Run {
  return { ms, cpuMs: reported(c, 'start-cpu-us') / 1000, mb: reported(c, 'max-rss-kb') / 1024 };
}

function probeArgs(port: number, creds: CameraSimCredentials): string[] {
  return ['probe', '--host', '127.0.0.1', '--port', String(port), '--uid', creds.uid, '--mac', creds.mac, '--seconds', String(SECONDS)];
}

async function runProbe(port: number, creds: CameraSimCredentials): Promise<Child> {
  const p = cli(probeArgs(port, creds), { WYZE_ENR: creds.enr });
  const code = await p.exited;
  if (code !== 0 || !/^OK$/m.test(p.stdout)) throw new Error(`probe failed (${code}):\n${p.stdout}${p.stderr}`);
  return p;
}

/** A UDP transport that notes when its first datagram arrives. */
class FirstDatagramTransport implements DatagramTransport {
  firstAt: number | undefined;
  private readonly inner = new UdpTransport();
  bind(port?: number, host?: string): Promise<PeerAddress> {
    return this.inner.bind(port, host);
  }
  send(datagram: Uint8Array, port: number, host: string): void {
    this.inner.send(datagram, port, host);
  }
  onMessage(handler: DatagramHandler): void {
    this.inner.onMessage((d, from) => {
      this.firstAt ??= performance.now();
      handler(d, from);
    });
  }
  onError(handler: (err: Error) => void): void {
    this.inner.onError(handler);
  }
  get local(): PeerAddress | undefined {
    return this.inner.local;
  }
  close(): void {
    this.inner.close();
  }
}

/** probe: spawn → first datagram at the camera, and max RSS, against a camera in this process. */
async function probeOnce(): Promise<Run> {
  const creds = generateCredentials();
  const fixtures = fixtureMediaDir();
  const transports: FirstDatagramTransport[] = [];
  const device = new CameraDevice({
    ...creds,
    port: 0,
    host: '127.0.0.1',
    sources: fileMediaSources({ video: join(fixtures, 'h264-720p20.h264'), audio: join(fixtures, 'aac-16k-mono.aac'), loop: true }),
    transport: () => {
      const t = new FirstDatagramTransport();
      transports.push(t);
      return t;
    },
  });
  const port = await device.start();
  try {
    const t0 = performance.now();
    const p = await runProbe(port, creds);
    const first = Math.min(...transports.map((t) => t.firstAt ?? Infinity));
    return run(p, first - t0);
  } finally {
    device.close();
  }
}

/** camera-sim: spawn → "camera" line, and max RSS after streaming to one probe. */
async function cameraSimOnce(): Promise<Run> {
  const t0 = performance.now();
  const sim = cli(['camera-sim', '--host', '127.0.0.1', '--port', '0', '--stats-interval', '3600']);
  const ready = await Promise.race([sim.when(/"event":"camera"[^\n]*\n/), sim.exited.then(() => undefined)]);
  if (ready === undefined) throw new Error(`camera-sim exited:\n${sim.stdout}${sim.stderr}`);
  const line = JSON.parse(/^\{"event":"camera".*$/m.exec(sim.stdout)![0]) as CameraSimCredentials & { port: number };
  await runProbe(line.port, line);
  sim.kill('SIGTERM');
  await sim.exited;
  return run(sim, ready - t0);
}

function summary(xs: number[], digits: number): string {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return `median ${mid.toFixed(digits)} (min ${s[0].toFixed(digits)}, max ${s.at(-1)!.toFixed(digits)})`;
}

async function main(): Promise<void> {
  const probe: Run[] = [];
  const sim: Run[] = [];
  if (!values.cold) {
    await probeOnce();
    await cameraSimOnce();
  }
  // Interleaved, so a burst of load from elsewhere on the machine touches both alike.
  for (let i = 0; i < RUNS; i++) {
    if (values.cold) rmSync(TRANSPILE_CACHE, { recursive: true, force: true });
    probe.push(await probeOnce());
    if (values.cold) rmSync(TRANSPILE_CACHE, { recursive: true, force: true });
    sim.push(await cameraSimOnce());
  }
  const how = values.dist ? 'compiled (WYZE_NVR_DIST=1)' : `from source (scripts/register.js, ${values.cold ? 'transpile cache cleared before each run' : 'transpile cache warm'})`;
  process.stdout.write(`wyze-nvr CLI, ${how}, ${RUNS} runs each, node ${process.version}\n`);
  for (const [name, rows, what] of [
    ['probe', probe, 'spawn → first discovery datagram at the camera'],
    ['camera-sim', sim, 'spawn → sockets bound ("camera" line)'],
  ] as const) {
    process.stdout.write(
      `  ${name.padEnd(10)}  max RSS ${summary(rows.map((r) => r.mb), 1)} MB\n` +
        `  ${''.padEnd(10)}  ${what}: ${summary(rows.map((r) => r.ms), 0)} ms, CPU ${summary(rows.map((r) => r.cpuMs), 0)} ms\n`,
    );
  }
}

main()
  .catch((e: unknown) => {
    process.stderr.write(`bench:cli: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
