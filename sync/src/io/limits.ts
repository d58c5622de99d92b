/**
 * Input size limits, chosen from measured memory use (`npm run bench import-large`, docs/notes/issue-19.md): beyond
 * them a run would exhaust Node's heap minutes in and abort without a word, so they are refused up front with a message.
 */
import type { Stats } from 'node:fs';
import { CoopError } from '../../../core/errors.js';
import { IO_TEXT, LIMIT_TEXT as T } from './text.js';

export const LIMITS = {
  /** One import file on disk. */
  fileBytes: 64 * 2 ** 20,
  /** The registry file on disk: it is loaded whole and rewritten by every change. */
  registryBytes: 64 * 2 ** 20,
  /** Data rows in one import, over all files and sheets. */
  rows: 150_000,
  /** Columns of one sheet. */
  columns: 200,
  /** Characters in one cell (Excel's own limit is 32,767). */
  cellChars: 32_767,
} as const;

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 0)} MiB`;

/** The registry must be a file of a size this program can load. */
export function checkRegistryFile(path: string, info: Stats): void {
  if (info.isDirectory()) throw new CoopError('IO_FAILED', IO_TEXT.isDirectory(path));
  if (info.size > LIMITS.registryBytes) throw new CoopError('INPUT_UNREADABLE', T.registryTooLarge(path, mib(info.size), mib(LIMITS.registryBytes)));
}

/** An import file must be a file no larger than the limit. */
export function checkInputFile(path: string, info: Stats): void {
  if (info.isDirectory()) throw new CoopError('INPUT_UNREADABLE', IO_TEXT.isDirectory(path));
  if (!info.isFile()) throw new CoopError('INPUT_UNREADABLE', T.notAFile(path));
  if (info.size > LIMITS.fileBytes) throw new CoopError('INPUT_UNREADABLE', T.fileTooLarge(path, mib(info.size), mib(LIMITS.fileBytes)));
}

/** Help lines for `coop import --help`. */
export function limitHelp(): string[] {
  return T.help(mib(LIMITS.fileBytes), LIMITS.rows, LIMITS.columns, LIMITS.cellChars);
}
