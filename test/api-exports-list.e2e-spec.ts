// GET /exports: the exports page's list — newest first, one camera or all, paged by cursor (rows created
// in the same millisecond keep their order: the cursor holds microseconds).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { addCamera, startTestApi, type TestApi } from './support/api';

let api: TestApi;
const T0 = Date.UTC(2031, 2, 1) * 1000;
type Item = { id: string; camera: number; state: string; progress: number; fileUrl: string | null };
type PageBody = { items: Item[]; nextCursor: string | null };

before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api?.close();
});

test('exports newest first, filtered by camera, paged without losing or repeating one', async () => {
  const a = await addCamera(api.ds, 1);
  const b = await addCamera(api.ds, 2);
  // Seven exports; two share a millisecond (µs apart), one is completed.
  const created = ['2031-03-01 10:00:00.000001', '2031-03-01 10:00:00.000002', '2031-03-01 09:00:00', '2031-03-01 11:00:00', '2031-03-01 08:00:00', '2031-03-01 12:00:00', '2031-03-01 07:00:00'];
  const ids: string[] = [];
  for (const [i, at] of created.entries()) {
    const [{ id }] = await api.ds.query(
      `INSERT INTO exports (camera_id, from_us, to_us, state, progress, created_at) VALUES ($1, $2, $3, $4, $5, $6::timestamptz) RETURNING id`,
      [i % 2 === 0 ? a.id : b.id, T0, T0 + 30e6, i === 3 ? 'completed' : 'active', i === 3 ? 100 : 40, `${at}+00`],
    );
    ids.push(id as string);
  }
  const newestFirst = created.map((at, i) => [at, ids[i]] as const).sort((x, y) => (x[0] < y[0] ? 1 : -1)).map(([, id]) => id);

  const all = await api.json<PageBody>('GET', '/exports');
  assert.equal(all.status, 200);
  assert.deepEqual(all.body.items.map((x) => x.id), newestFirst);
  assert.equal(all.body.nextCursor, null);
  const done = all.body.items.find((x) => x.id === ids[3])!;
  assert.deepEqual([done.state, done.progress, done.fileUrl], ['completed', 100, `/exports/${ids[3]}/file`]);

  const paged: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: PageBody } = await api.json<PageBody>('GET', `/exports?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200);
    assert.ok(page.body.items.length <= 2);
    paged.push(...page.body.items.map((x) => x.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  assert.deepEqual(paged, newestFirst, 'pages of two give every export once, in order');

  const onlyB = await api.json<PageBody>('GET', `/exports?camera=${b.id}`);
  assert.deepEqual(onlyB.body.items.map((x) => x.id), newestFirst.filter((id) => ids.indexOf(id) % 2 === 1));

  const foreign = await api.json<{ code: string }>('GET', `/exports?cursor=${Buffer.from(JSON.stringify(['cameras', 1])).toString('base64url')}`);
  assert.deepEqual([foreign.status, foreign.body.code], [400, 'validation-failed'], 'a cursor of another list is refused');
});
