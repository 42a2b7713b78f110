// Hover thumbnails: GET /cameras/:id/frame.jpg?at&width=160, at most one request in flight per camera
// (the newest hover wins; the ones in between are dropped), cached as object URLs by camera and time
// rounded to the timeline's resolution.
import type { ApiClient } from '../api/api-client';

const MAX_CACHED = 120;

export class ThumbnailLoader {
  private readonly cache = new Map<string, string | null>();
  private busy = false;
  private wanted: { key: string; cameraId: number; atMs: number; done: (url: string | null) => void } | undefined;

  constructor(private readonly api: ApiClient) {}

  /** Calls `done` with the picture at about `atMs` (null: none there) unless a newer request replaced it. */
  request(cameraId: number, atMs: number, resolutionMs: number, done: (url: string | null) => void): void {
    const rounded = Math.floor(atMs / Math.max(1000, resolutionMs)) * Math.max(1000, resolutionMs);
    const key = `${cameraId}:${rounded}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return done(hit);
    this.wanted = { key, cameraId, atMs: rounded, done };
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    while (this.wanted) {
      const w = this.wanted;
      this.wanted = undefined;
      this.busy = true;
      let url: string | null = null;
      try {
        const blob = await this.api.blob(`/cameras/${w.cameraId}/frame.jpg?at=${new Date(w.atMs).toISOString()}&width=160`);
        url = URL.createObjectURL(blob);
      } catch {
        url = null;
      } finally {
        this.busy = false;
      }
      this.remember(w.key, url);
      if (!this.wanted) w.done(url);
    }
  }

  private remember(key: string, url: string | null): void {
    this.cache.set(key, url);
    while (this.cache.size > MAX_CACHED) {
      const [oldKey, oldUrl] = this.cache.entries().next().value!;
      if (oldUrl) URL.revokeObjectURL(oldUrl);
      this.cache.delete(oldKey);
    }
  }
}
