// Shared pieces of the recorder e2e tests: a database with the schema, emulated cameras fed from the media
// fixtures, the recorder child process, and checks of the files it writes.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '@wyze-nvr/config';
import { createDataSource, runMigrations } from '@wyze-nvr/db';
import { isOutOfBandNal, readFragmentedMp4, sampleTimeUs, splitAnnexB, type VideoCodec } from '@wyze-nvr/media';
import { CameraDevice, type CameraDeviceOptions } from '@wyze-nvr/tutk';
import type { DataSource } from 'typeorm';
import { parsePrometheus } from '../../apps/recorder/src/metrics/prometheus';
import { fixtureMedia, pacedSource, type FixtureMediaOptions } from '../../apps/recorder/src/testing/fixture-media';
import { CliProcess } from './cli';
import { createTestDatabase, type TestDatabase } from './pg';

export { eventually, holdFor } from './eventually';

export const SECRET_KEY_HEX = randomBytes(32).toString('hex');

export interface MigratedDatabase {
  db: TestDatabase;
  ds: DataSource;
  close(): Promise<void>;
}

/** A fresh database (name prefix `prefix`) with the real migrations applied, and a data source on it. */
export async function migratedDatabase(prefix: string): Promise<MigratedDatabase> {
  const db = await createTestDatabase(prefix);
  const ds = createDataSource({ url: db.url });
  await ds.initialize();
  await runMigrations(ds);
  return {
    db,
    ds,
    async close() {
      if (ds.isInitialized) await ds.destroy();
      await db.drop();
    },
  };
}

export interface RecorderTestEnv extends MigratedDatabase {
  dir: string;
  recordings: string;
}

export async function recorderTestEnv(): Promise<RecorderTestEnv> {
  const database = await migratedDatabase('wyze_nvr_rec');
  const dir = mkdtempSync(join(tmpdir(), 'wyze-nvr-rec-'));
  return { ...database, dir, recordings: join(dir, 'recordings') };
}

export interface EmulatedCamera {
  id: number;
  device: CameraDevice;
  sent: { video: number; audio: number };
  /** Frames the source will hand over in total. */
  expected: { video: number; audio: number };
  /** What each video sample of the source should be stored as (videoSampleDigest), in loop order. */
  videoDigests: string[];
  close(): void;
}

/** SHA-1 of a video frame as an MP4 sample stores it: its picture NAL units, each after a 4-byte length. */
export function videoSampleDigest(codec: VideoCodec, annexB: Uint8Array): string {
  const h = createHash('sha1');
  const len = Buffer.alloc(4);
  for (const nal of splitAnnexB(annexB)) {
    if (isOutOfBandNal(codec, nal)) continue;
    len.writeUInt32BE(nal.length);
    h.update(len).update(nal);
  }
  return h.digest('hex');
}

/** Every video sample of a segment file, in decode order: its wall-clock time (the file starts at `startUs`) and SHA-1. */
export function timedVideoSamplesOf(path: string, startUs: number): { timeUs: number; digest: string }[] {
  const bytes = readFileSync(path);
  const mp4 = readFragmentedMp4(bytes);
  const video = new Map(mp4.tracks.filter((t) => t.kind === 'video').map((t) => [t.trackId, t]));
  const out: { timeUs: number; digest: string }[] = [];
  for (const f of mp4.fragments) {
    for (const s of f.samples) {
      const t = video.get(s.trackId);
      if (t) out.push({ timeUs: startUs + sampleTimeUs(t, s.decodeTime), digest: createHash('sha1').update(bytes.subarray(s.offset, s.offset + s.size)).digest('hex') });
    }
  }
  return out;
}

/** SHA-1 of every video sample of a segment file, in decode order. */
export function videoSamplesOf(path: string): string[] {
  const bytes = readFileSync(path);
  const mp4 = readFragmentedMp4(bytes);
  const video = new Set(mp4.tracks.filter((t) => t.kind === 'video').map((t) => t.trackId));
  const out: string[] = [];
  for (const f of mp4.fragments) {
    for (const s of f.samples) if (video.has(s.trackId)) out.push(createHash('sha1').update(bytes.subarray(s.offset, s.offset + s.size)).digest('hex'));
  }
  return out;
}

let cameraSeq = 0;

