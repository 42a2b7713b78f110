import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@wyze-nvr/log';
import type { StoredCamera } from '../index/recorder-store';
import { FakeClock, settle } from '../testing/fake-clock';
import { CameraSync, camerasToRun, type CameraStopReason } from './camera-sync';

const row = (id: number, over: Partial<StoredCamera> = {}): StoredCamera => ({
  id,
  name: `cam ${id}`,
  uid: `UID${id}`.padEnd(20, '0'),
  enrEncrypted: `sealed-${id}`,
  mac: `00000000000${id}`,
  ip: '127.0.0.1',
  port: 32760 + id,
  model: 'WYZE_CAKP2JFUS',
  quality: 'hd',
  enabled: true,
  ...over,
});

/** A cameras table, a target that records what it was told, a feed the test fires, on a fake clock. */
function setup(rows: StoredCamera[], o: { refuse?: number[]; pollMs?: number } = {}) {
  const table = { rows, down: false, reads: 0 };
  const calls: string[] = [];
  const seen: number[][] = [];
  let fire: (() => void) | undefined;
  let feedClosed = false;
  const clock = new FakeClock();
  const sync = new CameraSync({
    cameras: async () => {
      table.reads++;
      if (table.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      return table.rows.map((r) => ({ ...r }));
    },
    target: {
      start: async (c) => {
        calls.push(`start ${c.id}`);
        return !(o.refuse ?? []).includes(c.id);
      },
      stop: async (id: number, reason: CameraStopReason) => void calls.push(`stop ${id} ${reason}`),
      seen: (r) => void seen.push(r.map((x) => x.id)),
    },
    clock,
    logger: createLogger({ level: 'silent' }),
    feed: {
      listen: async (onChange) => {
        fire = onChange;
        return { close: async () => void (feedClosed = true) };
      },
    },
    pollMs: o.pollMs ?? 30_000,
  });
  return { table, calls, seen, clock, sync, notify: () => fire!(), feedClosed: () => feedClosed };
}

describe('camerasToRun', () => {
  it('runs the enabled cameras only', () => {
    assert.deepEqual(camerasToRun([row(1), row(2, { enabled: false }), row(3)]).map((c) => c.id), [1, 3]);
  });
});

describe('CameraSync', () => {
  it('starts the enabled cameras at start, and tells the target every row (enabled or not)', async () => {
    const { sync, calls, seen } = setup([row(1), row(2, { enabled: false })]);
    await sync.start();
    assert.deepEqual(calls, ['start 1']);
    assert.deepEqual(seen, [[1, 2]]);
    assert.deepEqual(sync.runningIds, [1]);
  });

  it('a notification stops a disabled camera, starts an enabled one, and stops a deleted one', async () => {
    const { sync, calls, table, notify } = setup([row(1), row(2, { enabled: false }), row(3)]);
    await sync.start();
    table.rows = [row(1, { enabled: false }), row(2)];
    notify();
    await sync.sync();
    assert.deepEqual(calls, ['start 1', 'start 3', 'stop 1 disabled', 'stop 3 deleted', 'start 2']);
    assert.deepEqual(sync.runningIds, [2]);
  });

  it('restarts a camera whose address or key changed, and leaves one alone whose row is unchanged', async () => {
    const { sync, calls, table } = setup([row(1), row(2)]);
    await sync.start();
    table.rows = [row(1, { ip: '10.0.0.9' }), row(2)];
    await sync.sync();
    table.rows = [row(1, { ip: '10.0.0.9' }), row(2, { enrEncrypted: 'resealed' })];
    await sync.sync();
    assert.deepEqual(calls, ['start 1', 'start 2', 'stop 1 changed', 'start 1', 'stop 2 changed', 'start 2']);
  });

  it('without any notification, the poll heals a missed change within pollMs', async () => {
    const { sync, calls, table, clock } = setup([row(1)], { pollMs: 30_000 });
    await sync.start();
    table.rows = [row(1, { enabled: false })];
    await clock.advance(29_000);
    assert.deepEqual(calls, ['start 1'], 'nothing before the poll');
    await clock.advance(1_000);
    assert.deepEqual(calls, ['start 1', 'stop 1 disabled']);
  });

  it('a database outage during a sync changes nothing; the next poll applies what changed meanwhile', async () => {
    const { sync, calls, table, clock } = setup([row(1)]);
    await sync.start();
    table.down = true;
    await clock.advance(30_000);
    assert.deepEqual(calls, ['start 1'], 'no camera stopped because the table could not be read');
    table.down = false;
    table.rows = [row(1), row(2)];
    await clock.advance(30_000);
    assert.deepEqual(calls, ['start 1', 'start 2']);
  });

  it('notifications during a sync coalesce into one more sync, never two at once', async () => {
    const { sync, table, notify } = setup([row(1)]);
    await sync.start();
    const before = table.reads;
    notify();
    notify();
    notify();
    await sync.sync();
    await settle();
    assert.equal(table.reads - before, 2, 'the running sync and one after it');
  });

  it('a camera that cannot start is not retried until its row changes', async () => {
    const { sync, calls, table } = setup([row(1)], { refuse: [1] });
    await sync.start();
    await sync.sync();
    await sync.sync();
    assert.deepEqual(calls, ['start 1']);
    table.rows = [row(1, { enrEncrypted: 'imported-again' })];
    await sync.sync();
    assert.deepEqual(calls, ['start 1', 'start 1']);
    assert.deepEqual(sync.runningIds, []);
  });

  it('stop ends the feed and the poll', async () => {
    const { sync, calls, table, clock, feedClosed } = setup([row(1)]);
    await sync.start();
    await sync.stop();
    assert.ok(feedClosed());
    table.rows = [];
    await clock.advance(60_000);
    await sync.sync();
    assert.deepEqual(calls, ['start 1']);
  });
});
