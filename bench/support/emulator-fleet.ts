// The benchmarks' camera emulators: N CameraDevices in one child process, each streaming the same bench
// media (looped, 20 fps) on 127.0.0.1. The child prints one JSON line of credentials per camera, `ready`,
// then `{"sent":N}` totals every 500 ms and a final one on SIGTERM; with `onVideoFrame` it can print more.
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileMediaSource, FileMediaSource } from '@wyze-nvr/camera-sim';
import { CameraDevice } from '@wyze-nvr/tutk';

export interface EmulatorCredentials {
  uid: string;
  enr: string;
  mac: string;
  port: number;
}

/** In the child: starts the cameras and reports as above; `onVideoFrame(camera, annexB)` for every video frame sent. */
export async function runEmulatorFleet(o: { cameras: number; video: string; audio?: string; onVideoFrame?: (camera: number, data: Uint8Array) => void }): Promise<void> {
  const first = fileMediaSource({ video: o.video, audio: o.audio, fps: 20, loop: true });
  const devices: CameraDevice[] = [];
  let sent = 0;
  for (let i = 0; i < o.cameras; i++) {
    const uid = `BENCH${String(i).padStart(5, '0')}${randomBytes(5).toString('hex').toUpperCase()}`;
    const enr = randomBytes(16).toString('hex');
    const mac = `bb${randomBytes(5).toString('hex')}`;
    const source = i === 0 ? first : new FileMediaSource({ video: o.video, audio: o.audio, fps: 20, loop: true }, first.media);
    const d = new CameraDevice({ uid, enr, mac, model: 'HL_CAM4', port: 0, host: '127.0.0.1', keepaliveIntervalMs: 1000, sources: { hd: source } });
    await d.start();
    d.on('frame-sent', (f) => {
      sent++;
      if (f.kind === 'video') o.onVideoFrame?.(i, f.data);
    });
    devices.push(d);
    process.stdout.write(`${JSON.stringify({ uid, enr, mac, port: d.port })}\n`);
  }
  process.stdout.write('ready\n');
  setInterval(() => process.stdout.write(`${JSON.stringify({ sent })}\n`), 500);
  process.on('SIGTERM', () => {
    for (const d of devices) d.close();
    process.stdout.write(`${JSON.stringify({ sent, final: true })}\n`);
    process.exit(0);
  });
}

export interface EmulatorFleet {
  child: ChildProcess;
  credentials: EmulatorCredentials[];
  /** Frames sent so far, from the last report. */
  readonly sent: number;
  /** SIGTERM, then the final total. */
  stop(): Promise<number>;
}

/** In the parent: spawns the child (`args` make the script run `runEmulatorFleet`); `onLine` gets the lines it does not parse. */
export async function spawnEmulatorFleet(args: string[], onLine?: (line: string) => void): Promise<EmulatorFleet> {
  const child = spawn(process.execPath, ['-r', './scripts/register.js', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const credentials: EmulatorCredentials[] = [];
  let sent = 0;
  let resolveFinal!: (n: number) => void;
  const final = new Promise<number>((r) => (resolveFinal = r));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the emulators exited (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'ready') return resolve();
      if (!line.startsWith('{')) return onLine?.(line);
      const o = JSON.parse(line);
      if ('uid' in o) credentials.push(o);
      else {
        sent = o.sent;
        if (o.final) resolveFinal(o.sent);
      }
    });
  });
  return {
    child,
    credentials,
    get sent() {
      return sent;
    },
    stop: () => {
      child.kill('SIGTERM');
      return final;
    },
  };
}
