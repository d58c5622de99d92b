/** A scratch file beside the registry for the compressed rows a large import appends, so they never pile up in memory. */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { StoredChunk } from '../excel/zip-parts.js';
import { fsError } from '../io/fs-errors.js';

/** Spill files not yet removed (where the system refused to remove an open file): removed however the process exits. */
const left = new Set<string>();
process.once('exit', () => {
  for (const path of left) rmSync(path, { force: true });
});

/** Where the spill file of `registry` goes: beside it (same disk as the temp file of the write), hidden, unique per run. */
function spillPath(registry: string): string {
  return join(dirname(registry), `.${basename(registry)}.${process.pid}.${randomBytes(4).toString('hex')}.rows.tmp`);
}

/**
 * Bytes appended to a file and read back once, by position. The file is removed as soon as it is opened: on Linux and
 * macOS it lives on only through the open descriptor, so even a killed process leaves nothing behind; where the system
 * refuses to remove an open file (Windows), it is removed on `close` or when the process exits.
 */
export class SpillFile {
  private fd: number | undefined;
  private path: string | undefined;
  private size = 0;

  /** `registry` names the file errors report (a full disk is the registry's disk). */
  constructor(private readonly registry: string) {}

  /** Writes `data` at the end; the chunk copies it back into the archive being written. */
  append(data: Buffer): StoredChunk {
    const fd = this.open();
    try {
      for (let done = 0; done < data.length; ) done += writeSync(fd, data, done, data.length - done, this.size + done);
    } catch (error) {
      throw fsError(error as NodeJS.ErrnoException, this.registry, true);
    }
    return this.chunk(this.size, data.length);
  }

  /** Made apart from `append`, so the chunk's closure holds two numbers and never the bytes just written. */
  private chunk(position: number, length: number): StoredChunk {
    this.size += length;
    return { length, copyTo: (target, at) => this.read(target, at, length, position) };
  }

  /** Closes and removes the file (idempotent); chunks cannot be read afterwards. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.path) {
      rmSync(this.path, { force: true });
      left.delete(this.path);
      this.path = undefined;
    }
  }

  private open(): number {
    if (this.fd !== undefined) return this.fd;
    const path = spillPath(this.registry);
    try {
      this.fd = openSync(path, 'wx+');
    } catch (error) {
      throw fsError(error as NodeJS.ErrnoException, this.registry, true);
    }
    try {
      unlinkSync(path);
    } catch {
      this.path = path;
      left.add(path);
    }
    return this.fd;
  }

  private read(target: Buffer, at: number, length: number, position: number): void {
    if (this.fd === undefined) throw new Error('spill file already closed');
    for (let done = 0; done < length; ) {
      const n = readSync(this.fd, target, at + done, length - done, position + done);
      if (n === 0) throw new Error('spill file cut short');
      done += n;
    }
  }
}
