// bench:mqtt — motion-to-MQTT latency. Emulated cameras stream the labelled `objects` motion fixture (H.264
// CBR, four objects a minute) in real time over UDP loopback into the Recorder (in this process: sessions,
// segments, motion detection with keyframe pictures by ffmpeg, the MQTT publisher) with MQTT_URL set to the
// Mosquitto on 127.0.0.1:1883; a subscriber stamps each motion ON/OFF as it arrives. Per transition:
//   total     = arrival − frame time of the event's first motion frame (what a user waits for),
//   detector  = frame time of the frame the detector decided on − first motion frame (its own confirmation delay),
//   publish   = arrival − frame time of that deciding frame (ours: network, session, pipeline, ffmpeg, MQTT).
// The emulator stamps frames with the host clock as it sends them, so frame times and arrivals share a clock.
//   npm run bench:mqtt [-- --cameras 4] [--seconds 130]
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { loadConfig, loadRecorderSettings, SecretBox } from '@wyze-nvr/config';
import { createLogger } from '@wyze-nvr/log';
import { CameraDevice } from '@wyze-nvr/tutk';
import { connectAsync } from 'mqtt';
import { Recorder } from '../apps/recorder/src/recorder';
import { fixtureMedia, pacedSource } from '../apps/recorder/src/testing/fixture-media';
import { MemoryRecorderStore } from '../apps/recorder/src/testing/memory-recorder-store';

const { values } = parseArgs({ options: { cameras: { type: 'string', default: '4' }, seconds: { type: 'string', default: '130' }, broker: { type: 'string', default: 'mqtt://127.0.0.1:1883' } } });
const CAMERAS = Number(values.cameras);
const SECONDS = Number(values.seconds);
const root = join(__dirname, '..');
const FIXTURE = join(root, 'bench', 'media', 'motion', 'objects.h264-cbr.264');

