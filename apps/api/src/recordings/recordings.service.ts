import { Injectable } from '@nestjs/common';
import type { CameraEntity, GapEntity, SegmentEntity } from '@wyze-nvr/db';
import { copyRange, MediaParseError, MediaWriteError, type RangeCopyOptions, type RangeCopyResult } from '@wyze-nvr/media';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { DomainError } from '../common/domain.error';
import { DAY_US, HOUR_US, toWindow, type RangePageQuery, type TimeRangeQuery, type TimeWindow } from '../common/range.dto';
import { formatIsoOrNull, formatIsoUs } from '../common/time';
import { CameraRepository } from '../repositories/camera.repository';
import { ClusterRepository } from '../repositories/cluster.repository';
import { MediaFileRepository, type FileReader, type IndexedFile } from '../repositories/media-file.repository';
import { RecorderLinkRepository, RecorderUnreachableError } from '../repositories/recorder-link.repository';
import { RecordingRepository, type SpanRow } from '../repositories/recording.repository';
import { CONTIGUOUS_TOLERANCE_US, mergeSpans } from './coverage';
import { CamerasCoverageDto, CoverageDto, SegmentDto, SegmentPageDto, type PlaybackConflictDto } from './recordings.dto';

/** Longest range one video.mp4 or export may cover. */
export const MAX_PLAYBACK_US = 24 * HOUR_US;
/** Longest window of a segment list or coverage query. */
export const MAX_LIST_US = 31 * DAY_US;

/** Segments that can be copied from: the file is (or may be) there. */
const READABLE = new Set(['open', 'closed', 'damaged']);

function configKey(s: SegmentEntity): string {
  return JSON.stringify([s.videoCodec, s.width, s.height, s.audioCodec]);
}

/**
 * Runs of consecutive segments with the same codec, size and audio codec. A range crossing a change
 * cannot be one MP4 without re-encoding or a second init segment, so it is refused (409) with the runs,
 * which the client can request one by one.
 */
export function configRuns(segments: readonly SegmentEntity[], window: TimeWindow): PlaybackConflictDto[] {
  const runs: PlaybackConflictDto[] = [];
  let key: string | undefined;
  for (const s of segments) {
    const k = configKey(s);
    const from = formatIsoUs(Math.max(s.startUs, window.fromUs));
    const to = formatIsoUs(Math.min(s.endUs, window.toUs));
    if (k === key) runs[runs.length - 1].to = to;
    else runs.push({ from, to, ...(s.videoCodec ? { videoCodec: s.videoCodec } : {}), ...(s.width ? { width: s.width } : {}), ...(s.height ? { height: s.height } : {}) });
    key = k;
  }
  return runs;
}

/** A camera's coverage answer from its spans (merged here, clipped to the window) and gaps. */
function coverageOf(cameraId: number, window: TimeWindow, spans: readonly SpanRow[], gaps: readonly GapEntity[]): CoverageDto {
  const merged = mergeSpans(spans, window.fromUs, window.toUs);
  return {
    cameraId,
    from: formatIsoUs(window.fromUs),
    to: formatIsoUs(window.toUs),
    recorded: merged.map((s) => ({ from: formatIsoUs(s.startUs), to: formatIsoUs(s.endUs) })),
    gaps: gaps.map((g) => ({
      from: formatIsoUs(Math.max(g.startUs, window.fromUs)),
      to: g.endUs === null ? null : formatIsoOrNull(Math.min(g.endUs, window.toUs)),
      reason: g.reason,
    })),
    recordedUs: merged.reduce((n, s) => n + s.endUs - s.startUs, 0),
  };
}

