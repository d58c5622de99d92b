/**
 * Input size limits, chosen from measured memory use (`npm run bench import-large`, docs/开发者指南.md, "Failures and outputs"): beyond
 * them a run would exhaust Node's heap minutes in and abort without a word, so they are refused up front with a message.
 */
import type { Stats } from 'node:fs';
import { CoopError } from '../../../core/errors.js';
import { IO_TEXT, LIMIT_TEXT as T } from './text.js';

/** A positive whole number from the environment, else the default: developers and benchmarks raise the limits this way. */
function fromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * Measured on `npm run bench import-large` (docs/开发者指南.md, "Failures and outputs"). With the whole-workbook store,
 * 100,000 rows (a 6.4 MiB .xlsx) took ~3.8 GiB and the limit was 50,000 rows. With the change-only store (issue 16)
 * the same import peaks at ~1.26 GiB (25,000 rows 0.44 GiB, 50,000 0.64 GiB), well inside what Node gets on an 8 GB
 * office PC: 100,000 rows per import, and 8 MiB per file (~125,000 rows of plain cells). Since the import writes new
 * rows as it goes, 100,000 rows peak at ~0.32 GiB; the row limit stays, because a registry that took them costs every
 * later command in proportion (`coop validate` on it: ~1.4 GiB) and the file limit binds near 125,000 rows anyway.
 */
export const LIMITS = {
  /** One import file on disk. */
  fileBytes: fromEnv('COOP_IMPORT_MAX_BYTES', 8 * 2 ** 20),
  /** The registry file on disk: every sheet part is inflated whole to be read (a write re-deflates only what changed). */
  registryBytes: fromEnv('COOP_REGISTRY_MAX_BYTES', 16 * 2 ** 20),
  /** Data rows in one import, over all files and sheets. */
  rows: fromEnv('COOP_IMPORT_MAX_ROWS', 100_000),
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
