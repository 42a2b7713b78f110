import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SegmentEntity } from '@wyze-nvr/db';
import type { FragmentedMp4, Mp4Sample, Mp4Track } from '@wyze-nvr/media';
import { DomainError } from '../common/domain.error';
import type { IndexedFile } from '../repositories/media-file.repository';
import type { PictureDecoderRepository } from '../repositories/picture-decoder.repository';
import type { RecordingRepository } from '../repositories/recording.repository';
import type { RecordingsService } from '../recordings/recordings.service';
import { FramesService } from './frames.service';

const S = 1_000_000;
const START = 1_760_000_000 * S;
const video: Mp4Track = {
  trackId: 1, handlerType: 'vide', kind: 'video', timescale: 1000, sampleEntryType: 'avc1', sampleEntry: new Uint8Array(8),
  defaultSampleDuration: 0, defaultSampleSize: 0, defaultSampleFlags: 0,
};

/** A segment of 4 s at 10 fps with keyframes at 1 s and 3 s (a first second without one). */
function index(): FragmentedMp4 {
  const samples: Mp4Sample[] = Array.from({ length: 40 }, (_, i) => ({
    trackId: 1, decodeTime: i * 100, compositionOffset: 0, duration: 100, size: 10, offset: 1000 + i * 10, flags: 0, keyframe: i === 10 || i === 30,
  }));
  return { tracks: [video], init: new Uint8Array(16), fragments: [{ sequenceNumber: 1, offset: 100, end: 1400, samples }], completeLength: 1400, truncated: false };
}

function setup(state: SegmentEntity['state'] = 'closed') {
  const decodes: (number | undefined)[] = [];
  let release: (() => void) | undefined;
  const gate = { hold: false };
  const segment = { id: 7, cameraId: 1, startUs: START, endUs: START + 4 * S, state } as SegmentEntity;
  const recordingsService = {
    requireCamera: async (id: number) => {
      if (id !== 1) throw new DomainError('camera-not-found', 'no');
      return {};
    },
    openSegment: async (): Promise<IndexedFile> => ({ index: index(), size: 1400, read: async (_o: number, l: number) => Buffer.alloc(l), close: async () => undefined }),
  } as unknown as RecordingsService;
  const recordings = { overlapping: async (_c: number, from: number) => (from >= segment.startUs && from < segment.endUs ? [segment] : []) } as unknown as RecordingRepository;
  const decoder = {
    jpeg: async (_mp4: Uint8Array[], width?: number) => {
      decodes.push(width);
      if (gate.hold) await new Promise<void>((r) => (release = r));
      return Buffer.from(`jpeg ${width}`);
    },
  } as unknown as PictureDecoderRepository;
  return { service: new FramesService(recordingsService, recordings, decoder), decodes, gate, release: () => release?.() };
}

describe('FramesService', () => {
  it('answers the keyframe at or before `at`, decoded once per (camera, keyframe, width)', async () => {
    const { service, decodes } = setup();
    const a = await service.frame(1, START + 1.5 * S, 160);
    const b = await service.frame(1, START + 2.9 * S, 160);
    assert.deepEqual([a.keyframeUs, b.keyframeUs], [START + S, START + S]);
    assert.equal(a.etag, b.etag);
    assert.deepEqual(b.jpeg, Buffer.from('jpeg 160'));
    assert.deepEqual(decodes, [160], 'the second answer came from the cache');
    const c = await service.frame(1, START + 3 * S, 160);
    const d = await service.frame(1, START + 3 * S, 320);
    assert.deepEqual([c.keyframeUs, decodes], [START + 3 * S, [160, 160, 320]]);
    assert.notEqual(c.etag, d.etag);
  });

  it('decodes once for concurrent requests of the same picture', async () => {
    const { service, decodes, gate, release } = setup();
    gate.hold = true;
    const both = Promise.all([service.frame(1, START + 1.2 * S, undefined), service.frame(1, START + 1.7 * S, undefined)]);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    release();
    const [x, y] = await both;
    assert.deepEqual([decodes.length, x.jpeg, y.jpeg], [1, Buffer.from('jpeg undefined'), Buffer.from('jpeg undefined')]);
  });

  it('a current If-None-Match is answered without decoding', async () => {
    const { service, decodes } = setup();
    const first = await service.frame(1, START + 1.5 * S, 160);
    const { service: fresh, decodes: freshDecodes } = setup();
    const again = await fresh.frame(1, START + 1.5 * S, 160, `W/"x", ${first.etag}`);
    assert.equal(again.jpeg, undefined);
    assert.deepEqual([decodes.length, freshDecodes.length], [1, 0]);
  });

  it('no keyframe at or before `at` in its segment, or no segment at `at`: 404 no-footage', async () => {
    const { service } = setup();
    for (const at of [START + 0.5 * S, START + 4 * S, START - 1]) {
      await assert.rejects(service.frame(1, at, undefined), (e: unknown) => e instanceof DomainError && e.code === 'no-footage' && e.status === 404);
    }
    await assert.rejects(service.frame(2, START + S, undefined), (e: unknown) => e instanceof DomainError && e.code === 'camera-not-found');
  });

  it('a closed segment’s picture is immutable; the open segment’s is revalidated', async () => {
    assert.match((await setup('closed').service.frame(1, START + S, undefined)).cacheControl, /immutable/);
    assert.match((await setup('open').service.frame(1, START + S, undefined)).cacheControl, /no-cache/);
  });
});