@Injectable()
export class RecordingsService {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly recordings: RecordingRepository,
    private readonly files: MediaFileRepository,
    private readonly cluster: ClusterRepository,
    private readonly link: RecorderLinkRepository,
  ) {}

  /**
   * A segment's file: from this disk when it is there (a shared or local RECORDINGS_DIR), else from the
   * recorder node that wrote it, through its internal server; undefined when neither has it.
   */
  private async reader(segment: Pick<SegmentEntity, 'id' | 'path' | 'nodeId'>): Promise<FileReader | undefined> {
    let abs: string | undefined;
    try {
      abs = this.files.segmentPath(segment.path);
    } catch {
      abs = undefined; // outside this API's root: another node's disk
    }
    const local = abs ? await this.files.openRead(abs) : undefined;
    if (local || !segment.nodeId) return local;
    const url = await this.cluster.nodeUrl(segment.nodeId);
    if (!url) throw new DomainError('recorder-unavailable', `segment ${segment.id}'s file is on recorder ${segment.nodeId}, which is not running`);
    try {
      return await this.link.rangeReader(url, `/internal/segments/${segment.id}/file`);
    } catch (e) {
      if (e instanceof RecorderUnreachableError) throw new DomainError('recorder-unavailable', `the recorder holding segment ${segment.id}'s file does not answer (${e.message})`);
      throw e;
    }
  }

  async requireCamera(id: number): Promise<CameraEntity> {
    const camera = await this.cameras.get(id);
    if (!camera) throw new DomainError('camera-not-found', `camera ${id} not found`);
    return camera;
  }

  async list(cameraId: number, q: RangePageQuery): Promise<SegmentPageDto> {
    const window = toWindow(q, MAX_LIST_US);
    await this.requireCamera(cameraId);
    const limit = q.limit ?? 100;
    const after = q.cursor ? (decodeCursor('segments', q.cursor, ['number', 'number']) as [number, number]) : undefined;
    const rows = await this.recordings.overlappingPage(cameraId, window.fromUs, window.toUs, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(SegmentDto.from), nextCursor: rows.length > limit ? encodeCursor('segments', [last.startUs, last.id]) : null };
  }

  async coverage(cameraId: number, q: TimeRangeQuery): Promise<CoverageDto> {
    const window = toWindow(q, MAX_LIST_US);
    await this.requireCamera(cameraId);
    const [spans, gaps] = await Promise.all([
      this.recordings.spans(cameraId, window.fromUs, window.toUs),
      this.recordings.gaps(cameraId, window.fromUs, window.toUs),
    ]);
    return coverageOf(cameraId, window, spans, gaps);
  }

  /** Coverage of every camera in one answer (the all-cameras timeline): one query for the spans (merged in SQL), one for the gaps. */
  async coverageOfCameras(q: TimeRangeQuery): Promise<CamerasCoverageDto> {
    const window = toWindow(q, MAX_LIST_US);
    const [spans, gaps] = await Promise.all([this.recordings.spansOfCameras(window.fromUs, window.toUs, CONTIGUOUS_TOLERANCE_US), this.recordings.gapsOfCameras(window.fromUs, window.toUs)]);
    const ids = [...new Set([...spans.map((s) => s.cameraId), ...gaps.map((g) => Number(g.cameraId))])].sort((a, b) => a - b);
    return {
      from: formatIsoUs(window.fromUs),
      to: formatIsoUs(window.toUs),
      cameras: ids.map((id) =>
        coverageOf(
          id,
          window,
          spans.filter((s) => s.cameraId === id),
          gaps.filter((g) => Number(g.cameraId) === id),
        ),
      ),
    };
  }

  async segmentFile(id: number) {
    const segment = await this.recordings.segment(id);
    if (!segment) throw new DomainError('segment-not-found', `segment ${id} not found`);
    const file = await this.reader(segment);
    if (!file) throw new DomainError('file-missing', `the file of segment ${id} is gone`);
    return { segment, file };
  }

  /** Checks the range and the footage; what a video.mp4 answer or an export job will copy. */
  async planRange(cameraId: number, window: TimeWindow): Promise<SegmentEntity[]> {
    await this.requireCamera(cameraId);
    const segments = (await this.recordings.overlapping(cameraId, window.fromUs, window.toUs)).filter((s) => READABLE.has(s.state) && s.endUs > s.startUs);
    if (!segments.length) throw new DomainError('no-recordings', `nothing was recorded in [${formatIsoUs(window.fromUs)}, ${formatIsoUs(window.toUs)})`);
    const runs = configRuns(segments, window);
    if (runs.length > 1) {
      throw new DomainError('stream-config-changed', 'the stream changed codec or resolution inside the range; request each part separately', { ranges: runs });
    }
    return segments;
  }

  playbackWindow(q: TimeRangeQuery): TimeWindow {
    return toWindow(q, MAX_PLAYBACK_US);
  }

  /** A segment's file with its fragment index: gone is 410 file-missing, unreadable 422 segment-damaged. */
  async openSegment(segment: SegmentEntity): Promise<IndexedFile> {
    try {
      const file = await this.reader(segment);
      if (!file) throw new DomainError('file-missing', `the file of segment ${segment.id} is gone`, { segment: segment.id });
      return await this.files.index(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new DomainError('file-missing', `the file of segment ${segment.id} is gone`, { segment: segment.id });
      if (e instanceof MediaParseError) throw damaged(segment.id, e.message);
      throw e;
    }
  }

  /**
   * The MP4 bytes of [from, to) from these segments (see copyRange). A file the media reader rejects is a
   * 422 segment-damaged naming the segment; before the first byte that is the answer, after it (a later
   * segment) the exception filter can only cut the stream.
   */
  copy(segments: readonly SegmentEntity[], opts: RangeCopyOptions): AsyncGenerator<Uint8Array, RangeCopyResult> {
    // The copy names each segment by its id (a file may be on another node's disk).
    const input = segments.map((s) => ({ id: s.id, startUs: s.startUs, file: String(s.id) }));
    const byId = new Map(segments.map((s) => [String(s.id), s]));
    const open = (file: string): Promise<IndexedFile> => this.openSegment(byId.get(file)!);
    return copyRange(input, open, opts);
  }
}

export function isStreamMismatch(e: unknown): boolean {
  return e instanceof MediaWriteError && e.code === 'mismatch';
}

export function damaged(segment: number, why: string): DomainError {
  return new DomainError('segment-damaged', `segment ${segment} is damaged and cannot be played (${why})`, { segment });
}

/** A segment file of the range that cannot be read: retrying the copy cannot help. */
export function isSegmentDamaged(e: unknown): boolean {
  return e instanceof DomainError && e.code === 'segment-damaged';
}
