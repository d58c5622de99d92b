/** Crash-safe file replacement and an inter-process lock, for the one .xlsx file that is the local registry. */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { copyFile, link, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { CoopError } from '../../../core/index.js';
import { fsError } from '../io/fs-errors.js';
import { refuseIfOpenInOffice } from './office-locks.js';
import { STORE_TEXT as T } from './text.js';

export function backupPath(path: string): string {
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}.bak${ext}`);
}

/** Temp files not yet committed or discarded; removed if the process exits on an uncaught error in between. */
const liveTemps = new Set<string>();
process.once('exit', () => {
  for (const temp of liveTemps) rmSync(temp, { force: true });
});

export interface WriteOptions {
  /** Keep the replaced file as NAME.bak.ext (default); generated files that are simply made again say false. */
  backup?: boolean;
  /**
   * Flush the file to disk before it replaces the target (default). Only a file that is checked on reading and whose
   * loss costs nothing says false (the state cache: sealed by its SHA-256, a miss after a crash) — its flush waited on
   * the disk in proportion to the registry on every tick.
   */
  flush?: boolean;
}

/** A file fully written and flushed beside its target, not yet in place: `commit` renames it over the target, `discard` removes it. */
export interface PreparedFile {
  readonly path: string;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Writes `data` to a temporary file beside `path` and flushes it. Whatever fails (no space, no permission, a
 * missing folder) the temp file is removed and a typed error names `path`, so nothing is left behind.
 */
/** A file's bytes: one buffer, or the pieces it is made of in order (written one after the other, never joined in memory). */
export type FileBytes = Uint8Array | readonly Uint8Array[];

export async function prepareFile(path: string, data: FileBytes, options: WriteOptions = {}): Promise<PreparedFile> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: FileHandle;
  try {
    handle = await open(temp, 'wx');
  } catch (error) {
    throw fsError(error, path, true);
  }
  liveTemps.add(temp);
  const discard = async () => {
    await rm(temp, { force: true }).catch(() => {});
    liveTemps.delete(temp);
  };
  try {
    try {
      if (data instanceof Uint8Array) await handle.writeFile(data);
      // A few hundred pieces per call: writev takes at most IOV_MAX (1024) buffers at once.
      else for (let i = 0; i < data.length; i += 512) await writeAll(handle, data.slice(i, i + 512));
      if (options.flush !== false) await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await discard();
    throw fsError(error, path, true);
  }
  let done = false;
  return {
    path,
    async commit() {
      if (done) return;
      let backup: string | null = null;
      try {
        if (options.backup !== false) backup = await stageBackup(path);
        await rename(temp, path);
      } catch (error) {
        if (backup) await rm(backup, { force: true }).catch(() => {});
        if (backup) liveTemps.delete(backup);
        await discard();
        throw fsError(error, path, true);
      }
      done = true;
      liveTemps.delete(temp);
      // The old file is already safe in the staged copy; failing to name it NAME.bak.xlsx loses no data.
      if (backup) {
        await rename(backup, backupPath(path)).catch(() => rm(backup, { force: true }).catch(() => {}));
        liveTemps.delete(backup);
      }
    },
    async discard() {
      if (done) return;
      done = true;
      await discard();
    },
  };
}

/**
 * Stages a copy of the current file for `NAME.bak.xlsx`, renamed into place only once the new file is: a failed write
 * leaves the old backup as it was. A hard link needs no disk space and cannot be half-written; where the file system
 * has no hard links (some network shares, FAT drives) or refuses one (an immutable file) the file is copied instead.
 */
async function stageBackup(path: string): Promise<string | null> {
  if (!(await exists(path))) return null;
  const staged = `${backupPath(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  liveTemps.add(staged);
  try {
    await link(path, staged);
  } catch {
    try {
      await copyFile(path, staged);
    } catch (error) {
      await rm(staged, { force: true }).catch(() => {});
      liveTemps.delete(staged);
      throw error;
    }
  }
  return staged;
}

/** Writes the buffers in order at the handle's position, however many bytes each writev call takes. */
async function writeAll(handle: FileHandle, buffers: readonly Uint8Array[]): Promise<void> {
  let rest = buffers.filter((b) => b.length);
  while (rest.length) {
    let { bytesWritten } = await handle.writev(rest as Uint8Array[]);
    let k = 0;
    while (k < rest.length && bytesWritten >= rest[k]!.length) bytesWritten -= rest[k++]!.length;
    rest = rest.slice(k);
    if (bytesWritten) rest[0] = rest[0]!.subarray(bytesWritten);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Writes to a temporary file beside the target, flushes it to disk, keeps the old file as
 * `NAME.bak.xlsx`, then renames over the target: a reader sees the old file or the new, never half of one.
 */
export async function writeFileAtomic(path: string, data: FileBytes, options: WriteOptions = {}): Promise<void> {
  await (await prepareFile(path, data, options)).commit();
}

/** How a long step under the lock asks whether the lock is still its own before it writes. */
export interface LockGuard {
  /** Throws REGISTRY_LOCKED (in Chinese) when the lock was lost, so nothing is written over another process's work. */
  assertHeld(): void;
}

/** Yields to the event loop so timers (the lock's refresh among them) run during long CPU-bound loops. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `work` holding `PATH.lock`; another coop process waits up to ~10 s, then gets a clear error. A registry that
 * a person has open in Excel, WPS or LibreOffice is refused before any work.
 * The lock's mtime is refreshed every 5 s while `work` runs (long loops must yield, see yieldToEventLoop);
 * if the refresh fails or another process took the lock over, the loss is reported in Chinese instead of
 * proper-lockfile's default uncaught ECOMPROMISED throw, and `guard.assertHeld()` refuses to write.
 */
export async function withFileLock<T>(path: string, work: (guard: LockGuard) => Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  let lost: Error | undefined;
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      stale: 30_000,
      update: 5_000,
      retries: { retries: 40, factor: 1.2, minTimeout: 50, maxTimeout: 500 },
      onCompromised: (error) => {
        lost = error;
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new CoopError('REGISTRY_LOCKED', T.locked(path));
    throw fsError(error, path, true);
  }
  const guard: LockGuard = {
    assertHeld() {
      if (lost) throw new CoopError('REGISTRY_LOCKED', T.lockLost(path), [lost.message]);
    },
  };
  try {
    await refuseIfOpenInOffice(path);
    const result = await work(guard);
    guard.assertHeld();
    return result;
  } finally {
    // A compromised lock is no longer ours to remove; one that cannot be released (its folder vanished) must not
    // hide what `work` threw.
    if (!lost) await release().catch(() => {});
  }
}
