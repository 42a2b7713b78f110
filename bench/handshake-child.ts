// The child processes of the handshake benchmark (bench/handshake.ts):
//   handshake-child.ts device [checkout]  emulated cameras, one OLD and one NEW, on loopback; prints their ports.
//                                         With a checkout, its emulator (e.g. main's, so that only the client differs).
//   handshake-child.ts cold <port> 1      one connect() in this fresh process, as `wyze-nvr probe` does
//   handshake-child.ts warm <port> <n>    one untimed connect(), then n more in this process
// Each connect prints one line: stats.handshakeUs and the client's CPU time (user + system) in ms.
import { join } from 'node:path';
import { connect } from '../libs/tutk/src';
import { BENCH_CAMERA } from './handshake';

async function device(checkout: string | undefined): Promise<void> {
  const { CameraDevice, arraySource, syntheticMedia } = (checkout ? require(join(checkout, 'libs/tutk/src')) : await import('../libs/tutk/src')) as typeof import('../libs/tutk/src');
  const media = syntheticMedia({ gops: 2 });
  const ports: Record<string, number> = {};
  const devices: InstanceType<typeof CameraDevice>[] = [];
  for (const flavour of ['old', 'new'] as const) {
    const d = new CameraDevice({ ...BENCH_CAMERA, host: '127.0.0.1', port: 0, flavours: flavour, sources: { hd: arraySource(media, { intervalMs: 50, loop: true }) } });
    await d.start();
    devices.push(d);
    ports[flavour] = d.port;
  }
  process.stdout.write(`${JSON.stringify(ports)}\n`);
  // The parent closes our stdin when it is done.
  process.stdin.resume();
  process.stdin.on('end', () => {
    for (const d of devices) d.close();
    process.exit(0);
  });
}

async function connectOnce(port: number, print: boolean): Promise<void> {
  const cpu = process.cpuUsage();
  const session = await connect({ ...BENCH_CAMERA, host: '127.0.0.1', port });
  const used = process.cpuUsage(cpu);
  if (print) process.stdout.write(`${JSON.stringify({ ...session.stats.handshakeUs, cpuMs: (used.user + used.system) / 1000 })}\n`);
  session.close();
}

async function connects(port: number, warm: boolean, n: number): Promise<void> {
  if (warm) await connectOnce(port, false);
  for (let i = 0; i < n; i++) await connectOnce(port, true);
}

const [role, arg, count] = process.argv.slice(2);
const run = role === 'device' ? device(arg) : role === 'cold' || role === 'warm' ? connects(Number(arg), role === 'warm', role === 'cold' ? 1 : Number(count)) : Promise.reject(new Error(`unknown role ${role}`));
run.catch((e) => {
  console.error(e);
  process.exit(1);
});
