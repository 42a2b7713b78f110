import { MediaWriteError } from './errors';
import type { FragmentedMp4 } from './fmp4-reader';
import { type CopyPart, type CopyPlan, planFragmentCopy } from './fragment-copy';
import { BoxCursor, childBoxes, readBoxHeader } from './isobmff/box-reader';

/** What the copier needs of a segment row. */
export interface RangeSegment {
  id: number;
  startUs: number;
  /** Absolute path on disk. */
  file: string;
}

/** An open recording with its fragment index (indexFragmentedMp4), read in byte ranges. */
export interface IndexedSegmentFile {
  index: FragmentedMp4;
  /** Exactly `length` bytes at `offset`. */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface RangeCopyOptions {
  fromUs: number;
  toUs: number;
  /** Segments planned per batch after the first; bounds open files and memory. */
  batch?: number;
  /** Largest buffer read from a file at once. */
  readBytes?: number;
  signal?: AbortSignal;
  /** Called when the output's time zero is known (before the first byte). */
  onStart?: (info: { startUs: number }) => void;
  /** Called after segment `index` (0-based in `segments`) has been copied (per batch). */
  onSegmentDone?: (index: number) => void;
}

export interface RangeCopyResult {
  /** Absolute time of the output's first sample (the keyframe at or before `from`). */
  startUs: number;
  endUs: number;
  fragments: number;
  bytes: number;
}

type OpenIndexed = (file: string) => Promise<IndexedSegmentFile>;

/**
 * Sets mfhd.sequence_number (ISO/IEC 14496-12 §8.8.5) of a moof header from a copy plan. The mfhd is found
 * by walking the moof's child boxes, so the moof's layout is not assumed; a header without a moof holding
 * an mfhd is a plan this copier does not understand.
 */
export function setSequenceNumber(header: Uint8Array, sequenceNumber: number): void {
  const moof = readBoxHeader(header, 0);
  if (moof?.type !== 'moof' || moof.end > header.length) throw new MediaWriteError('mismatch', 'a copy plan fragment does not start with a complete moof');
  const mfhd = childBoxes(header, moof.payloadStart, moof.end).find((b) => b.type === 'mfhd');
  if (!mfhd) throw new MediaWriteError('mismatch', 'a copy plan moof has no mfhd');
  const c = new BoxCursor(header, mfhd);
  c.fullBoxHeader();
  c.u32(); // sequence_number: checks that it lies inside the mfhd before it is overwritten
  new DataView(header.buffer, header.byteOffset, header.byteLength).setUint32(c.pos - 4, sequenceNumber);
}

interface FragmentGroup {
  header: Uint8Array;
  input: number;
  ranges: Extract<CopyPart, { kind: 'range' }>[];
}

/** Splits a plan into its init segment and fragments (a moof header followed by its input ranges). */
export function fragmentGroups(plan: CopyPlan): { init: Uint8Array; groups: FragmentGroup[] } {
  const [first, ...rest] = plan.parts;
  if (first?.kind !== 'bytes') throw new MediaWriteError('mismatch', 'a copy plan starts with the init segment');
  const groups: FragmentGroup[] = [];
  for (const part of rest) {
    if (part.kind === 'bytes') groups.push({ header: part.data, input: -1, ranges: [] });
    else {
      const g = groups[groups.length - 1];
      if (g.input === -1) g.input = part.input;
      g.ranges.push(part);
    }
  }
  return { init: first.data, groups };
}

/**
 * Streams [fromUs, toUs) of consecutive segments (those overlapping the range, oldest first, so the first
 * one holds the keyframe every batch takes as time zero) as one fragmented MP4 (planFragmentCopy: the keyframe at
 * or before `from` is time zero, fragments are copied without re-encoding). The first segment is planned
 * alone, so the first bytes go out after indexing one file; later segments are planned in batches together
 * with the first one (which fixes time zero and so every tfdt), the first segment's fragments are dropped
 * from those plans, and mfhd sequence numbers are renumbered across batches.
 *
 * Throws MediaWriteError('mismatch') when a segment's stream config differs from the first one's; what
 * `openIndexed` throws (a MediaParseError for a damaged file) goes to the caller as it is.
 */
export async function* copyRange(segments: readonly RangeSegment[], openIndexed: OpenIndexed, opts: RangeCopyOptions): AsyncGenerator<Uint8Array, RangeCopyResult> {
  const batchSize = opts.batch ?? 8;
  const readBytes = opts.readBytes ?? 1 << 20;
  const result: RangeCopyResult = { startUs: 0, endUs: 0, fragments: 0, bytes: 0 };
  if (!segments.length) return result;
  const first = await openIndexed(segments[0].file);
  let sequence = 0;
  try {
    for (let start = 0; start < segments.length; start = start === 0 ? 1 : start + batchSize) {
      opts.signal?.throwIfAborted();
      const batch = start === 0 ? [] : segments.slice(start, start + batchSize);
      const opened: IndexedSegmentFile[] = [];
      try {
        for (const s of batch) opened.push(await openIndexed(s.file));
        const files = [first, ...opened];
        const plan = planFragmentCopy(
          files.map((f, i) => ({ index: f.index, startUs: (i === 0 ? segments[0] : batch[i - 1]).startUs })),
          { fromUs: opts.fromUs, toUs: opts.toUs },
        );
        const { init, groups } = fragmentGroups(plan);
        if (start === 0) {
          result.startUs = plan.startUs;
          opts.onStart?.({ startUs: plan.startUs });
          result.bytes += init.length;
          yield init;
        }
        result.endUs = Math.max(result.endUs, plan.endUs);
        for (const g of groups) {
          if (start > 0 && g.input === 0) continue;
          setSequenceNumber(g.header, ++sequence);
          result.fragments++;
          result.bytes += g.header.length;
          yield g.header;
          const file = files[g.input];
          for (const r of g.ranges) {
            for (let off = 0; off < r.length; off += readBytes) {
              opts.signal?.throwIfAborted();
              const n = Math.min(readBytes, r.length - off);
              const chunk = await file.read(r.offset + off, n);
              result.bytes += n;
              yield chunk;
            }
          }
        }
        if (start === 0) opts.onSegmentDone?.(0);
        else batch.forEach((_, i) => opts.onSegmentDone?.(start + i));
      } finally {
        await Promise.all(opened.map((f) => f.close()));
      }
    }
  } finally {
    await first.close();
  }
  return result;
}
