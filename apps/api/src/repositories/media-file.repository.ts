import { Inject, Injectable } from '@nestjs/common';
import { indexFragmentedMp4, type IndexedSegmentFile } from '@wyze-nvr/media';
import { mkdir, open, rename, stat, statfs, unlink, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { API_DEPS, type ApiDeps } from '../api.deps';

/** An open recording with its fragment index (headers and moofs read, never the mdat payloads). */
export interface IndexedFile extends IndexedSegmentFile {
  size: number;
  /** Reads exactly `length` bytes at `offset` into a new buffer. */
  read(offset: number, length: number): Promise<Buffer>;
}

/** A file read by offset: on this disk, or another recorder's through its internal server. */
export interface FileReader {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export interface VolumeSpace {
  totalBytes: number;
  freeBytes: number;
}

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'ENOENT';
}

async function readExactly(fh: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
    if (bytesRead === 0) throw new Error(`short read: ${done} of ${length} bytes at ${offset}`);
    done += bytesRead;
  }
  return buf;
}

/** Files of recordings and exports: every filesystem side effect of the API goes through here. */
@Injectable()
export class MediaFileRepository {
  readonly recordingsDir: string;
  readonly exportsDir: string;

  constructor(@Inject(API_DEPS) deps: ApiDeps) {
    this.recordingsDir = resolve(deps.config.recordingsDir);
    this.exportsDir = resolve(deps.config.dataDir, 'exports');
  }

  /** A segment row's path on disk: relative paths are under the recordings root; nothing may climb out of it. */
  segmentPath(path: string): string {
    const abs = isAbsolute(path) ? resolve(path) : resolve(this.recordingsDir, path);
    const rel = relative(this.recordingsDir, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error('segment path is outside the recordings root');
    return abs;
  }

  exportPath(id: string, partial = false): string {
    return join(this.exportsDir, `${id}.mp4${partial ? '.partial' : ''}`);
  }

  async openIndexed(abs: string): Promise<IndexedFile> {
    const fh = await open(abs, 'r');
    const size = (await fh.stat().catch(async (e: unknown) => (await fh.close(), Promise.reject(e)))).size;
    return this.index({ size, read: (offset, length) => readExactly(fh, offset, length), close: () => fh.close() });
  }

  /** Reads the fragment index of an open file (closed again if it cannot be read). */
  async index(file: FileReader): Promise<IndexedFile> {
    try {
      const index = await indexFragmentedMp4({ size: file.size, read: (o, l) => file.read(o, l) });
      return { index, size: file.size, read: (o, l) => file.read(o, l), close: () => file.close() };
    } catch (e) {
      await file.close();
      throw e;
    }
  }

  async openRead(abs: string): Promise<FileReader | undefined> {
    let fh: FileHandle;
    try {
      fh = await open(abs, 'r');
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    const size = (await fh.stat()).size;
    return { size, read: (o, l) => readExactly(fh, o, l), close: () => fh.close() };
  }

  async openWrite(abs: string): Promise<FileHandle> {
    await mkdir(resolve(abs, '..'), { recursive: true });
    return open(abs, 'w', 0o640);
  }

  async rename(from: string, to: string): Promise<void> {
    await rename(from, to);
  }

  /** True when a file was removed; a file already gone is not an error (re-runs after a crash). */
  async remove(abs: string): Promise<boolean> {
    try {
      await unlink(abs);
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async exists(abs: string): Promise<boolean> {
    try {
      await stat(abs);
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async volume(): Promise<VolumeSpace> {
    await mkdir(this.recordingsDir, { recursive: true });
    const s = await statfs(this.recordingsDir);
    return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
  }
}

export { sep as pathSeparator };
