// Motion activity in a real PostgreSQL with the real migrations: written by the recorder's store through
// its IndexQueue (snapshots replace, replays change nothing, a second process in the same minute keeps
// the first one's GOPs), read back into buckets by the API's repository, and deleted by retention with
// the footage it belongs to.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@wyze-nvr/log';
import { packActivity, unpackActivity, type GopActivity } from '@wyze-nvr/db';
import type { DataSource } from 'typeorm';
import { migratedDatabase, type MigratedDatabase } from '../../../../test/support/recorder-harness';
import { IndexQueue } from '../../../recorder/src/index/index-queue';
import { PgRecorderStore } from '../../../recorder/src/index/recorder-store';
import { activityLevels, bucketsOf } from '../activity/activity-levels';
import type { ApiDeps } from '../api.deps';
import { ActivityRepository } from './activity.repository';
import { RetentionRepository } from './retention.repository';

const S = 1_000_000;
const M = 1_760_000_040 * S; // a minute boundary
const logger = createLogger({ name: 'activity-int', level: 'silent' });

describe('motion activity in PostgreSQL', () => {
  let database: MigratedDatabase;
  let ds: DataSource;
  let store: PgRecorderStore;
  let activity: ActivityRepository;
  let retention: RetentionRepository;
  let cam: number;
  let other: number;

  const addCamera = async (mac: string): Promise<number> =>
    ((await ds.query(`INSERT INTO cameras (name, uid, enr_encrypted, mac, model) VALUES ('c', $1, 'v1:x', $2, 'HL_CAM4') RETURNING id`, [`UID${mac}`.padEnd(20, 'X'), mac])) as { id: number }[])[0].id;
  const stored = async (cameraId: number): Promise<Map<number, GopActivity[]>> =>
    new Map((await activity.minutes(cameraId, 0, Number.MAX_SAFE_INTEGER)).map((m) => [m.minuteUs, unpackActivity(m.minuteUs, m.entries)]));
  const snapshot = (cameraId: number, minuteUs: number, gops: GopActivity[]) => ({
    cameraId,
    minuteUs,
    entries: packActivity(minuteUs, gops),
    maxLevel: Math.max(...gops.map((g) => g.level)),
  });
  /** The API's answer for a window, and the same computed by unpacking every stored minute. */
  const both = async (cameraId: number, fromUs: number, toUs: number, buckets: number) => {
    const { bucketMs, count } = bucketsOf(fromUs, toUs, buckets);
    const scan = await activity.scan(cameraId, fromUs, toUs, bucketMs * 1000);
    return {
      scan,
      levels: activityLevels(scan, fromUs, toUs, bucketMs, count),
      unpacked: activityLevels({ buckets: [], minutes: await activity.minutes(cameraId, fromUs, toUs) }, fromUs, toUs, bucketMs, count),
    };
  };

  before(async () => {
    database = await migratedDatabase('wyze_nvr_activity');
    ds = database.ds;
    store = new PgRecorderStore(ds);
    const deps = { dataSource: ds } as ApiDeps;
    activity = new ActivityRepository(deps);
    retention = new RetentionRepository(deps);
    cam = await addCamera('AABBCC000001');
    other = await addCamera('AABBCC000002');
  });
  after(async () => {
    await database?.close();
  });

  test('snapshots through the IndexQueue: the newest of a minute wins, a replay adds nothing', async () => {
    const q = new IndexQueue(store, logger);
    const g1 = { startUs: M + 1 * S, level: 10 };
    const g2 = { startUs: M + 3 * S, level: 70 };
    q.activity(snapshot(cam, M, [g1]));
    q.activity(snapshot(cam, M, [g1, g2]));
    q.activity(snapshot(cam, M + 60 * S, [{ startUs: M + 61 * S, level: 50 }]));
    assert.ok(await q.drain(5000));
    await store.upsertActivity(snapshot(cam, M, [g1, g2])); // replay after a lost acknowledgement
    assert.deepEqual(await stored(cam), new Map([[M, [g1, g2]], [M + 60 * S, [{ startUs: M + 61 * S, level: 50 }]]]));
  });

  test('a second recorder process in the same minute keeps the GOPs stored before its first one', async () => {
    const minute = M + 120 * S;
    const early = [{ startUs: minute + 2 * S, level: 5 }, { startUs: minute + 4 * S, level: 6 }];
    await store.upsertActivity(snapshot(other, minute, early));
    const later = [{ startUs: minute + 30 * S, level: 90 }, { startUs: minute + 32 * S, level: 91 }];
    await store.upsertActivity(snapshot(other, minute, later.slice(0, 1)));
    await store.upsertActivity(snapshot(other, minute, later));
    assert.deepEqual((await stored(other)).get(minute), [...early, ...later]);
  });

  test('the API buckets what the recorder stored: max per bucket, null where nothing was scored', async () => {
    assert.deepEqual((await both(cam, M, M + 3 * 60 * S, 6)).levels, [70, null, 50, null, null, null]);
    // A window starting inside a minute still reads that minute's row; its earlier GOPs are left out.
    assert.deepEqual((await both(cam, M + 2 * S, M + 62 * S, 2)).levels, [70, 50]);
    assert.deepEqual((await both(cam, M + 180 * S, M + 240 * S, 10)).levels, new Array(10).fill(null));
  });

  test('whole minutes inside one bucket come back as that bucket’s max_level; the answer equals unpacking every minute', async () => {
    const base = M + 3600 * S;
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 90; i++) {
      const m = base + i * 60 * S;
      if (i % 17 === 5) continue; // minutes without scored GOPs
      const gops = Array.from({ length: 40 }, (_, k) => ({ startUs: m + k * 1.5 * S + Math.floor(rnd() * 1000), level: Math.floor(rnd() * 101) }));
      await store.upsertActivity(snapshot(cam, m, gops));
    }
    const week = await both(cam, base - 3600 * S, base + 7 * 86_400 * S, 1000);
    assert.ok(week.scan.buckets.length > 0 && week.scan.minutes.length < 90, `${week.scan.buckets.length} buckets, ${week.scan.minutes.length} packed minutes`);
    assert.deepEqual(week.levels, week.unpacked);
    for (const [from, to, n] of [[base + 30 * S, base + 80 * 60 * S + 7 * S, 7], [base, base + 90 * 60 * S, 1], [base + 1, base + 45 * 60 * S, 13], [base - 5 * S, base + 3 * 60 * S, 5000]]) {
      const r = await both(cam, from, to, n);
      assert.deepEqual(r.levels, r.unpacked, `[${from - base}, ${to - base}) in ${n}`);
      assert.ok(r.levels.some((l) => l !== null));
    }
  });

  test('retention: minutes that end at or before a camera’s oldest segment go; a camera without segments keeps the last hour', async () => {
    await ds.query(`DELETE FROM motion_activity`);
    const minutes = [0, 1, 2, 3].map((i) => M + i * 60 * S);
    for (const m of minutes) {
      await store.upsertActivity(snapshot(cam, m, [{ startUs: m + 5 * S, level: 40 }]));
      await store.upsertActivity(snapshot(other, m, [{ startUs: m + 5 * S, level: 40 }]));
    }
    // cam's oldest footage starts 30 s into the third minute: the first two minutes go, the third stays.
    await ds.query(
      `INSERT INTO segments (camera_id, start_us, end_us, path, bytes, video_frames, audio_frames, keyframes, state)
       VALUES ($1, $2, $3, 'a.mp4', 1, 1, 0, 1, 'closed')`,
      [cam, M + 150 * S, M + 210 * S],
    );
    // `other` has no segments: what ends before the orphan cutoff goes.
    const deleted = await retention.deleteActivityBeforeFootage(M + 60 * S);
    assert.deepEqual([...(await stored(cam)).keys()], [M + 120 * S, M + 180 * S]);
    assert.deepEqual([...(await stored(other)).keys()], [M + 60 * S, M + 120 * S, M + 180 * S]);
    assert.equal(deleted, 3);
    assert.equal(await retention.deleteActivityBeforeFootage(M + 60 * S), 0, 'a second sweep finds nothing');
  });

  test('deleting a camera deletes its activity', async () => {
    await ds.query(`DELETE FROM segments WHERE camera_id = $1`, [other]);
    await ds.query(`DELETE FROM cameras WHERE id = $1`, [other]);
    const rows: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM motion_activity WHERE camera_id = $1`, [other]);
    assert.equal(rows[0].n, 0);
  });
});