interface Decision {
  type: 'ON' | 'OFF';
  startUs: number;
  decidedAtUs: number;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const row = (name: string, ms: number[]) => `${name.padEnd(44)} n=${String(ms.length).padStart(3)}  p50 ${pct(ms, 50).toFixed(0).padStart(5)} ms  p99 ${pct(ms, 99).toFixed(0).padStart(5)} ms  max ${Math.max(...ms).toFixed(0).padStart(5)} ms`;

async function main(): Promise<void> {
  if (!existsSync(FIXTURE)) {
    const r = spawnSync('bash', ['scripts/make-motion-fixtures.sh', 'objects'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('make-motion-fixtures.sh failed');
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-mqtt-'));
  const prefix = `wyze-nvr-bench-${randomBytes(3).toString('hex')}`;
  const secret = randomBytes(32);
  const media = fixtureMedia({ video: 'h264', videoPath: FIXTURE, audio: 'none' });
  const store = new MemoryRecorderStore();
  const devices: CameraDevice[] = [];
  for (let i = 1; i <= CAMERAS; i++) {
    const id = { uid: `BENCHMQTT${i}`.padEnd(20, 'X'), enr: `benchMqttEnr${i}`.padEnd(16, '0'), mac: `dd00000000${String(i).padStart(2, '0')}` };
    const device = new CameraDevice({ ...id, model: 'HL_CAM4', port: 0, host: '127.0.0.1', sources: { hd: pacedSource(media.frames, media.periodUs, { durationUs: SECONDS * 1e6 }) } });
    devices.push(device);
    const port = await device.start();
    store.cameras.push({ id: i, name: `bench ${i}`, uid: id.uid, enrEncrypted: new SecretBox(secret).encrypt(id.enr), mac: id.mac, ip: '127.0.0.1', port, model: 'HL_CAM4', quality: 'hd', enabled: true });
  }

  // Decisions from the recorder's own log lines (motion started / ended carry decidedAtUs).
  const decisions = new Map<number, Decision[]>();
  const logger = createLogger({
    level: 'info',
    destination: {
      write(line: string) {
        const l = JSON.parse(line) as { msg: string; cameraId?: number; startUs?: number; decidedAtUs?: number };
        if ((l.msg === 'motion started' || l.msg === 'motion ended') && l.cameraId !== undefined && l.decidedAtUs !== undefined) {
          const list = decisions.get(l.cameraId) ?? [];
          list.push({ type: l.msg === 'motion started' ? 'ON' : 'OFF', startUs: l.startUs!, decidedAtUs: l.decidedAtUs });
          decisions.set(l.cameraId, list);
        }
      },
    },
  });
  const arrivals = new Map<number, { type: string; atUs: number }[]>();
  const sub = await connectAsync(values.broker);
  sub.on('message', (topic, payload, packet) => {
    const m = new RegExp(`^${prefix}/(\\d+)/motion$`).exec(topic);
    if (!m || packet.retain) return;
    const list = arrivals.get(Number(m[1])) ?? [];
    list.push({ type: payload.toString(), atUs: Date.now() * 1000 });
    arrivals.set(Number(m[1]), list);
  });
  await sub.subscribeAsync(`${prefix}/+/motion`, { qos: 0 });

  const recorder = new Recorder({
    config: loadConfig({ DATA_DIR: dir, SEGMENT_SECONDS: '4' }),
    secretKey: secret,
    dataSource: undefined as never,
    logger,
    store,
    cameraFeed: null,
    settings: loadRecorderSettings({ MQTT_URL: values.broker, MQTT_TOPIC_PREFIX: prefix, MQTT_DISCOVERY_PREFIX: `${prefix}-ha`, RECORDER_CAMERA_CLOCK_SYNC_SECONDS: '0' }),
  });
  process.stderr.write(`bench:mqtt — ${CAMERAS} camera(s) × ${SECONDS} s of the objects fixture in real time; broker ${values.broker}\n`);
  await recorder.start();
  await new Promise((r) => setTimeout(r, SECONDS * 1000 + 3000));
  // The stop flushes the detectors (events open at the end are decided then): arrivals from here on do not count.
  const stoppingUs = Date.now() * 1000;
  await recorder.stop();
  await sub.endAsync();
  for (const d of devices) d.close();
  rmSync(dir, { recursive: true, force: true });

  const total: number[] = [];
  const detector: number[] = [];
  const publishOn: number[] = [];
  const publishOff: number[] = [];
  let unmatched = 0;
  for (const [cam, list] of decisions) {
    // The camera's announcement publishes its current motion (OFF) first.
    const all = arrivals.get(cam) ?? [];
    const got = all.slice(Math.max(0, all.findIndex((a) => a.type === 'ON'))).filter((a) => a.atUs < stoppingUs);
    // The recorder's stop ends open events (OFF) after the subscriber left: only decisions made while it listened count.
    for (const [i, d] of list.entries()) {
      const a = got[i];
      if (!a) continue;
      if (a.type !== d.type) {
        unmatched++;
        continue;
      }
      if (d.type === 'ON') {
        total.push((a.atUs - d.startUs) / 1000);
        detector.push((d.decidedAtUs - d.startUs) / 1000);
        publishOn.push((a.atUs - d.decidedAtUs) / 1000);
      } else {
        publishOff.push((a.atUs - d.decidedAtUs) / 1000);
      }
    }
  }
  if (total.length === 0) throw new Error(`no motion was published (decisions ${JSON.stringify([...decisions])}, arrivals ${JSON.stringify([...arrivals])})`);
  console.log(`motion events: ${total.length} started, ${publishOff.length} ended (${unmatched} unmatched)`);
  console.log(row('total: first motion frame → ON received', total));
  console.log(row("detector's delay: first motion → deciding frame", detector));
  console.log(row('publish: deciding frame → ON received', publishOn));
  console.log(row('publish: deciding frame → OFF received', publishOff));
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
