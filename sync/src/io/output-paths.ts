/** Refuses, before any work, an output path that would overwrite the registry, one of the command's inputs, or another output. */
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CoopError } from '../../../core/errors.js';
import { GSHEET_PREFIX } from '../stores/open.js';
import { backupPath } from '../stores/atomic-file.js';
import { OUTPUT_TEXT as T } from './text.js';

export interface NamedPath {
  path: string;
  /** How the person knows this path: 登记表, 导入文件, --rejects … */
  role: string;
}

/** A path as the file system identifies it: absolute, through symlinks where the file (or its folder) exists, case-folded where the OS ignores case. */
async function identity(path: string): Promise<string> {
  const absolute = resolve(path);
  const real =
    (await realpath(absolute).catch(() => null)) ??
    (await realpath(dirname(absolute)).then(
      (dir) => join(dir, basename(absolute)),
      () => absolute,
    ));
  return process.platform === 'win32' || process.platform === 'darwin' ? real.toLowerCase() : real;
}

/** The registry and the files coop keeps beside it; a shared sheet has none on disk. */
export function registryFiles(registry: string): NamedPath[] {
  if (registry.startsWith(GSHEET_PREFIX)) return [];
  return [
    { path: registry, role: T.registry },
    { path: backupPath(registry), role: T.registryBackup },
    { path: `${registry}.lock`, role: T.registryLock },
  ];
}

/**
 * Checks every output of one command against the registry's files, the command's inputs and its other outputs.
 * An output that is an existing folder is refused too, since the person meant a file inside it.
 */
export async function guardOutputs(outputs: readonly NamedPath[], taken: readonly NamedPath[]): Promise<void> {
  const seen: { id: string; named: NamedPath }[] = [];
  for (const named of taken) seen.push({ id: await identity(named.path), named });
  for (const output of outputs) {
    const id = await identity(output.path);
    const clash = seen.find((s) => s.id === id);
    if (clash) throw new CoopError('USAGE', T.clash(output, clash.named));
    if ((await stat(output.path).catch(() => null))?.isDirectory()) throw new CoopError('USAGE', T.isFolder(output));
    seen.push({ id, named: output });
  }
}
