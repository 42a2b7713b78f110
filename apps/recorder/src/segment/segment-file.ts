import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One segment file being written. */
export interface SegmentFile {
  /** One vectored write of a whole fragment (or the init segment). */
  write(chunks: Uint8Array[], byteLength: number): Promise<void>;
  /** fsync, then close. */
  close(): Promise<void>;
  /** Close without fsync after an error; never throws. */
  abandon(): Promise<void>;
}

export interface SegmentFileSystem {
  create(path: string): Promise<SegmentFile>;
}

class NodeSegmentFile implements SegmentFile {
  constructor(private readonly fh: FileHandle) {}

  async write(chunks: Uint8Array[], byteLength: number): Promise<void> {
    // libuv loops over partial writes and IOV_MAX itself; the check guards against a short write anyway.
    const { bytesWritten } = await this.fh.writev(chunks);
    if (bytesWritten !== byteLength) throw new Error(`short write: ${bytesWritten} of ${byteLength} bytes`);
  }

  async close(): Promise<void> {
    try {
      await this.fh.sync();
    } finally {
      await this.fh.close();
    }
  }

  async abandon(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

/** Files straight at their final path (no temp + rename: reconcile recovers a torn tail, see reconciler.ts). */
export class NodeSegmentFileSystem implements SegmentFileSystem {
  private lastDir = '';

  async create(path: string): Promise<SegmentFile> {
    const dir = dirname(path);
    if (dir !== this.lastDir) {
      await mkdir(dir, { recursive: true });
      this.lastDir = dir;
    }
    try {
      return new NodeSegmentFile(await open(path, 'w'));
    } catch (e) {
      // Retention may have removed the directory since it was last created.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await mkdir(dir, { recursive: true });
      return new NodeSegmentFile(await open(path, 'w'));
    }
  }
}
