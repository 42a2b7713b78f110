import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { ApiDeps } from '../api.deps';
import type { CameraRepository } from '../repositories/camera.repository';
import type { ClockRepository } from '../repositories/clock.repository';
import type { JobQueueRepository } from '../repositories/job-queue.repository';
import type { MediaFileRepository } from '../repositories/media-file.repository';
import type { JournalRow, RetentionRepository, SegmentCandidate } from '../repositories/retention.repository';
import { ORPHAN_ACTIVITY_US, RetentionService } from './retention.service';

const NOW_US = 1_760_000_000_000_000;

/** A sweep over fakes: `segments` oldest first, a volume whose free space grows by what is deleted. */
function sweepWith(segments: SegmentCandidate[], freeBytes: number, minFreeBytes: number) {
  const left = [...segments];
  const removed: string[] = [];
  const activityCalls: number[] = [];
  const repo = {
    pendingJournal: async () => [],
    policies: async () => [{ id: 1, cameraId: null, maxAgeUs: null, maxBytes: null, minFreeBytes }],
    bytesByCamera: async () => new Map<number, number>(),
    candidates: async (o: { limit: number }) => left.slice(0, o.limit),
    journal: async (ids: number[]): Promise<JournalRow[]> =>
      ids.map((id) => {
        const s = left.splice(left.findIndex((x) => x.id === id), 1)[0];
        return { segmentId: s.id, cameraId: s.cameraId, path: `${s.id}.mp4`, bytes: s.bytes };
      }),
    clearJournal: async () => undefined,
    deleteActivityBeforeFootage: async (orphanBeforeUs: number) => {
      activityCalls.push(orphanBeforeUs);
      return 7;
    },
  } as unknown as RetentionRepository;
  let free = freeBytes;
  const files = {
    segmentPath: (p: string) => p,
    remove: async (p: string) => {
      removed.push(p);
      free += segments.find((s) => `${s.id}.mp4` === p)!.bytes;
      return true;
    },
    volume: async () => ({ totalBytes: 1e9, freeBytes: free }),
  } as unknown as MediaFileRepository;
  const service = new RetentionService(
    { retentionIntervalMs: 0 } as ApiDeps,
    repo,
    {} as CameraRepository,
    files,
    {} as JobQueueRepository,
    { nowUs: () => NOW_US } as ClockRepository,
    {} as SchedulerRegistry,
  );
  return { removed, activityCalls, sweep: () => service.sweep() };
}

test('below the free-space floor only as many of the oldest segments go as cover the shortfall', async () => {
  const segs = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, cameraId: 1 + (i % 2), startUs: i, endUs: i + 1, bytes: 100 }));
  const { removed, sweep } = sweepWith(segs, 1000, 1250);
  const r = await sweep();
  assert.deepEqual(removed, ['1.mp4', '2.mp4', '3.mp4']);
  assert.deepEqual(r.byReason, { age: 0, size: 0, freeSpace: 3 });
  assert.equal(r.bytesFreed, 300);
});

test('at or above the floor nothing goes', async () => {
  const segs = [{ id: 1, cameraId: 1, startUs: 0, endUs: 1, bytes: 100 }];
  const { removed, sweep } = sweepWith(segs, 1250, 1250);
  assert.equal((await sweep()).segmentsDeleted, 0);
  assert.deepEqual(removed, []);
});

test('a sweep ends by deleting motion activity older than the footage (cameras without footage: older than an hour) and reports it', async () => {
  const { activityCalls, sweep } = sweepWith([], 1250, 0);
  const r = await sweep();
  assert.deepEqual(activityCalls, [NOW_US - ORPHAN_ACTIVITY_US]);
  assert.equal(r.activityMinutesDeleted, 7);
});
