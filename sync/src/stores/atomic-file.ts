/** Crash-safe file replacement and an inter-process lock, for the one .xlsx file that is the local registry. */
import { randomBytes } from 'node:crypto';
import { copyFile, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { CoopError } from '../../../core/index.js';
import { STORE_TEXT as T } from './text.js';

export function backupPath(path: string): string {
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}.bak${ext}`);
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
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (await exists(path)) await copyFile(path, backupPath(path));
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
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
 * Runs `work` holding `PATH.lock`; another coop process waits up to ~10 s, then gets a clear error.
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
    throw error;
  }
  const guard: LockGuard = {
    assertHeld() {
      if (lost) throw new CoopError('REGISTRY_LOCKED', T.lockLost(path), [lost.message]);
    },
  };
  try {
    const result = await work(guard);
    guard.assertHeld();
    return result;
  } finally {
    // A compromised lock is no longer ours to remove.
    if (!lost) await release().catch(() => {});
  }
}
