import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/**
 * Live views in progress (WebSocket sessions and live.mp4 answers). They never end by themselves, and the
 * HTTP server's close waits for its connections, so the API ends them before it closes.
 */
@Injectable()
export class LiveSessions implements BeforeApplicationShutdown {
  private readonly ends = new Set<() => void>();

  /** Registers a session's end; the returned function unregisters it (call it when the session ends). */
  add(end: () => void): () => void {
    this.ends.add(end);
    return () => this.ends.delete(end);
  }

  beforeApplicationShutdown(): void {
    for (const end of [...this.ends]) end();
    this.ends.clear();
  }
}
