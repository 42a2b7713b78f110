// A segment file the media reader rejects (here: a second moov after the first fragment, under which the
// fragments would name a track the file does not have) is a typed MediaParseError at read time, and the API
// answers 422 segment-damaged for range playback and frame.jpg and fails the export at once: never a 500 or a stack.
// Real HTTP and PostgreSQL, in-process jobs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { MediaParseError, readFragmentedMp4 } from '@wyze-nvr/media';
import { formatIsoUs } from '../apps/api/src/common/time';
import { addCamera, startTestApi, type TestApi } from './support/api';
import { writeSegment } from './support/api-recordings';
import { eventually } from './support/recorder-harness';

const T0 = 1_760_000_000_000_000;
let api: TestApi;
let cam: number;
let segmentId: number;
let segmentFile: string;

/** The file with its moov copied after the first fragment, the copy's first tkhd saying track 7. */
function withSecondMoov(file: Buffer): Buffer {
  const moovAt = file.indexOf('moov') - 4;
  const moov = Buffer.from(file.subarray(moovAt, moovAt + file.readUInt32BE(moovAt)));
  const tkhd = moov.indexOf('tkhd');
  moov.writeUInt32BE(7, tkhd + 4 + 4 + 8); // version 0: version/flags, creation_time, modification_time, track_ID
  const firstFragmentEnd = readFragmentedMp4(file).fragments[0].end;
  return Buffer.concat([file.subarray(0, firstFragmentEnd), moov, file.subarray(firstFragmentEnd)]);
}

before(async () => {
  api = await startTestApi();
  cam = (await addCamera(api.ds, 1)).id;
  const seg = await writeSegment(api.ds, api.recordingsDir, cam, { startUs: T0, frames: 120 });
  writeFileSync(seg.abs, withSecondMoov(readFileSync(seg.abs)));
  segmentId = seg.row.id;
  segmentFile = seg.abs;
});
after(async () => api?.close());

const range = `from=${formatIsoUs(T0 + 1_000_000)}&to=${formatIsoUs(T0 + 4_000_000)}`;

describe('a damaged segment', () => {
  test('the media reader rejects the file with a MediaParseError', () => {
    const bytes = readFileSync(segmentFile);
    assert.throws(() => readFragmentedMp4(bytes), (e: unknown) => e instanceof MediaParseError && e.code === 'invalid');
  });

  test('range playback over it is 422 segment-damaged naming the segment, not a 500', async () => {
    const res = await api.request('GET', `/cameras/${cam}/video.mp4?${range}`);
    assert.equal(res.status, 422);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const body = (await res.json()) as { code: string; message: string; segment: number };
    assert.equal(body.code, 'segment-damaged');
    assert.equal(body.segment, segmentId);
    assert.match(body.message, new RegExp(`segment ${segmentId} is damaged`));
    assert.doesNotMatch(body.message, /TypeError|\n\s+at |recordings\//);
  });

  test('an export of it fails, with the reason as its error', async () => {
    const created = await api.json<{ id: string }>('POST', '/exports', { camera: cam, from: formatIsoUs(T0 + 1_000_000), to: formatIsoUs(T0 + 4_000_000) });
    assert.equal(created.status, 202);
    const done = await eventually(
      async () => {
        const r = await api.json<{ state: string; error: string | null }>('GET', `/exports/${created.body.id}`);
        return r.body.state === 'failed' ? r.body : undefined;
      },
      20_000,
      'the export to fail',
    );
    assert.match(done.error ?? '', new RegExp(`segment ${segmentId} is damaged`));
  });

  test('a frame.jpg from it is 422 segment-damaged, not a 500', async () => {
    const res = await api.request('GET', `/cameras/${cam}/frame.jpg?at=${formatIsoUs(T0 + 1_000_000)}`);
    assert.equal(res.status, 422);
    const body = (await res.json()) as { code: string; segment: number };
    assert.deepEqual([body.code, body.segment], ['segment-damaged', segmentId]);
  });
});
