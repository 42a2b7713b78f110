// Several recorders with local disks: the API, whose RECORDINGS_DIR does not hold a node's files, serves
// that node's segments through the node's internal server — the segment file whole and by Range, and a
// video.mp4 range built from them that decodes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeErrors, emulatedCamera, eventually, recorderTestEnv, SECRET_KEY_HEX, type EmulatedCamera, type RecorderTestEnv } from './support/recorder-harness';
import { startNode, type RecorderNode } from './support/recorder-cluster';
import { startTestApi, type TestApi } from './support/api';

interface Row {
  id: number;
  path: string;
  start_us: number;
  end_us: number;
  node_id: string;
}

describe('cluster: segment files from another node', { timeout: 120_000 }, () => {
  let env: RecorderTestEnv;
  let cam: EmulatedCamera;
  let node: RecorderNode | undefined;
  let api: TestApi;
  before(async () => {
    env = await recorderTestEnv();
    cam = await emulatedCamera(env, { video: 'h264', audio: 'aac' }, { durationUs: 600_000_000 });
    api = await startTestApi({ secretKey: Buffer.from(SECRET_KEY_HEX, 'hex'), existing: { db: env.db, dataDir: join(env.dir, 'api'), recordingsDir: join(env.dir, 'api', 'recordings') } });
  });
  after(async () => {
    await node?.proc.stop('SIGKILL');
    cam?.close();
    await env?.ds.destroy();
    await api?.close(); // drops the database
  });

  it('serves the file, a byte range of it, and a video.mp4 over two segments, all from node-a’s disk', async () => {
    node = await startNode(env, 'node-a', { SEGMENT_SECONDS: '2', RECORDER_MOTION: 'off' });
    const rows = await eventually(async () => {
      const rs: Row[] = await env.ds.query(`SELECT id, path, start_us, end_us, node_id FROM segments WHERE state = 'closed' ORDER BY start_us`);
      return rs.length >= 2 && rs;
    }, 40_000, 'two closed segments');
    assert.ok(rows.every((r) => r.node_id === 'node-a' && r.path.startsWith(node!.recordings)), 'written by node-a under its own root');
    const onDisk = readFileSync(rows[0].path);

    const whole = await api.request('GET', `/segments/${rows[0].id}/file`);
    assert.equal(whole.status, 200);
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), onDisk);
    const part = await api.request('GET', `/segments/${rows[0].id}/file`, { headers: { range: 'bytes=100-1099' } });
    assert.equal(part.status, 206);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), onDisk.subarray(100, 1100));

    const iso = (us: number) => new Date(us / 1000).toISOString();
    const video = await api.request('GET', `/cameras/${cam.id}/video.mp4?from=${iso(rows[0].start_us)}&to=${iso(rows[1].end_us)}`);
    assert.equal(video.status, 200, await video.clone().text());
    const out = join(env.dir, 'range.mp4');
    writeFileSync(out, Buffer.from(await video.arrayBuffer()));
    assert.equal(decodeErrors(out), '');

    assert.equal(await node.proc.stop('SIGTERM'), 0);
    node = undefined;
    const gone = await api.json<{ code: string }>('GET', `/segments/${rows[0].id}/file`);
    assert.equal(gone.status, 502, JSON.stringify(gone.body));
    assert.equal(gone.body.code, 'recorder-unavailable');
  });
});
