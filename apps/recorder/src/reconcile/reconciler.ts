import { open, readdir, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { indexFragmentedMp4, sampleTimeUs, type FragmentedMp4 } from '@wyze-nvr/media';
import type { Logger } from '@wyze-nvr/log';
import { systemClock, type RecorderClock } from '../clock/recorder-clock';
import type { RecorderStore } from '../index/recorder-store';
import type { SegmentRecord } from '../segment/segmenter';
import { startUsOfSegmentName } from '../segment/segment-path';

export interface ReconcileReport {
  /** Files without a row, indexed. */
  indexed: number;
  /** 'open' rows (a crashed recorder) or rows whose size disagreed, closed from their file. */
  closed: number;
  /** Files cut back to their last complete fragment. */
  truncated: number;
  /** Rows whose file is gone, marked 'missing'. */
  missing: number;
  /** Empty or unreadable files removed (with their row, if any). */
  removed: number;
  /** Files the recorder did not name, or of unknown cameras: left alone. */
  ignored: number;
}

export interface ReconcileOptions {
  /**
   * Leave 'open' rows alone when their last update is this recent (ms): on demand, a running recorder may
   * be writing them. 0 at startup, when nothing else writes.
   */
  openGraceMs?: number;
}

async function listMp4(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw e;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listMp4(p)));
    else if (e.isFile() && e.name.endsWith('.mp4')) out.push(p);
  }
  return out;
}

/** Reads a segment file's boxes (never its mdat payloads) with the truncation-tolerant reader. */
async function indexFile(path: string): Promise<{ mp4: FragmentedMp4; size: number }> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const mp4 = await indexFragmentedMp4({
      size,
      read: async (offset, length) => {
        const buf = new Uint8Array(length);
        let got = 0;
        while (got < length) {
          const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got === length ? buf : buf.subarray(0, got);
      },
    });
    return { mp4, size };
  } finally {
    await fh.close();
  }
}

/** The index row a file describes, from its samples; startUs comes from its name (the file's time zero). */
export function recordFromMp4(cameraId: number, path: string, startUs: number, mp4: FragmentedMp4, bytes: number): SegmentRecord {
  let endUs = startUs;
  let videoFrames = 0;
  let audioFrames = 0;
  let keyframes = 0;
  const tracks = new Map(mp4.tracks.map((t) => [t.trackId, t]));
  for (const f of mp4.fragments) {
    for (const s of f.samples) {
      const t = tracks.get(s.trackId);
      if (!t) continue;
      endUs = Math.max(endUs, startUs + sampleTimeUs(t, s.decodeTime + s.duration));
      if (t.kind === 'video') {
        videoFrames++;
        if (s.keyframe) keyframes++;
      } else if (t.kind === 'audio') audioFrames++;
    }
  }
  const v = mp4.tracks.find((t) => t.kind === 'video');
  const a = mp4.tracks.find((t) => t.kind === 'audio');
  return {
    cameraId,
    path,
    startUs,
    endUs,
    bytes,
    videoFrames,
    audioFrames,
    keyframes,
    // The sample entry type: the codec string (profile, level) is only known to the live writer.
    videoCodec: v?.sampleEntryType ?? null,
    audioCodec: a?.sampleEntryType ?? null,
    width: v?.width ?? null,
    height: v?.height ?? null,
    state: 'closed',
  };
}

/**
 * Brings files and rows back into agreement (ARCHITECTURE "Files": the database is the source of truth,
 * the files are what survived a crash):
 * - a file without a row is indexed; a torn tail (a fragment cut by a crash) is truncated at the last
 *   complete fragment, so the file is exactly what its row says and any player reads it cleanly;
 * - an 'open' row (the recorder died while writing) is closed from its file the same way;
 * - a row without a file is marked 'missing';
 * - a file with no complete fragment (empty, an init segment only, unreadable) is debris: removed, logged,
 *   and its row (if any) deleted.
 * With several recorders (`nodeId`), a node reconciles its own files only: rows another node wrote are
 * neither marked missing (their files are on that node) nor touched when their file is in a shared root.
 */
export class Reconciler {
  constructor(
    private readonly store: RecorderStore,
    private readonly root: string,
    private readonly log: Logger,
    private readonly clock: RecorderClock = systemClock,
    private readonly nodeId?: string,
  ) {}

  async reconcileCamera(cameraId: number, options: ReconcileOptions = {}): Promise<ReconcileReport> {
    const report: ReconcileReport = { indexed: 0, closed: 0, truncated: 0, missing: 0, removed: 0, ignored: 0 };
    const log = this.log.child({ cameraId });
    const all = await this.store.segmentsOf(cameraId);
    const othersNode = (r: { nodeId?: string | null }) => !!this.nodeId && !!r.nodeId && r.nodeId !== this.nodeId;
    const others = new Set(all.filter(othersNode).map((r) => r.path));
    const rows = new Map(all.filter((r) => !othersNode(r)).map((r) => [r.path, r]));
    const files = await listMp4(join(this.root, String(cameraId)));
    const grace = options.openGraceMs ?? 0;
    for (const path of files) {
      if (others.has(path)) continue;
      const row = rows.get(path);
      rows.delete(path);
      const name = path.slice(path.lastIndexOf('/') + 1);
      const startUs = startUsOfSegmentName(name);
      if (startUs === undefined) {
        report.ignored++;
        continue;
      }
      if (row && row.state === 'open' && grace > 0 && this.clock.nowUs() / 1000 - row.updatedAtMs < grace) continue;
      let size: number;
      try {
        size = (await stat(path)).size;
      } catch {
        continue; // removed meanwhile (retention): the row is handled next time
      }
      if (row && row.state === 'closed' && row.bytes === size) continue;
      if (row && (row.state === 'missing' || row.state === 'damaged') && row.bytes === size) continue;
      let parsed: { mp4: FragmentedMp4; size: number } | undefined;
      try {
        parsed = await indexFile(path);
      } catch (e) {
        log.warn({ path, err: e }, 'segment file unreadable');
      }
      if (!parsed || parsed.mp4.fragments.length === 0) {
        await rm(path, { force: true });
        if (row) await this.store.deleteSegmentRow(path);
        report.removed++;
        log.warn({ path, bytes: size }, 'removed a segment file without footage');
        continue;
      }
      let bytes = parsed.size;
      if (parsed.mp4.truncated || parsed.mp4.completeLength < parsed.size) {
        await truncate(path, parsed.mp4.completeLength);
        bytes = parsed.mp4.completeLength;
        report.truncated++;
        log.info({ path, from: parsed.size, to: bytes }, 'truncated a torn segment tail');
      }
      const record = recordFromMp4(cameraId, path, startUs, parsed.mp4, bytes);
      if (row) {
        // Keep what the live writer knew better (codec strings); counts and end come from the file.
        await this.store.upsertSegment(record);
        // Another node took the camera over meanwhile and opened its gap at the row's old end.
        if (record.endUs > row.endUs) await this.store.moveGapStart(cameraId, row.endUs, record.endUs);
        report.closed++;
        log.info({ path, state: row.state, endUs: record.endUs }, 'closed a segment row from its file');
      } else {
        await this.store.upsertSegment(record);
        report.indexed++;
        log.info({ path, endUs: record.endUs }, 'indexed a segment file without a row');
      }
    }
    const gone = [...rows.values()].filter((r) => r.state !== 'missing').map((r) => r.path);
    if (gone.length) {
      await this.store.markMissing(gone);
      report.missing += gone.length;
      log.warn({ paths: gone.slice(0, 20), count: gone.length }, 'segment rows without a file marked missing');
    }
    return report;
  }
}
