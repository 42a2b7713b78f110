import { Injectable } from '@nestjs/common';
import type { SegmentEntity } from '@wyze-nvr/db';
import { planFragmentCopy, sampleTimeUs } from '@wyze-nvr/media';
import { DomainError } from '../common/domain.error';
import { matchesIfNoneMatch } from '../common/etag';
import { LruCache } from '../common/lru-cache';
import { formatIsoUs } from '../common/time';
import { PictureDecodeError, PictureDecoderRepository } from '../repositories/picture-decoder.repository';
import { RecordingRepository } from '../repositories/recording.repository';
import type { IndexedFile } from '../repositories/media-file.repository';
import { damaged, RecordingsService } from '../recordings/recordings.service';

/** Decoded pictures kept: thumbnails are a few KB, a full 2K picture a few hundred. */
const CACHE_BYTES = 32 << 20;
const CACHE_ENTRIES = 4096;
/** A picture of a closed segment never changes under its URL (retention may remove it: then 404). */
const IMMUTABLE = 'private, max-age=31536000, immutable';
/** In a segment still being written, a later keyframe at or before `at` may yet be flushed. */
const REVALIDATE = 'private, no-cache';

export interface FrameAnswer {
  /** Absolute time of the keyframe shown (µs). */
  keyframeUs: number;
  etag: string;
  cacheControl: string;
  /** Absent: the client's copy (If-None-Match) is current. */
  jpeg?: Buffer;
}

/**
 * `frame.jpg?at=`: the keyframe at or before a time, from the recordings. Only the segment that covers
 * `at` is searched: a time in a gap, or before the first keyframe of its segment, has no picture (404),
 * rather than one from minutes or days earlier. The keyframe is decoded alone (init segment + a one-sample
 * fragment, the file's own bytes) by ffmpeg, and the JPEG cached by (camera, keyframe time, width).
 */
@Injectable()
export class FramesService {
  private readonly cache = new LruCache<Buffer>(CACHE_BYTES, CACHE_ENTRIES, (b) => b.length);
  private readonly decoding = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly recordingsService: RecordingsService,
    private readonly recordings: RecordingRepository,
    private readonly decoder: PictureDecoderRepository,
  ) {}

  async frame(cameraId: number, atUs: number, width: number | undefined, ifNoneMatch?: string): Promise<FrameAnswer> {
    await this.recordingsService.requireCamera(cameraId);
    const segment = (await this.recordings.overlapping(cameraId, atUs, atUs + 1)).filter((s) => s.state !== 'missing').pop();
    if (!segment) throw new DomainError('no-footage', `nothing was recorded at ${formatIsoUs(atUs)}`);
    const file = await this.recordingsService.openSegment(segment);
    try {
      const keyframeUs = lastKeyframeAtOrBefore(file, segment.startUs, atUs);
      if (keyframeUs === undefined) throw new DomainError('no-footage', `no keyframe at or before ${formatIsoUs(atUs)} in the segment that covers it`);
      const etag = `"${cameraId}-${keyframeUs}-${width ?? 'full'}"`;
      const answer: FrameAnswer = { keyframeUs, etag, cacheControl: segment.state === 'open' ? REVALIDATE : IMMUTABLE };
      if (matchesIfNoneMatch(ifNoneMatch, etag)) return answer;
      const key = `${cameraId}:${keyframeUs}:${width ?? 0}`;
      let jpeg = this.cache.get(key);
      if (!jpeg) {
        let pending = this.decoding.get(key);
        if (!pending) {
          pending = this.decode(file, segment, keyframeUs, width).finally(() => this.decoding.delete(key));
          this.decoding.set(key, pending);
        }
        jpeg = await pending;
        this.cache.set(key, jpeg);
      }
      return { ...answer, jpeg };
    } finally {
      await file.close();
    }
  }

  private async decode(file: IndexedFile, segment: SegmentEntity, keyframeUs: number, width: number | undefined): Promise<Buffer> {
    const plan = planFragmentCopy([{ index: file.index, startUs: segment.startUs }], { fromUs: keyframeUs, toUs: keyframeUs + 1 });
    const chunks = await Promise.all(plan.parts.map((p) => (p.kind === 'bytes' ? p.data : file.read(p.offset, p.length))));
    try {
      return await this.decoder.jpeg(chunks, width);
    } catch (e) {
      if (e instanceof PictureDecodeError) throw damaged(segment.id, `its keyframe at ${formatIsoUs(keyframeUs)} does not decode`);
      throw e;
    }
  }
}

/** Absolute time (µs) of the last video keyframe that starts at or before `atUs`, if any. */
export function lastKeyframeAtOrBefore(file: Pick<IndexedFile, 'index'>, startUs: number, atUs: number): number | undefined {
  const video = file.index.tracks.find((t) => t.kind === 'video');
  if (!video) return undefined;
  let found: number | undefined;
  for (const fragment of file.index.fragments) {
    for (const s of fragment.samples) {
      if (s.trackId !== video.trackId || !s.keyframe) continue;
      const t = startUs + sampleTimeUs(video, s.decodeTime);
      if (t > atUs) return found;
      found = t;
    }
  }
  return found;
}
