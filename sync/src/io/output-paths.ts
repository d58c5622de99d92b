/** Refuses, before any work, an output path that would overwrite the registry, one of the command's inputs, or another output. */
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CoopError } from '../../../core/errors.js';
import { GSHEET_PREFIX } from '../stores/open.js';
import { backupPath } from '../stores/atomic-file.js';
import { anchorPath } from '../stores/chain-anchor.js';
import { statePath } from '../stores/state-cache.js';
import { outputKindOf, type OutputKind } from './output-kinds.js';
import { InputError, type InputName } from './input-error.js';
import { OUTPUT_TEXT as T } from './text.js';

export interface NamedPath {
  path: string;
  /** How the person knows this path: 登记表, 导入文件, 问题工作簿 … */
  role: string;
  /** For a path the person gave the op, which input it was; the command words errors about it with its flag. */
  input?: InputName;
  /** For an output, the kind of workbook it is; an existing file of another of coop's kinds is not overwritten. */
  kind?: OutputKind;
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
    { path: anchorPath(registry), role: T.registryAnchor },
    { path: statePath(registry), role: T.registryState },
  ];
}

/** A refusal of an output path, naming it by its flag where the command gives one. */
function pathError(output: NamedPath, message: (named: NamedPath) => string): CoopError {
  if (!output.input) return new CoopError('USAGE', message(output));
  return new InputError('USAGE', output.input, (flag) => message(flag ? { ...output, role: flag } : output));
}

/**
 * Checks every output of one command against the registry's files, the command's inputs and its other outputs.
 * An output that is an existing folder is refused too, since the person meant a file inside it, and so is an existing
 * workbook of another of coop's kinds (any registry, an archive, a form, a rejects workbook).
 */
export async function guardOutputs(outputs: readonly NamedPath[], taken: readonly NamedPath[]): Promise<void> {
  const seen: { id: string; named: NamedPath }[] = [];
  for (const named of taken) seen.push({ id: await identity(named.path), named });
  for (const output of outputs) {
    const id = await identity(output.path);
    const clash = seen.find((s) => s.id === id);
    if (clash) throw pathError(output, (o) => T.clash(o, clash.named));
    if ((await stat(output.path).catch(() => null))?.isDirectory()) throw pathError(output, T.isFolder);
    // Only the same kind may be replaced: an archive over last year's archive, never over a registry or a form; an
    // output of no coop kind (a printed document) replaces none of them.
    const existing = await outputKindOf(output.path);
    if (existing && existing !== output.kind) throw pathError(output, (o) => T.otherKind(o, T.kinds[existing]));
    seen.push({ id, named: output });
  }
}
