/**
 * An emulated Wyze camera: libs/tutk's CameraDevice with file media and optional fault injection, plus
 * the knobs a test or a benchmark turns (reboot, clock jump, source-port change).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CameraDevice, FaultyTransport, UdpTransport, type CameraDeviceOptions, type CameraDeviceStats, type DatagramTransport, type FaultProfile, type FaultStats, type MediaSource } from '@wyze-nvr/tutk';
import { FileMediaSource, fileMediaSources, type CameraMediaOptions } from './file-media-source';

export interface CameraSimCredentials {
  uid: string;
  enr: string;
  mac: string;
  model: string;
}

export interface CameraSimFaults {
  /** Client → camera. */
  toCamera?: FaultProfile;
  /** Camera → client. */
  toClient?: FaultProfile;
  seed?: number;
}

export interface CameraSimOptions extends Partial<CameraSimCredentials>, Partial<Omit<CameraMediaOptions, 'video'>> {
  /** Default 32761; 0 picks a free port. */
  port?: number;
  /** Default 0.0.0.0 (one socket per local address, FACTS §2). */
  host?: string;
  /** Default: the committed 720p H.264 fixture (with its AAC track when `audio` is not given either). */
  video?: string;
  flavours?: CameraDeviceOptions['flavours'];
  authStatus?: CameraDeviceOptions['authStatus'];
  /** A misbehaving camera: this media format whatever the client asked for (CameraDeviceOptions.forceResend). */
  forceResend?: 0 | 1;
  /** The ENR K-auth is checked against (a camera that refuses K10002, FACTS §9.3). */
  authEnr?: string;
  /** OLD: ignore a disco whose AuthKey is not ours. Default false (FACTS §4.4): a wrong ENR reaches DTLS. */
  checkAuthKey?: boolean;
  frameInfoTime?: CameraDeviceOptions['frameInfoTime'];
  sessionMarker?: number;
  keepaliveIntervalMs?: number;
  /** CameraDeviceOptions.pauseMediaAfterMs: no media to a client silent this long (default 2 s). */
  pauseMediaAfterMs?: number;
  clientTimeoutMs?: number;
  helloVerify?: boolean;
  twoWayAudio?: boolean;
  faults?: CameraSimFaults;
  /** Media of your own instead of files. */
  sources?: { hd: MediaSource; sd?: MediaSource };
  /** Accessories fitted (CameraDeviceOptions.accessories): 'spotlight'. */
  accessories?: CameraDeviceOptions['accessories'];
}

export interface CameraSimStats extends CameraDeviceStats {
  /** Datagrams lost to injected faults, both directions, all sockets. */
  faultDrops: number;
  faults: { toCamera: FaultStats; toClient: FaultStats };
}

/** A running emulated camera. */
export interface CameraSim {
  readonly device: CameraDevice;
  readonly port: number;
  readonly host: string;
  readonly credentials: CameraSimCredentials;
  readonly stats: CameraSimStats;
  /** Silent for `offMs`, then a fresh camera: clients must reconnect. */
  reboot(offMs: number): Promise<void>;
  /** FRAMEINFO time jumps by `seconds` (either sign). */
  jumpClock(seconds: number): void;
  /** The session's datagrams leave from a new source port (FACTS §2). */
  moveSourcePort(): Promise<number>;
  /** The media sources it streams. */
  readonly sources: { hd: MediaSource; sd?: MediaSource };
  /** Replaces the fault profiles on every socket. */
  setFaults(f: Omit<CameraSimFaults, 'seed'>): void;
  close(): void;
}

const UID_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

/**
 * Fake credentials of the right shapes: a 20-character UID, a 16-character ENR, a 12-hex-digit MAC.
 * With `index`, the same `seed` gives distinct, reproducible sets (several cameras in one process).
 */
export function generateCredentials(index?: number, seed = 'wyze-nvr-sim'): CameraSimCredentials {
  const bytes = index === undefined ? randomBytes(40) : seededBytes(`${seed}:${index}`, 40);
  const uid = Array.from(bytes.subarray(0, 20), (b) => UID_CHARS[b % UID_CHARS.length]).join('');
  const enr = Buffer.from(bytes.subarray(20, 32)).toString('base64').replace(/[+/=]/g, 'x');
  const mac = '2CAA8E' + Buffer.from(bytes.subarray(32, 35)).toString('hex').toUpperCase();
  return { uid, enr, mac, model: 'HL_CAM4' };
}

function shareSources(s: { hd: FileMediaSource; sd?: FileMediaSource }): { hd: MediaSource; sd?: MediaSource } {
  const again = (x: FileMediaSource) => new FileMediaSource({ video: '', speed: x.speed, loop: x.loop }, x.media);
  return { hd: again(s.hd), sd: s.sd && again(s.sd) };
}

