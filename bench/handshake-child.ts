// The two child processes of the handshake benchmark (bench/handshake.ts):
//   handshake-child.ts device           emulated cameras, one OLD and one NEW, on loopback; prints their ports
//   handshake-child.ts connect <port>   one connect() in a fresh process, as `wyze-nvr probe` does; prints its timings
import { CameraDevice, arraySource, connect, syntheticMedia } from '../libs/tutk/src';
import { BENCH_CAMERA } from './handshake';

async function device(): Promise<void> {
  const media = syntheticMedia({ gops: 2 });
  const ports: Record<string, number> = {};
  const devices: CameraDevice[] = [];
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

async function connectOnce(port: number): Promise<void> {
  const session = await connect({ ...BENCH_CAMERA, host: '127.0.0.1', port });
  process.stdout.write(`${JSON.stringify(session.stats.handshakeMs)}\n`);
  session.close();
}

const [role, arg] = process.argv.slice(2);
const run = role === 'device' ? device() : role === 'connect' ? connectOnce(Number(arg)) : Promise.reject(new Error(`unknown role ${role}`));
run.catch((e) => {
  console.error(e);
  process.exit(1);
});
