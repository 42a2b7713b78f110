// Recordings for API tests, two ways:
// - recordFromEmulator(): the real thing. Emulated cameras (@wyze-nvr/camera-sim) stream the media fixtures
//   faster than real time with FRAMEINFO = media time; `wyze-nvr record` (a child process) records them into
//   a fresh database and recordings dir, and is stopped before the API is started over both.
// - writeSegment()/writeRecording(): segments written directly, for tests that need precisely controlled
//   segments (a resolution change, exact ages and sizes): fixture access units through the media lib's
//   FragmentedMp4Writer (one fragment per GOP), a file at <root>/<camera>/<YYYY-MM-DD>/<HH>/<start µs>.mp4
//   and a closed `segments` row, as the recorder lays them out.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileMediaSource, startCameraSim, type CameraSim } from '@wyze-nvr/camera-sim';
import { SecretBox } from '@wyze-nvr/config';
import { createDataSource, runMigrations, SegmentEntity } from '@wyze-nvr/db';
import { FragmentedMp4Writer, isOutOfBandNal, splitAnnexB, videoConfigFromAccessUnit, type VideoCodec } from '@wyze-nvr/media';
import type { MediaFrame, MediaSource } from '@wyze-nvr/tutk';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from './pg';
import { eventually, metrics, metricSum, SECRET_KEY_HEX, startRecorder } from './recorder-harness';

export const MEDIA_FIXTURES = join(__dirname, '..', 'fixtures', 'media');
export const FRAME_US = 50_000;

/** Access units of an Annex-B fixture, split at each access unit delimiter (the fixtures carry one per frame). */
export function accessUnits(data: Uint8Array, codec: VideoCodec): Uint8Array[] {
  const starts: number[] = [];
  const aud = codec === 'h264' ? 9 : 35;
  for (let i = 0; i + 4 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      const type = codec === 'h264' ? data[i + 3] & 0x1f : (data[i + 3] >> 1) & 0x3f;
      if (type === aud) starts.push(i > 0 && data[i - 1] === 0 ? i - 1 : i);
      i += 2;
    }
  }
  return starts.map((s, k) => data.subarray(s, k + 1 < starts.length ? starts[k + 1] : data.length));
}

const cache = new Map<string, Uint8Array[]>();
export function fixtureFrames(name: string, codec: VideoCodec): Uint8Array[] {
  let frames = cache.get(name);
  if (!frames) {
    const b = readFileSync(join(MEDIA_FIXTURES, name));
    cache.set(name, (frames = accessUnits(new Uint8Array(b.buffer, b.byteOffset, b.length), codec)));
  }
  return frames;
}

export function segmentRelPath(cameraId: number, startUs: number): string {
  const iso = new Date(Math.floor(startUs / 1000)).toISOString();
  return join(String(cameraId), iso.slice(0, 10), iso.slice(11, 13), `${startUs}.mp4`);
}

export interface SegmentSpec {
  startUs: number;
  /** Frames of the looped fixture, from `firstFrame` (a keyframe). */
  frames: number;
  firstFrame?: number;
  fixture?: string;
  codec?: VideoCodec;
  width?: number;
  height?: number;
  state?: SegmentEntity['state'];
  /** Written as a row only, without a file (a row the disk lost). */
  noFile?: boolean;
}

export interface WrittenSegment {
  row: SegmentEntity;
  abs: string;
  bytes: Uint8Array;
}