function seededBytes(key: string, n: number): Buffer {
  // SHA-256 in counter mode: deterministic, no state to share.
  const out = Buffer.alloc(n);
  for (let i = 0, off = 0; off < n; i++) off += createHash('sha256').update(`${key}/${i}`).digest().copy(out, off);
  return out;
}

/** test/fixtures/media of this checkout, found upwards from here (works from src and from dist). */
export function fixtureMediaDir(): string {
  for (let d = __dirname; ; d = dirname(d)) {
    const p = join(d, 'test', 'fixtures', 'media');
    if (existsSync(p)) return p;
    if (dirname(d) === d) throw new Error('test/fixtures/media not found; pass a video file');
  }
}

/** Starts one emulated camera; resolves once its socket(s) are bound. */
export async function startCameraSim(o: CameraSimOptions = {}): Promise<CameraSim> {
  const gen = o.uid && o.enr && o.mac ? undefined : generateCredentials();
  const credentials: CameraSimCredentials = { uid: o.uid ?? gen!.uid, enr: o.enr ?? gen!.enr, mac: o.mac ?? gen!.mac, model: o.model ?? 'HL_CAM4' };
  let sources = o.sources;
  if (!sources) {
    const fixtures = o.video ? undefined : fixtureMediaDir();
    const video = o.video ?? join(fixtures!, 'h264-720p20.h264');
    const audio = o.audio ?? (fixtures ? join(fixtures, 'aac-16k-mono.aac') : undefined);
    sources = fileMediaSources({ ...o, video, audio });
  }
  const transports: FaultyTransport[] = [];
  const faults = o.faults;
  let seed = faults?.seed ?? 1;
  const transport = faults
    ? (): DatagramTransport => {
        const t = new FaultyTransport(new UdpTransport(), { inbound: faults.toCamera, outbound: faults.toClient, seed: seed++ });
        transports.push(t);
        return t;
      }
    : undefined;
  const device = new CameraDevice({
    port: o.port ?? 32761,
    host: o.host,
    uid: credentials.uid,
    enr: credentials.enr,
    mac: credentials.mac,
    model: credentials.model,
    flavours: o.flavours,
    authStatus: o.authStatus,
    authEnr: o.authEnr,
    checkAuthKey: o.checkAuthKey,
    forceResend: o.forceResend,
    frameInfoTime: o.frameInfoTime,
    sessionMarker: o.sessionMarker,
    keepaliveIntervalMs: o.keepaliveIntervalMs,
    pauseMediaAfterMs: o.pauseMediaAfterMs,
    clientTimeoutMs: o.clientTimeoutMs,
    helloVerify: o.helloVerify,
    twoWayAudio: o.twoWayAudio,
    accessories: o.accessories,
    sources,
    transport,
  });
  const port = await device.start();
  const sumFaults = (pick: (t: FaultyTransport) => FaultStats): FaultStats => {
    const s: FaultStats = { passed: 0, lost: 0, burstLost: 0, blackedOut: 0, reordered: 0, duplicated: 0, delayed: 0 };
    for (const t of transports) for (const [k, v] of Object.entries(pick(t))) s[k as keyof FaultStats] += v;
    return s;
  };
  return {
    device,
    port,
    host: o.host ?? '0.0.0.0',
    credentials,
    sources,
    get stats(): CameraSimStats {
      return { ...device.stats, faultDrops: transports.reduce((n, t) => n + t.dropped, 0), faults: { toCamera: sumFaults((t) => t.stats.inbound), toClient: sumFaults((t) => t.stats.outbound) } };
    },
    reboot: (offMs) => device.reboot(offMs),
    jumpClock: (s) => device.jumpClock(s),
    moveSourcePort: () => device.moveSourcePort(),
    setFaults: (f) => {
      for (const t of transports) t.setProfiles({ inbound: f.toCamera, outbound: f.toClient });
    },
    close: () => device.close(),
  };
}

/**
 * `count` cameras on consecutive ports from `o.port` (or each on a free port when it is 0), each with its
 * own reproducible credentials unless `o` gives them.
 */
export async function startCameraSims(count: number, o: CameraSimOptions = {}): Promise<CameraSim[]> {
  const sims: CameraSim[] = [];
  const base = o.port ?? 32761;
  try {
    for (let i = 0; i < count; i++) {
      const creds = count === 1 && o.uid && o.enr && o.mac ? {} : generateCredentials(i, `${o.uid ?? 'sim'}:${base}`);
      // The media are read once and shared: each camera gets its own sources (own pacing) over them.
      const first = sims[0]?.sources;
      const sources = o.sources ?? (first?.hd instanceof FileMediaSource ? shareSources(first as { hd: FileMediaSource; sd?: FileMediaSource }) : undefined);
      sims.push(await startCameraSim({ ...o, ...creds, model: o.model, port: base === 0 ? 0 : base + i, sources }));
    }
  } catch (e) {
    for (const s of sims) s.close();
    throw e;
  }
  return sims;
}
