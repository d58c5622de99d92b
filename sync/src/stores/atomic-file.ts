/** Crash-safe file replacement and an inter-process lock, for the one .xlsx file that is the local registry. */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { copyFile, link, lstat, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { CoopError } from '../../../core/index.js';
import { fsError } from '../io/fs-errors.js';
import { findOfficeLocks, refuseIfOpenInOffice } from './office-locks.js';
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
  /**
   * Write the new file into the blocks of the backup it is about to replace (only with `backup`, only under the
   * file's lock). A fresh temp file means freeing a whole old file on every write; on a file system mounted with
   * online discard that free waits on the disk's TRIM, which stalled a 10 MB registry's tick by up to 100 ms.
   * NAME.bak.ext is renamed to the temp name and overwritten, so while the file is written there is no backup; a
   * failed write leaves the file untouched and makes it its own backup (the version before it is lost). A backup with
   * no file beside it (the only copy of a deleted file), hard-linked elsewhere, open in an office program or not a
   * plain file is left alone and a fresh temp file is used.
   */
  recycleBackup?: boolean;
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
  const recycled = options.recycleBackup && options.backup !== false ? await takeBackup(path, temp) : null;
  try {
    handle = recycled ?? (await open(temp, 'wx'));
  } catch (error) {
    throw fsError(error, path, true);
  }
  liveTemps.add(temp);
  const discard = async () => {
    await rm(temp, { force: true }).catch(() => {});
    liveTemps.delete(temp);
    // The backup was being overwritten: the file as it stands (untouched) becomes the backup, so that one still exists.
    if (recycled) await keepBackup(path);
  };
  try {
    try {
      await writeBytes(handle, data);
      // A recycled backup may be longer than the new file.
      if (recycled) await handle.truncate(byteLength(data));
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

/** Makes the file as it stands its own NAME.bak.ext (after a failed write that had taken the old backup's blocks). */
async function keepBackup(path: string): Promise<void> {
  const staged = await stageBackup(path).catch(() => null);
  if (!staged) return;
  await rename(staged, backupPath(path)).catch(() => rm(staged, { force: true }).catch(() => {}));
  liveTemps.delete(staged);
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

/**
 * The backup renamed to `temp` and opened for overwriting, or null when it should not or cannot be (see
 * WriteOptions.recycleBackup); null costs nothing but the fresh file's allocation.
 */
async function takeBackup(path: string, temp: string): Promise<FileHandle | null> {
  // Only a backup the write replaces anyway: with no file to take its place (the registry deleted, then `coop init`)
  // the backup may be the only copy left.
  if (!(await lstat(path).catch(() => null))?.isFile()) return null;
  const backup = backupPath(path);
  const info = await lstat(backup).catch(() => null);
  if (!info?.isFile() || info.nlink !== 1 || (await findOfficeLocks(backup)).length) return null;
  try {
    await rename(backup, temp);
  } catch {
    return null;
  }
  try {
    return await open(temp, 'r+');
  } catch {
    // Put it back as it was: the write goes on with a fresh file.
    await rename(temp, backup).catch(() => rm(temp, { force: true }).catch(() => {}));
    return null;
  }
}

/** How many bytes a file of these bytes holds. */
export function byteLength(data: FileBytes): number {
  return data instanceof Uint8Array ? data.length : data.reduce((sum, piece) => sum + piece.length, 0);
}

/** Writes a file's bytes at the handle's position: a buffer whole, pieces a few hundred per writev (IOV_MAX is 1024). */
async function writeBytes(handle: FileHandle, data: FileBytes): Promise<void> {
  if (data instanceof Uint8Array) await writeAll(handle, [data]);
  else for (let i = 0; i < data.length; i += 512) await writeAll(handle, data.slice(i, i + 512));
}

/**
 * Overwrites a file where it lies (created if missing), for a file that checks itself on reading (the state cache,
 * sealed by its SHA-256): a reader that meets it half-written or cut short by a crash sees a miss. Unlike a rename
 * over it, nothing is freed, so nothing waits on the disk's discard (see WriteOptions.recycleBackup). Anything but a
 * plain file of its own is replaced atomically instead.
 */
export async function overwriteSealedFile(path: string, data: FileBytes): Promise<void> {
  const info = await lstat(path).catch(() => null);
  if (info && (!info.isFile() || info.nlink !== 1)) return writeFileAtomic(path, data, { backup: false, flush: false });
  let handle: FileHandle;
  try {
    handle = await open(path, info ? 'r+' : 'wx');
  } catch (error) {
    throw fsError(error, path, true);
  }
  try {
    await writeBytes(handle, data);
    await handle.truncate(byteLength(data));
  } catch (error) {
    throw fsError(error, path, true);
  } finally {
    await handle.close();
  }
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
