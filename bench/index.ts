// bench:index — what the index costs per camera-minute, and how fast a week of motion activity is answered.
// Seeds N camera-hours of rows as the recorder writes them (60 s segments with their real path form, gaps,
// motion events, and one motion_activity row a minute with one GOP entry per keyframe interval), VACUUM
// ANALYZEs, and prints pg_total_relation_size (heap + indexes + TOAST) of each table divided by the
// camera-minutes seeded. Then GET /cameras/:id/activity's service work (camera lookup, the range scan, the
// unpacking into buckets) over 7 days of one camera, timed against that same database.
//   npm run bench:index [-- --cameras 2 --days 7 --gop-ms 1000 --events-per-hour 6 --gaps-per-hour 1 --runs 20]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { activityLevel, createDataSource, MINUTE_US, packActivity, runMigrations, type GopActivity } from '@wyze-nvr/db';
import { ActivityService } from '../apps/api/src/activity/activity.service';
import type { ApiDeps } from '../apps/api/src/api.deps';
import { RecordingsService } from '../apps/api/src/recordings/recordings.service';
import { ActivityRepository } from '../apps/api/src/repositories/activity.repository';
import { CameraRepository } from '../apps/api/src/repositories/camera.repository';
import type { ClusterRepository } from '../apps/api/src/repositories/cluster.repository';
import type { MediaFileRepository } from '../apps/api/src/repositories/media-file.repository';
import type { RecorderLinkRepository } from '../apps/api/src/repositories/recorder-link.repository';
import type { RecordingRepository } from '../apps/api/src/repositories/recording.repository';
import { formatIsoUs } from '../apps/api/src/common/time';
import { segmentPath } from '../apps/recorder/src/segment/segment-path';
import { createTestDatabase } from '../test/support/pg';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: '2' },
    days: { type: 'string', default: '7' },
    'gop-ms': { type: 'string', default: '1000' },
    'events-per-hour': { type: 'string', default: '6' },
    'gaps-per-hour': { type: 'string', default: '1' },
    runs: { type: 'string', default: '20' },
  },
});
const CAMERAS = Number(values.cameras);
const DAYS = Number(values.days);
const GOP_US = Number(values['gop-ms']) * 1000;
const EVENTS_PER_HOUR = Number(values['events-per-hour']);
const GAPS_PER_HOUR = Number(values['gaps-per-hour']);
const RUNS = Number(values.runs);
const HOUR_US = 3600 * 1e6;
const T0 = Math.floor(Date.UTC(2026, 10, 1) * 1000);
const TABLES = ['segments', 'gaps', 'events', 'motion_activity'];

/** A still scene with a motion burst now and then: levels like the detector's (mostly 0..20, bursts 60..100). */
function minuteOfGops(minuteUs: number, seed: number): GopActivity[] {
  const gops: GopActivity[] = [];
  let s = seed;
  for (let t = minuteUs; t < minuteUs + MINUTE_US; t += GOP_US) {
    s = (s * 1103515245 + 12345) >>> 0;
    const burst = s % 10 === 0;
    gops.push({ startUs: t + (s % 997), level: activityLevel(burst ? 1.2 + (s % 100) / 100 : (s % 40) / 100) });
  }
  return gops;
}