/** Encodes one segment file (no re-encode: the fixture's own frames) and inserts its row. */
export async function writeSegment(ds: DataSource, recordingsDir: string, cameraId: number, spec: SegmentSpec): Promise<WrittenSegment> {
  const codec = spec.codec ?? 'h264';
  const fixture = spec.fixture ?? (codec === 'h264' ? 'h264-720p20.h264' : 'h265-720p20.h265');
  const all = fixtureFrames(fixture, codec);
  const first = spec.firstFrame ?? 0;
  const frames = Array.from({ length: spec.frames }, (_, i) => all[(first + i) % all.length]);
  const writer = new FragmentedMp4Writer({ video: videoConfigFromAccessUnit(codec, frames[0])! }, { baseTimeUs: spec.startUs });
  const chunks: Uint8Array[] = [writer.init()];
  let keyframes = 0;
  frames.forEach((data, i) => {
    const timeUs = spec.startUs + i * FRAME_US;
    if (i > 0) {
      // Flush before each keyframe: one fragment per GOP, as the segmenter does.
      const probe = data;
      const isKey = codec === 'h264' ? probe.some((_, k) => k + 3 < probe.length && probe[k] === 0 && probe[k + 1] === 0 && probe[k + 2] === 1 && (probe[k + 3] & 0x1f) === 5) : false;
      if (isKey) {
        const f = writer.flush(timeUs);
        if (f) chunks.push(...f.chunks);
      }
    }
    writer.addVideoFrame({ data, timeUs });
  });
  const last = writer.flush(spec.startUs + frames.length * FRAME_US);
  if (last) chunks.push(...last.chunks);
  const bytes = new Uint8Array(Buffer.concat(chunks));
  for (let i = 0; i < frames.length; i++) if (codec === 'h264' && (first + i) % 40 === 0) keyframes++;
  const rel = segmentRelPath(cameraId, spec.startUs);
  const abs = join(recordingsDir, rel);
  if (!spec.noFile) {
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, bytes);
  }
  const repo = ds.getRepository(SegmentEntity);
  const inserted = await repo.insert({
    cameraId,
    startUs: spec.startUs,
    endUs: spec.startUs + frames.length * FRAME_US,
    path: rel,
    bytes: bytes.length,
    videoFrames: frames.length,
    keyframes,
    videoCodec: codec,
    width: spec.width ?? 1280,
    height: spec.height ?? 720,
    state: spec.state ?? 'closed',
  });
  const row = await repo.findOneByOrFail({ id: inserted.identifiers[0].id as number });
  return { row, abs, bytes };
}

/** Back-to-back segments of `framesEach` frames from `startUs`, continuing through the looped fixture. */
export async function writeRecording(ds: DataSource, recordingsDir: string, cameraId: number, opts: { startUs: number; segments: number; framesEach: number; fixture?: string }): Promise<WrittenSegment[]> {
  const out: WrittenSegment[] = [];
  for (let k = 0; k < opts.segments; k++) {
    out.push(
      await writeSegment(ds, recordingsDir, cameraId, {
        startUs: opts.startUs + k * opts.framesEach * FRAME_US,
        frames: opts.framesEach,
        firstFrame: k * opts.framesEach,
        fixture: opts.fixture,
      }),
    );
  }
  return out;
}

/** A video frame as an emulated camera sent it: its Annex-B access unit and its FRAMEINFO time. */
export interface SentVideoFrame {
  data: Uint8Array;
  timeUs: number;
  keyframe: boolean;
}

export interface RecordedSegment {
  row: SegmentEntity;
  /** The file's bytes as the recorder left them. */
  bytes: Uint8Array;
}

export interface EmulatedRecording {
  cameraId: number;
  /** Closed segments, oldest first. */
  segments: RecordedSegment[];
  /** Every video frame the emulator sent, in order. */
  sentVideo: SentVideoFrame[];
  sentAudio: number;
}

export interface EmulatorFootage {
  /** Migrated, with the `cameras` rows and what the recorder wrote. Handed on to startTestApi({ existing }). */
  db: TestDatabase;
  dataDir: string;
  recordingsDir: string;
  cameras: EmulatedRecording[];
}

/** A source that ends after `durationUs` of media, looping the file until then. */
function boundedSource(inner: MediaSource, durationUs: number): MediaSource & { ended: boolean } {
  const src = {
    ended: false,
    async *frames(signal: AbortSignal): AsyncGenerator<MediaFrame> {
      for await (const f of inner.frames(signal)) {
        if (f.timestampUs >= durationUs) break;
        yield f;
      }
      if (!signal.aborted) src.ended = true;
    },
  };
  return src;
}

/**
 * Records `cameras` emulated cameras (H.264 720p20 + AAC from the fixtures, keyframe every 2 s) for
 * `mediaSeconds` of media at `speed`× with `wyze-nvr record`, SEGMENT_SECONDS = `segmentSeconds`, then stops
 * the recorder (SIGTERM, exit 0) and the emulators. The recorder trusts camera time
 * (RECORDER_CLOCK_MAX_SKEW_SECONDS), so the footage carries media time from the session's start.
 */
