// The recorder following the cameras table in a real PostgreSQL: the migration's trigger NOTIFYs
// cameras_changed, the recorder LISTENs (its poll is set to an hour here, so only the notification can
// explain a change taking effect), and disabling, enabling, editing and deleting a camera start and stop its
// session, with a `disabled` gap from the moment it stopped until its first footage after enabling.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, loadRecorderSettings, SecretBox } from '@wyze-nvr/config';
import { createLogger } from '@wyze-nvr/log';
import type { CameraSession, ConnectOptions } from '@wyze-nvr/tutk';
import { eventually } from '../../../../test/support/eventually';
import { migratedDatabase, type MigratedDatabase } from '../../../../test/support/recorder-harness';
import { PgRecorderStore } from '../index/recorder-store';
import { Recorder } from '../recorder';
import { FakeCameraSession, fixtureVideo, videoFrame } from '../testing/fake-camera-session';
import { PgCameraChangeFeed } from './pg-camera-feed';

const SECRET = new Uint8Array(32).fill(9);
const logger = createLogger({ name: 'camera-sync-int', level: 'silent' });

interface GapRow {
  start_us: number;
  end_us: number | null;
  reason: string;
}

describe('camera sync on PostgreSQL', () => {
  let database: MigratedDatabase;
  let dir: string;
  before(async () => {
    database = await migratedDatabase('wyze_nvr_camsync');
    dir = await mkdtemp(join(tmpdir(), 'camsync-'));
  });
  after(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const insertCamera = async (name: string, enabled: boolean): Promise<number> => {
    const rows: { id: number }[] = await database.ds.query(
      `INSERT INTO cameras (name, uid, enr_encrypted, mac, ip, port, model, enabled) VALUES ($1, $2, $3, $4, '127.0.0.1', 32761, 'WYZE_CAKP2JFUS', $5) RETURNING id`,
      [name, `UID${name}`.padEnd(20, 'X').slice(0, 20), new SecretBox(SECRET).encrypt('Qm9ndXNFbnJLZXkh'), `AABBCC0000${name.length}${enabled ? 1 : 0}`, enabled],
    );
    return rows[0].id;
  };

  test('setCameraEnabled (MQTT recording/set) changes the row and says whether the camera exists', async () => {
    const store = new PgRecorderStore(database.ds);
    const id = await insertCamera('switch', true);
    assert.equal(await store.setCameraEnabled(id, false), true);
    const [row]: { enabled: boolean }[] = await database.ds.query(`SELECT enabled FROM cameras WHERE id = $1`, [id]);
    assert.equal(row.enabled, false);
    assert.equal(await store.setCameraEnabled(id + 1000, false), false);
    await database.ds.query(`DELETE FROM cameras WHERE id = $1`, [id]);
  });

  test('the trigger notifies cameras_changed on insert, update and delete', async () => {
    const feed = new PgCameraChangeFeed(database.db.url, logger);
    let changes = 0;
    const sub = await feed.listen(() => changes++);
    try {
      const id = await insertCamera('trig', false);
      await eventually(() => changes === 1, 5000, 'a notification for the insert');
      await database.ds.query(`UPDATE cameras SET name = 'trig2' WHERE id = $1`, [id]);
      await eventually(() => changes === 2, 5000, 'a notification for the update');
      await database.ds.query(`DELETE FROM cameras WHERE id = $1`, [id]);
      await eventually(() => changes === 3, 5000, 'a notification for the delete');
    } finally {
      await sub.close();
    }
  });

  test('disable stops the session and opens a disabled gap; enable resumes and the first footage closes it; an edit restarts; delete stops', async () => {
    const id = await insertCamera('garage', true);
    const sessions: FakeCameraSession[] = [];
    const connects: ConnectOptions[] = [];
    const config = loadConfig({ DATABASE_URL: database.db.url, DATA_DIR: dir, SEGMENT_SECONDS: '1' });
    const recorder = new Recorder({
      config,
      secretKey: SECRET,
      dataSource: database.ds,
      logger,
      settings: loadRecorderSettings({ RECORDER_MOTION: 'off', RECORDER_CAMERA_CLOCK_SYNC_SECONDS: '0' }),
      store: new PgRecorderStore(database.ds),
      cameraPollMs: 3_600_000,
      connect: async (o): Promise<CameraSession> => {
        connects.push(o);
        const s = new FakeCameraSession();
        sessions.push(s);
        return s.asSession();
      },
    });
    const video = fixtureVideo();
    const feed = (s: FakeCameraSession, n: number) => {
      const t0 = Date.now() * 1000;
      for (let i = 0; i < n; i++) s.deliver(videoFrame(video[i % video.length].data, t0 + i * 66_667));
    };
    const gaps = (): Promise<GapRow[]> => database.ds.query(`SELECT start_us, end_us, reason FROM gaps WHERE camera_id = $1 ORDER BY start_us`, [id]);
    try {
      await recorder.start();
      assert.deepEqual(recorder.runningCameraIds, [id]);
      await eventually(() => sessions.length === 1, 5000, 'the first session');
      feed(sessions[0], 60);
      await eventually(async () => ((await database.ds.query(`SELECT count(*)::int AS n FROM segments WHERE camera_id = $1`, [id])) as { n: number }[])[0].n > 0, 10_000, 'footage');

      const beforeDisable = Date.now() * 1000;
      await database.ds.query(`UPDATE cameras SET enabled = false WHERE id = $1`, [id]);
      await eventually(() => recorder.runningCameraIds.length === 0, 5000, 'the camera to stop on the notification');
      assert.ok(sessions[0].closed, 'its session was closed');
      const [disabled] = await eventually(async () => {
        const g = await gaps();
        return g.length === 1 && g;
      }, 5000, 'the disabled gap');
      assert.equal(disabled.reason, 'disabled');
      assert.equal(disabled.end_us, null, 'open while the camera is disabled');
      assert.ok(disabled.start_us <= Date.now() * 1000 && disabled.start_us >= beforeDisable - 10_000_000, 'it starts where footage stopped');
      const status: { state: string }[] = await database.ds.query(`SELECT state FROM camera_status WHERE camera_id = $1`, [id]);
      assert.equal(status[0].state, 'disabled');

      await database.ds.query(`UPDATE cameras SET enabled = true WHERE id = $1`, [id]);
      await eventually(() => sessions.length === 2, 5000, 'a new session on enable');
      assert.equal((await gaps())[0].end_us, null, 'still open until footage comes');
      feed(sessions[1], 30);
      const [closed] = await eventually(async () => {
        const g = await gaps();
        return g[0].end_us !== null && g;
      }, 10_000, 'the gap to close at the first footage');
      assert.equal(closed.reason, 'disabled');
      assert.ok(closed.end_us! > closed.start_us);

      await database.ds.query(`UPDATE cameras SET ip = '127.0.0.2' WHERE id = $1`, [id]);
      await eventually(() => sessions.length === 3, 5000, 'a restart with the new address');
      assert.equal(connects[2].host, '127.0.0.2');
      assert.ok(sessions[1].closed);

      await database.ds.query(`DELETE FROM gaps WHERE camera_id = $1`, [id]);
      await database.ds.query(`DELETE FROM segments WHERE camera_id = $1`, [id]);
      await database.ds.query(`DELETE FROM camera_status WHERE camera_id = $1`, [id]);
      await database.ds.query(`DELETE FROM cameras WHERE id = $1`, [id]);
      await eventually(() => recorder.runningCameraIds.length === 0, 5000, 'the deleted camera to stop');
      assert.ok(sessions[2].closed);
    } finally {
      await recorder.stop();
    }
  });
});