async function main(): Promise<void> {
  const db = await createTestDatabase('wyze_nvr_bench_index');
  const ds = createDataSource({ url: db.url });
  try {
    await ds.initialize();
    await runMigrations(ds);
    const cameraIds: number[] = [];
    for (let c = 0; c < CAMERAS; c++) {
      const mac = `BE0000${String(c).padStart(6, '0')}`;
      const rows: { id: number }[] = await ds.query(`INSERT INTO cameras (name, uid, enr_encrypted, mac, model) VALUES ($1, $2, 'v1:x', $3, 'HL_CAM4') RETURNING id`, [`bench ${c}`, `UID${mac}`.padEnd(20, 'X'), mac]);
      cameraIds.push(rows[0].id);
    }
    const hours = DAYS * 24;
    const cameraMinutes = CAMERAS * hours * 60;
    const keyframesPerSegment = Math.round(60e6 / GOP_US);
    const t = performance.now();
    for (const cam of cameraIds) {
      // Segments: 60 s each, closed, as the recorder's upserts leave them (path as the recorder builds it).
      const starts = Array.from({ length: hours * 60 }, (_, i) => T0 + i * MINUTE_US);
      for (let i = 0; i < starts.length; i += 5000) {
        const batch = starts.slice(i, i + 5000);
        await ds.query(
          `INSERT INTO segments (camera_id, start_us, end_us, path, bytes, video_frames, audio_frames, keyframes, video_codec, audio_codec, width, height, state)
           SELECT $1, s, s + 60000000, p, 15000000, 1200, 938, $4, 'h264', 'aac', 2560, 1440, 'closed' FROM unnest($2::int8[], $3::text[]) AS u(s, p)`,
          [cam, batch, batch.map((s) => segmentPath('/var/lib/wyze-nvr/recordings', cam, s)), keyframesPerSegment],
        );
      }
      await ds.query(
        `INSERT INTO gaps (camera_id, start_us, end_us, reason)
         SELECT $1, $2::int8 + g * $3::int8 + 1234567, $2::int8 + g * $3::int8 + 1234567 + 8000000, 'network_loss' FROM generate_series(0, $4 - 1) g`,
        [cam, T0, Math.round(HOUR_US / Math.max(GAPS_PER_HOUR, 1e-9)), Math.round(hours * GAPS_PER_HOUR)],
      );
      await ds.query(
        `INSERT INTO events (camera_id, kind, start_us, end_us, peak_score, pre_roll_us, post_roll_us)
         SELECT $1, 'motion', $2::int8 + e * $3::int8 + 7654321, $2::int8 + e * $3::int8 + 7654321 + 25000000, 2.5, 5000000, 5000000 FROM generate_series(0, $4 - 1) e`,
        [cam, T0, Math.round(HOUR_US / Math.max(EVENTS_PER_HOUR, 1e-9)), Math.round(hours * EVENTS_PER_HOUR)],
      );
      // Activity: one row per minute, written as the recorder's final snapshot of each minute.
      for (let i = 0; i < starts.length; i += 2000) {
        const batch = starts.slice(i, i + 2000);
        const gops = batch.map((m, k) => minuteOfGops(m, cam * 1e6 + i + k));
        const entries = gops.map((g, k) => Buffer.from(packActivity(batch[k], g)));
        const maxLevels = gops.map((g) => Math.max(...g.map((x) => x.level)));
        await ds.query(`INSERT INTO motion_activity (camera_id, minute_us, max_level, entries) SELECT $1, m, l, e FROM unnest($2::int8[], $3::int2[], $4::bytea[]) AS u(m, l, e)`, [cam, batch, maxLevels, entries]);
      }
    }
    const seedMs = performance.now() - t;
    await ds.query('VACUUM ANALYZE');

    console.log(`index size: ${CAMERAS} cameras × ${DAYS} days = ${CAMERAS * hours} camera-hours, 60 s segments, a keyframe every ${GOP_US / 1000} ms, ${EVENTS_PER_HOUR} events and ${GAPS_PER_HOUR} gaps per camera-hour (seeded in ${(seedMs / 1000).toFixed(1)} s)`);
    let total = 0;
    for (const table of TABLES) {
      const [{ bytes, rows }]: { bytes: number; rows: number }[] = await ds.query(`SELECT pg_total_relation_size($1::regclass)::int8 AS bytes, (SELECT count(*) FROM ${table})::int8 AS rows`, [table]);
      total += bytes;
      console.log(`  ${table.padEnd(16)} ${String(rows).padStart(8)} rows ${(bytes / 1048576).toFixed(1).padStart(7)} MiB ${(bytes / cameraMinutes).toFixed(0).padStart(5)} B per camera-minute`);
    }
    console.log(`  ${'all'.padEnd(16)} ${''.padStart(13)} ${(total / 1048576).toFixed(1).padStart(7)} MiB ${(total / cameraMinutes).toFixed(0).padStart(5)} B per camera-minute (budget 1024)`);

    // GET /cameras/:id/activity for the last 7 days of the first camera (or all of it), in 1000 and 5000 buckets.
    const deps = { dataSource: ds } as ApiDeps;
    const service = new ActivityService(new ActivityRepository(deps), new RecordingsService(new CameraRepository(deps), {} as RecordingRepository, {} as MediaFileRepository, {} as ClusterRepository, {} as RecorderLinkRepository));
    const toUs = T0 + hours * HOUR_US;
    const fromUs = Math.max(T0, toUs - 7 * 24 * HOUR_US);
    for (const buckets of [1000, 5000]) {
      const q = { from: formatIsoUs(fromUs), to: formatIsoUs(toUs), buckets };
      const times: number[] = [];
      let scored = 0;
      for (let r = 0; r < RUNS + 2; r++) {
        const t1 = performance.now();
        const answer = await service.levels(cameraIds[0], q);
        if (r >= 2) times.push(performance.now() - t1); // the first two warm the plan cache and the JIT
        scored = answer.levels.filter((l) => l !== null).length;
      }
      times.sort((a, b) => a - b);
      const pick = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
      console.log(
        `activity query: ${((toUs - fromUs) / 24 / HOUR_US).toFixed(0)} days of one camera, ${buckets} buckets (${scored} with a level), ${RUNS} runs: median ${pick(0.5)} ms, p95 ${pick(0.95)} ms, max ${times[times.length - 1].toFixed(1)} ms`,
      );
    }
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await db.drop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
