// Client ↔ device over UDP loopback, for the integration specs: a started CameraDevice that records the
// frames it sent, and a client connected to it. Both go into `open`, which the spec closes after its tests.
import { connect, type CameraSession, type ConnectOptions } from '../client/camera-session';
import { CameraDevice, type CameraDeviceOptions, type SentFrame } from '../device/camera-device';

export const LOOPBACK_HOST = '127.0.0.1';

type Closable = { close(): void };

export async function startLoopbackDevice(open: Closable[], o: CameraDeviceOptions): Promise<{ device: CameraDevice; sent: SentFrame[] }> {
  const device = new CameraDevice({ port: 0, host: LOOPBACK_HOST, keepaliveIntervalMs: 200, ...o });
  open.push(device);
  await device.start();
  const sent: SentFrame[] = [];
  device.on('frame-sent', (f) => sent.push(f));
  return { device, sent };
}

export async function dialLoopback(open: Closable[], device: CameraDevice, o: Omit<ConnectOptions, 'host' | 'port'>): Promise<CameraSession> {
  const s = await connect({ host: LOOPBACK_HOST, port: device.port, model: 'HL_CAM4', ...o });
  open.push(s);
  return s;
}
