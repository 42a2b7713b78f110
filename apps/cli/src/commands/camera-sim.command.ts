import { startCameraSims, type CameraSim, type CameraSimOptions } from '@wyze-nvr/camera-sim';
import type { FaultProfile } from '@wyze-nvr/tutk';
import { type Command, untilSignal, UsageError } from '@wyze-nvr/runtime/command';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

function str(v: Values[string]): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(values: Values, name: string, min = 0, max = Infinity): number | undefined {
  const v = str(values[name]);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) && !(n === Infinity && max === Infinity)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${v}`);
  return n;
}

function oneOf<T extends string>(values: Values, name: string, allowed: readonly T[]): T | undefined {
  const v = str(values[name]);
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}

/** Fault flags → a profile; undefined when none is set. */
function faultProfile(values: Values): FaultProfile | undefined {
  const p: FaultProfile = {};
  const loss = num(values, 'loss', 0, 1);
  if (loss) p.loss = loss;
  const reorder = num(values, 'reorder', 0, 1);
  if (reorder) p.reorder = reorder;
  const by = num(values, 'reorder-by', 1, 1000);
  if (by) p.reorderBy = by;
  const dup = num(values, 'duplicate', 0, 1);
  if (dup) p.duplicate = dup;
  const delay = num(values, 'delay', 0, 60_000);
  if (delay) p.delayMs = delay;
  const pathJitter = num(values, 'path-jitter', 0, 60_000);
  if (pathJitter) p.pathJitterMs = pathJitter;
  const independentJitter = num(values, 'independent-jitter', 0, 60_000);
  if (independentJitter) p.independentJitterMs = independentJitter;
  const burst = str(values.burst);
  if (burst) {
    const [enter, exit] = burst.split(',').map(Number);
    if (!(enter >= 0 && enter <= 1 && exit > 0 && exit <= 1)) throw new UsageError('--burst must be "enter,exit" probabilities, e.g. 0.01,0.3');
    p.burst = { enter, exit };
  }
  return Object.keys(p).length ? p : undefined;
}

function statsLine(sim: CameraSim): string {
  const s = sim.stats;
  return JSON.stringify({
    event: 'stats',
    port: sim.port,
    connections: s.connections,
    streaming: sim.device.session?.streaming ?? false,
    framesSent: s.framesSent,
    packetsSent: s.packetsSent,
    bytesOut: s.bytesOut,
    datagramsIn: s.datagramsIn,
    authRefused: s.authRefused,
    audioFramesReceived: s.audioFramesReceived,
    faultDrops: s.faultDrops,
  });
}

export const cameraSimCommand: Command = {
  name: 'camera-sim',
  summary: 'run emulated Wyze cameras (TUTK/IOTC, both flavours) streaming media files, with optional fault injection',
  usage:
    '[--port 32761] [--count N] [--uid U --enr E --mac M] [--video f.h264] [--audio f.aac] [--flavour old|new|both] [--auth-status 1|3|6] [--check-auth-key] [--force-resend 0|1] [--loss 0.05] [--reorder 0.02] [--duplicate 0.01] [--delay ms] [--path-jitter ms] [--speed 1]',
  help: [
    'OLD flavour and a wrong ENR: by default the camera answers discovery whenever the UID matches and the',
    'wrong ENR fails at DTLS ("wrong key"), as FACTS §4.4 describes OLD firmware. --check-auth-key makes it',
    'also check the disco AuthKey and stay silent instead (the client then sees a discovery timeout). A NEW',
    '(CC51) camera always stays silent: its discovery HMAC key derives from the ENR.',
    'Media format: the camera answers in the one the client asked for at AV login (resend 0 or 1).',
    '--force-resend 0|1 makes a misbehaving camera that sends that format whatever the client asked for.',
    'Jitter: --path-jitter MS adds a latency in [0, MS] that drifts in bursts while datagrams keep their order',
    '(as on Wi-Fi); --reorder P reorders a few on top. --independent-jitter MS delays each datagram on its own',
    'draw instead, which shuffles nearly every multi-packet frame.',
  ].join('\n'),
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    count: { type: 'string' },
    uid: { type: 'string' },
    enr: { type: 'string' },
    mac: { type: 'string' },
    model: { type: 'string' },
    video: { type: 'string' },
    'video-codec': { type: 'string' },
    audio: { type: 'string' },
    'audio-codec': { type: 'string' },
    'sd-video': { type: 'string' },
    fps: { type: 'string' },
    speed: { type: 'string' },
    flavour: { type: 'string' },
    'auth-status': { type: 'string' },
    'force-resend': { type: 'string' },
    'frameinfo-time': { type: 'string' },
    'check-auth-key': { type: 'boolean' },
    /** K-auth is checked against this ENR instead: a camera that refuses K10002 (FACTS §9.3). */
    'auth-enr': { type: 'string' },
    loss: { type: 'string' },
    burst: { type: 'string' },
    reorder: { type: 'string' },
    'reorder-by': { type: 'string' },
    duplicate: { type: 'string' },
    delay: { type: 'string' },
    'path-jitter': { type: 'string' },
    'independent-jitter': { type: 'string' },
    'fault-direction': { type: 'string' },
    seed: { type: 'string' },
    'stats-interval': { type: 'string' },
  },
  async run(values) {
    const count = num(values, 'count', 1, 10_000) ?? 1;
    if (!Number.isInteger(count)) throw new UsageError('--count must be an integer');
    const port = num(values, 'port', 0, 65535) ?? 32761;
    if (port !== 0 && port + count - 1 > 65535) throw new UsageError('--port + --count runs past port 65535');
    const given = ['uid', 'enr', 'mac'].filter((k) => str(values[k]) !== undefined);
    if (given.length && (given.length < 3 || count > 1)) throw new UsageError('give all of --uid, --enr and --mac, for one camera (--count 1)');
    const faults = faultProfile(values);
    const direction = oneOf(values, 'fault-direction', ['both', 'to-client', 'to-camera'] as const) ?? 'both';
    const authStatus = num(values, 'auth-status', 1, 6);
    if (authStatus !== undefined && ![1, 3, 6].includes(authStatus)) throw new UsageError('--auth-status must be 1, 3 or 6');
    const forced = oneOf(values, 'force-resend', ['0', '1'] as const);
    const speed = num(values, 'speed', 0);
    const options: CameraSimOptions = {
      port,
      host: str(values.host) ?? '0.0.0.0',
      uid: str(values.uid),
      enr: str(values.enr),
      mac: str(values.mac),
      model: str(values.model),
      video: str(values.video),
      videoCodec: oneOf(values, 'video-codec', ['h264', 'h265'] as const),
      audio: str(values.audio),
      audioCodec: oneOf(values, 'audio-codec', ['aac', 'pcmu'] as const),
      sdVideo: str(values['sd-video']),
      fps: num(values, 'fps', 1, 120),
      speed,
      loop: true,
      flavours: oneOf(values, 'flavour', ['old', 'new', 'both'] as const),
      authStatus: authStatus as 1 | 3 | 6 | undefined,
      forceResend: forced && (Number(forced) as 0 | 1),
      frameInfoTime: oneOf(values, 'frameinfo-time', ['unix', 'session-marker'] as const),
      checkAuthKey: values['check-auth-key'] === true,
      authEnr: str(values['auth-enr']),
      faults: faults && {
        toCamera: direction === 'to-client' ? undefined : faults,
        toClient: direction === 'to-camera' ? undefined : faults,
        seed: num(values, 'seed', 0) ?? 1,
      },
    };
    let sims: CameraSim[];
    try {
      sims = await startCameraSims(count, options);
    } catch (e) {
      process.stderr.write(`wyze-nvr camera-sim: ${(e as Error).message}\n`);
      return 1;
    }
    // Listen before the camera lines go out: until a listener exists the OS kills the process on SIGTERM, so a
    // caller that stops the emulator as soon as it has read them would see it die instead of stop.
    const signal = untilSignal();
    // This is a test camera: printing the ENR it serves is the point (a client needs it to connect).
    process.stderr.write(
      `wyze-nvr camera-sim: ${count} emulated camera${count > 1 ? 's' : ''} running (TEST CAMERA: its own fake ENR is printed on purpose). Ctrl-C stops.\n`,
    );
    for (const sim of sims) {
      const { uid, enr, mac, model } = sim.credentials;
      process.stdout.write(
        `${JSON.stringify({ event: 'camera', host: sim.host, port: sim.port, uid, enr, mac, model, flavours: options.flavours ?? 'both', authStatus: options.authStatus ?? 3, note: 'test camera: the ENR is printed on purpose' })}\n`,
      );
    }
    const everyMs = (num(values, 'stats-interval', 0.05) ?? 5) * 1000;
    const timer = setInterval(() => {
      for (const sim of sims) process.stdout.write(`${statsLine(sim)}\n`);
    }, everyMs);
    const sig = await signal;
    clearInterval(timer);
    for (const sim of sims) {
      process.stdout.write(`${statsLine(sim)}\n`);
      sim.close();
    }
    process.stderr.write(`wyze-nvr camera-sim: stopped (${sig})\n`);
    return 0;
  },
};