/** A CameraDevice on 127.0.0.1 streaming fixture media (paced, looped), and its `cameras` row. */
export async function emulatedCamera(
  env: RecorderTestEnv,
  media: FixtureMediaOptions,
  o: { speed?: number; durationUs: number; port?: (devicePort: number) => Promise<number>; device?: Partial<CameraDeviceOptions> },
): Promise<EmulatedCamera> {
  const n = ++cameraSeq;
  const uid = `RECTEST${String(n).padStart(3, '0')}${randomBytes(5).toString('hex').toUpperCase()}`;
  const enr = randomBytes(16).toString('hex');
  const mac = `aabbcc${randomBytes(3).toString('hex')}`;
  const { frames, periodUs } = fixtureMedia(media);
  const expected = { video: 0, audio: 0 };
  for (let t = 0; t < o.durationUs; t += periodUs) for (const f of frames) if (t + f.timestampUs < o.durationUs) expected[f.kind]++;
  // A recorder starved of CPU on a loaded test machine can be silent for seconds: media are paused only after
  // 10 s of silence here (a camera's 2 s, FACTS §8.3, is tested on its own), so a test's frame count is whole.
  const device = new CameraDevice({ uid, enr, mac, model: 'HL_CAM4', port: 0, host: '127.0.0.1', keepaliveIntervalMs: 1000, sources: { hd: pacedSource(frames, periodUs, { speed: o.speed, durationUs: o.durationUs }) }, pauseMediaAfterMs: 10_000, ...o.device });
  await device.start();
  const sent = { video: 0, audio: 0 };
  device.on('frame-sent', (f) => sent[f.kind]++);
  const port = o.port ? await o.port(device.port) : device.port;
  const box = new SecretBox(Buffer.from(SECRET_KEY_HEX, 'hex'));
  const rows: { id: number }[] = await env.ds.query(
    `INSERT INTO cameras (name, uid, enr_encrypted, mac, ip, port, model) VALUES ($1, $2, $3, $4, '127.0.0.1', $5, 'HL_CAM4') RETURNING id`,
    [`cam ${n}`, uid, box.encrypt(enr), mac, port],
  );
  const videoDigests = frames.filter((f) => f.kind === 'video').map((f) => videoSampleDigest(media.video, f.data));
  return { id: rows[0].id, device, sent, expected, videoDigests, close: () => device.close() };
}

export function recorderEnv(env: RecorderTestEnv, dbUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: dbUrl,
    DATA_DIR: join(env.dir, 'data'),
    RECORDINGS_DIR: env.recordings,
    SECRET_KEY: SECRET_KEY_HEX,
    LOG_LEVEL: 'info',
    RECORDER_METRICS_PORT: '0',
    ...extra,
  };
}

/** Starts `wyze-nvr record` and resolves with the process and its metrics URL once it is recording. */
export async function startRecorder(env: Record<string, string>): Promise<{ proc: CliProcess; metricsUrl: string }> {
  const proc = new CliProcess(['record'], env);
  const m = await proc.waitFor(/metrics at (http:\/\/\S+\/metrics)/, 60_000);
  return { proc, metricsUrl: m[1] };
}

export async function metrics(url: string): Promise<Map<string, number>> {
  const res = await fetch(url);
  return parsePrometheus(await res.text());
}

/** Sum of a metric family over the series that match every given label. */
export function metricSum(m: Map<string, number>, name: string, labels: Record<string, string> = {}, labelPattern?: RegExp): number {
  let sum = 0;
  for (const [k, v] of m) {
    if (!k.startsWith(`${name}{`)) continue;
    if (!Object.entries(labels).every(([l, val]) => k.includes(`${l}="${val}"`))) continue;
    if (labelPattern && !labelPattern.test(k)) continue;
    sum += v;
  }
  return sum;
}

export function listSegmentFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.mp4')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export interface SegmentRow {
  camera_id: number;
  path: string;
  start_us: number;
  end_us: number;
  bytes: number;
  video_frames: number;
  audio_frames: number;
  state: string;
}

/** A row of `events`, as the tests read it. */
export interface EventRow {
  id: number;
  start_us: number;
  end_us: number | null;
  peak_score: number;
  pre_roll_us: number;
  post_roll_us: number;
  protected: boolean;
}

export async function segmentRows(ds: DataSource, cameraId?: number): Promise<SegmentRow[]> {
  return ds.query(`SELECT camera_id, path, start_us, end_us, bytes, video_frames, audio_frames, state FROM segments ${cameraId ? 'WHERE camera_id = $1' : ''} ORDER BY camera_id, start_us`, cameraId ? [cameraId] : []);
}

/** ffprobe reads the file and `ffmpeg -v error` decodes it without a message. Returns the messages (empty = clean). */
export function decodeErrors(path: string): string {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  if (probe.status !== 0 || !probe.stdout.trim()) return `ffprobe failed (${probe.status}): ${probe.stderr}`;
  const dec = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-threads', '1', '-i', path, '-f', 'null', '-'], { encoding: 'utf8' });
  if (dec.status !== 0) return `ffmpeg exited ${dec.status}: ${dec.stderr}`;
  return dec.stderr.trim();
}

/** Sample counts per track kind, read back with the media lib's reader. */
export function sampleCounts(path: string): { video: number; audio: number; truncated: boolean } {
  const mp4 = readFragmentedMp4(readFileSync(path));
  const kind = new Map(mp4.tracks.map((t) => [t.trackId, t.kind]));
  const out = { video: 0, audio: 0, truncated: mp4.truncated };
  for (const f of mp4.fragments) for (const s of f.samples) {
    const k = kind.get(s.trackId);
    if (k === 'video' || k === 'audio') out[k]++;
  }
  return out;
}