export async function recordFromEmulator(o: { cameras?: number; mediaSeconds: number; segmentSeconds: number; speed?: number }): Promise<EmulatorFootage> {
  const db = await createTestDatabase('wyze_nvr_api');
  const dataDir = mkdtempSync(join(tmpdir(), 'nvr-api-data-'));
  const recordingsDir = join(dataDir, 'recordings');
  const ds = createDataSource({ url: db.url });
  const sims: CameraSim[] = [];
  try {
    await ds.initialize();
    await runMigrations(ds);
    const box = new SecretBox(Buffer.from(SECRET_KEY_HEX, 'hex'));
    const durationUs = o.mediaSeconds * 1_000_000;
    const cams: { id: number; source: ReturnType<typeof boundedSource>; sentVideo: SentVideoFrame[]; sent: { video: number; audio: number } }[] = [];
    for (let n = 1; n <= (o.cameras ?? 1); n++) {
      const source = boundedSource(
        fileMediaSource({ video: join(MEDIA_FIXTURES, 'h264-720p20.h264'), audio: join(MEDIA_FIXTURES, 'aac-16k-mono.aac'), speed: o.speed ?? 6 }),
        durationUs,
      );
      const sim = await startCameraSim({ port: 0, host: '127.0.0.1', sources: { hd: source } });
      sims.push(sim);
      const cam = { id: 0, source, sentVideo: [] as SentVideoFrame[], sent: { video: 0, audio: 0 } };
      sim.device.on('frame-sent', (f) => {
        cam.sent[f.kind]++;
        if (f.kind === 'video') cam.sentVideo.push({ data: f.data, timeUs: f.info.timestampSec * 1_000_000 + f.info.timestampUs, keyframe: f.info.flags === 1 });
      });
      const { uid, enr, mac, model } = sim.credentials;
      const rows: { id: number }[] = await ds.query(
        `INSERT INTO cameras (name, uid, enr_encrypted, mac, ip, port, model) VALUES ($1, $2, $3, $4, '127.0.0.1', $5, $6) RETURNING id`,
        [`emulated ${n}`, uid, box.encrypt(enr), mac, sim.port, model],
      );
      cam.id = rows[0].id;
      cams.push(cam);
    }

    const { proc, metricsUrl } = await startRecorder({
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      RECORDINGS_DIR: recordingsDir,
      SECRET_KEY: SECRET_KEY_HEX,
      LOG_LEVEL: 'info',
      RECORDER_METRICS_PORT: '0',
      SEGMENT_SECONDS: String(o.segmentSeconds),
      RECORDER_CLOCK_MAX_SKEW_SECONDS: '3600',
    });
    let exit: number | null;
    try {
      const wallBudgetMs = 30_000 + (durationUs / 1000 / (o.speed ?? 6)) * 4;
      await eventually(() => cams.every((c) => c.source.ended), wallBudgetMs, 'the emulators to play all their media');
      await eventually(
        async () => {
          const m = await metrics(metricsUrl);
          return cams.every(
            (c) =>
              metricSum(m, 'wyze_nvr_camera_frames_total', { camera: String(c.id), kind: 'video' }) === c.sent.video &&
              metricSum(m, 'wyze_nvr_camera_frames_total', { camera: String(c.id), kind: 'audio' }) === c.sent.audio,
          );
        },
        20_000,
        'the recorder to receive every frame sent',
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}\nrecorder output:\n${proc.output.slice(-3000)}`, { cause: e });
    } finally {
      exit = await proc.stop('SIGTERM');
    }
    if (exit !== 0) throw new Error(`recorder exited ${exit}:\n${proc.output.slice(-3000)}`);

    const cameras: EmulatedRecording[] = [];
    for (const c of cams) {
      const rows = await ds.getRepository(SegmentEntity).find({ where: { cameraId: c.id }, order: { startUs: 'ASC' } });
      const segments = rows.map((row) => ({ row, bytes: new Uint8Array(readFileSync(resolve(recordingsDir, row.path))) }));
      cameras.push({ cameraId: c.id, segments, sentVideo: c.sentVideo, sentAudio: c.sent.audio });
    }
    return { db, dataDir, recordingsDir, cameras };
  } catch (e) {
    await db.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  } finally {
    for (const s of sims) s.close();
    if (ds.isInitialized) await ds.destroy();
  }
}

/**
 * An access unit as an MP4 video sample (ISO/IEC 14496-15 §5.3.2: 4-byte NALUnitLength + NAL unit), with the
 * NAL units that belong in the sample entry or nowhere (parameter sets, AUD, filler) left out, as the
 * recorder stores them.
 */
export function sampleOfAccessUnit(codec: VideoCodec, au: Uint8Array): Buffer {
  const parts: Uint8Array[] = [];
  for (const nal of splitAnnexB(au)) {
    if (isOutOfBandNal(codec, nal)) continue;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(nal.length); // NALUnitLength
    parts.push(len, nal);
  }
  return Buffer.concat(parts);
}
