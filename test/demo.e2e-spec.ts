// `wyze-nvr demo`, the README's run command: an emulated camera, the recorder and the API in one process
// on the embedded defaults. It must record footage that the API lists and plays back, print a command to
// try that works, and keep Nest's route wiring out of its info-level output.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliProcess, freePort } from './support/cli';
import { eventually } from './support/eventually';

const dataDir = mkdtempSync(join(tmpdir(), 'wyze-demo-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('demo records the emulated camera and serves its footage over the API', { timeout: 120_000 }, async () => {
  const port = await freePort();
  const demo = new CliProcess(['demo'], { DATA_DIR: dataDir, API_PORT: String(port), SEGMENT_SECONDS: '2' });
  try {
    const [, url] = await demo.waitFor(/API:\s+(http:\/\/\S+)/, 60_000);
    const [, cameraId] = await demo.waitFor(/camera:\s+#(\d+)/);
    const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
    const get = (path: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });

    assert.equal((await fetch(`${url}/health`)).status, 200);
    assert.equal((await fetch(`${url}/cameras`)).status, 401, 'routes other than health need the token');

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const closed = await eventually(async () => {
      const to = new Date(Date.now() + 60_000).toISOString();
      const body = (await (await get(`/cameras/${cameraId}/recordings?from=${from}&to=${to}`)).json()) as { items: { state: string; from: string; to: string }[] };
      const items = body.items.filter((s) => s.state === 'closed');
      return items.length >= 2 && items;
    }, 60_000, 'two closed segments').catch((e: Error) => assert.fail(`${e.message}\n${demo.output.slice(-2000)}`));

    const cams = (await (await get('/cameras')).json()) as { items: { id: number; status: { state: string } }[] };
    assert.equal(cams.items.find((c) => c.id === Number(cameraId))?.status.state, 'recording');
    assert.ok(!JSON.stringify(cams).includes(JSON.parse(readFileSync(join(dataDir, 'demo-camera.json'), 'utf8')).enr), 'the API never returns the ENR');

    const res = await get(`/cameras/${cameraId}/video.mp4?from=${closed[0].from}&to=${closed[1].to}`);
    assert.equal(res.status, 200, await res.clone().text());
    const mp4 = join(dataDir, 'range.mp4');
    writeFileSync(mp4, Buffer.from(await res.arrayBuffer()));
    const check = spawnSync('ffmpeg', ['-v', 'error', '-i', mp4, '-f', 'null', '-'], { encoding: 'utf8' });
    assert.equal(check.status, 0);
    assert.equal(check.stderr, '', 'ffmpeg reads the range playback without an error');

    // The banner's suggestion works when pasted into a shell.
    const [, suggested] = await demo.waitFor(/try:\s+(curl .+)/);
    const tried = spawnSync('sh', ['-c', `${suggested} -s -o /dev/null -w '%{http_code}'`], { encoding: 'utf8' });
    assert.equal(tried.stdout, '200', `${suggested}\n${tried.stderr}`);

    // Nest's module and route wiring is debug; at the default level it does not bury the banner.
    const wiring = demo.stdout.split('\n').filter((l) => /"context":"(RoutesResolver|RouterExplorer|InstanceLoader)"/.test(l));
    assert.deepEqual(wiring, [], 'no route-mapping lines at info');
  } finally {
    assert.equal(await demo.stop('SIGTERM'), 0, 'demo exits cleanly on SIGTERM');
  }
});
