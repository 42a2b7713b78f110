// Motion events through the recorder's IndexQueue into a real PostgreSQL with the real migrations: the
// provisional row, its end moving the start earlier, replays after failures, and events a crash left open.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@wyze-nvr/log';
import type { DataSource } from 'typeorm';
import { migratedDatabase, type EventRow, type MigratedDatabase } from '../../../../test/support/recorder-harness';
import { IndexQueue } from '../index/index-queue';
import { PgRecorderStore, type EventRecord, type RecorderStore } from '../index/recorder-store';

const S = 1_000_000;
const T0 = 1_760_000_000 * S;
const logger = createLogger({ name: 'motion-int', level: 'silent' });

describe('motion events in PostgreSQL', () => {
  let database: MigratedDatabase;
  let ds: DataSource;
  let store: PgRecorderStore;
  let cameraId: number;

  before(async () => {
    database = await migratedDatabase('wyze_nvr_motion');
    ds = database.ds;
    store = new PgRecorderStore(ds);
    const rows: { id: number }[] = await ds.query(`INSERT INTO cameras (name, uid, enr_encrypted, mac, model) VALUES ('c', 'UIDXXXXXXXXXXXXXXXXX', 'v1:x', 'AABBCC000001', 'HL_CAM4') RETURNING id`);
    cameraId = rows[0].id;
  });
  after(async () => {
    await database?.close();
  });

  const rows = (): Promise<EventRow[]> => ds.query(`SELECT id, start_us, end_us, peak_score, pre_roll_us, post_roll_us, protected FROM events WHERE camera_id = $1 ORDER BY start_us`, [cameraId]);
  const event = (o: Partial<EventRecord>): EventRecord => ({ cameraId, openedStartUs: T0, startUs: T0, endUs: null, peakScore: 0, preRollUs: 5 * S, postRollUs: 5 * S, ...o });

  test('a start writes a row with no end; its end moves the start earlier on the same row; protection set meanwhile stays', async () => {
    const q = new IndexQueue(store, logger);
    q.event(event({ openedStartUs: T0 + 10 * S, startUs: T0 + 10 * S }));
    assert.ok(await q.drain(5000));
    const [open] = await rows();
    assert.equal(open.end_us, null);
    assert.equal(open.start_us, T0 + 10 * S);
    await ds.query(`UPDATE events SET protected = true WHERE id = $1`, [open.id]);

    q.event(event({ openedStartUs: T0 + 10 * S, startUs: T0 + 8 * S, endUs: T0 + 15 * S, peakScore: 2.5 }));
    assert.ok(await q.drain(5000));
    assert.deepEqual(await rows(), [{ id: open.id, start_us: T0 + 8 * S, end_us: T0 + 15 * S, peak_score: 2.5, pre_roll_us: 5 * S, post_roll_us: 5 * S, protected: true }]);

    // The same end written again (a retry after a lost acknowledgement): still one row.
    await store.upsertEvent(event({ openedStartUs: T0 + 10 * S, startUs: T0 + 8 * S, endUs: T0 + 15 * S, peakScore: 2.5 }));
    assert.equal((await rows()).length, 1);
    q.stop();
    await ds.query(`DELETE FROM events`);
  });

  test('while the database refuses, starts and ends wait in the queue and land as one row each afterwards', async () => {
    let down = true;
    let attempts = 0;
    const flaky: RecorderStore = Object.assign(Object.create(store) as RecorderStore, {
      upsertEvent: async (e: EventRecord) => {
        attempts++;
        if (down) throw new Error('connection refused');
        return store.upsertEvent(e);
      },
    });
    const q = new IndexQueue(flaky, logger, 20);
    q.event(event({ openedStartUs: T0 + 30 * S, startUs: T0 + 30 * S }));
    q.event(event({ openedStartUs: T0 + 30 * S, startUs: T0 + 29 * S, endUs: T0 + 33 * S, peakScore: 1.5 }));
    q.event(event({ openedStartUs: T0 + 50 * S, startUs: T0 + 50 * S }));
    assert.equal(q.pending, 2, 'a start and its end are one pending write');
    assert.equal(await q.drain(300), false);
    assert.ok(attempts >= 2 && q.failures >= 2);
    down = false;
    assert.ok(await q.drain(5000));
    const r = await rows();
    assert.deepEqual(r.map((x) => [x.start_us, x.end_us]), [[T0 + 29 * S, T0 + 33 * S], [T0 + 50 * S, null]]);
    q.stop();
  });

  test('events left open by a previous run end at the last indexed footage (or their start without footage)', async () => {
    await ds.query(
      `INSERT INTO segments (camera_id, start_us, end_us, path, bytes, state) VALUES ($1, $2, $3, 'a.mp4', 1, 'closed'), ($1, $3, $4, 'b.mp4', 1, 'missing')`,
      [cameraId, T0 + 40 * S, T0 + 70 * S, T0 + 90 * S],
    );
    await store.closeOpenEvents(cameraId);
    assert.deepEqual((await rows()).map((x) => [x.start_us, x.end_us]), [[T0 + 29 * S, T0 + 33 * S], [T0 + 50 * S, T0 + 70 * S]]);
    await ds.query(`DELETE FROM segments`);
    await store.upsertEvent(event({ openedStartUs: T0 + 100 * S, startUs: T0 + 100 * S }));
    await store.closeOpenEvents(cameraId);
    assert.deepEqual((await rows()).at(-1)!.end_us, T0 + 100 * S);
  });
});
