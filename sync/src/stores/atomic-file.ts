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

/** Runs `work` holding `PATH.lock`; another coop process waits up to ~10 s, then gets a clear error. */
export async function withFileLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      stale: 30_000,
      retries: { retries: 40, factor: 1.2, minTimeout: 50, maxTimeout: 500 },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new CoopError('REGISTRY_LOCKED', T.locked(path));
    throw error;
  }
  try {
    return await work();
  } finally {
    await release();
  }
}
