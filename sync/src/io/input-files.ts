/**
 * Checks each file named for import before anything is read or locked: that it exists, is a file of a size we can
 * hold, and is not a zip package cut short (a copy interrupted, a mail attachment truncated).
 */
import type { Stats } from 'node:fs';
import { copyFile, type FileHandle, link, mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { CoopError } from '../../../core/errors.js';
import type { ImportedSheet } from '../excel/import-reader.js';
import { fsError } from './fs-errors.js';
import { LIMITS, checkInputFile } from './limits.js';
import { DIAGNOSIS_TEXT as T, LIMIT_TEXT } from './text.js';

/** A zip ends with its central directory's end record: 22 bytes plus a comment of at most 64 KiB. */
const EOCD_SIGNATURE = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const EOCD_SEARCH = 22 + 0xffff;

export async function checkImportInput(path: string): Promise<void> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    throw fsError(error, path, false);
  }
  checkInputFile(path, info);
  if (info.size < 4) return;
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fsError(error, path, false);
  }
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (head[0] !== 0x50 || head[1] !== 0x4b) return;
    const length = Math.min(info.size, EOCD_SEARCH);
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, info.size - length);
    if (!tail.includes(EOCD_SIGNATURE)) throw new CoopError('INPUT_UNREADABLE', T.truncated(path));
  } finally {
    await handle.close();
  }
}

/**
 * Refuses what was read of one file when it goes past the limits: too many rows over the whole import so far, or too
 * many columns in a sheet. A cell longer than Excel allows is not a reason to refuse the file: the row validation
 * rejects that one row, naming the cell, and the others land.
 */
export function checkImportedSheets(sheets: readonly ImportedSheet[], rowsBefore: number): number {
  let rows = rowsBefore;
  for (const sheet of sheets) {
    if (sheet.columns.length > LIMITS.columns)
      throw new CoopError('INPUT_UNREADABLE', LIMIT_TEXT.tooManyColumns(sheet.file, sheet.sheetName, sheet.columns.length, LIMITS.columns));
    rows += sheet.rows.length;
    checkImportRows(rows);
  }
  return rows;
}

/** Refuses an import once it has read more rows than the limit (a streamed import checks as each row comes). */
export function checkImportRows(rows: number): void {
  if (rows > LIMITS.rows) throw new CoopError('INPUT_UNREADABLE', LIMIT_TEXT.tooManyRows(LIMITS.rows));
}

/** An input as the reader opens it, and as messages name it; `release` removes any stand-in made for it. */
export interface InputFile {
  display: string;
  readPath: string;
  release(): Promise<void>;
}

/**
 * Finds a file whose name is not UTF-8 (a GBK name from a Chinese Windows zip, a USB stick): Node hands such a name
 * over with U+FFFD in place of each undecodable byte, so the file looks missing. The folder is listed as raw bytes,
 * the one entry that decodes to the same text is taken, and the reader gets a link to it under a UTF-8 name;
 * messages name it as GBK reads it.
 */
export async function openInputName(path: string): Promise<InputFile> {
  const plain: InputFile = { display: path, readPath: path, release: async () => {} };
  if (
    !path.includes('\uFFFD') ||
    (await stat(path).then(
      () => true,
      () => false,
    ))
  )
    return plain;
  const entries = await readdir(dirname(path), { encoding: 'buffer' }).catch(() => [] as Buffer[]);
  const matches = entries.filter((entry) => entry.toString('utf8') === basename(path));
  if (matches.length !== 1) return plain;
  const raw = Buffer.concat([Buffer.from(`${dirname(path)}/`), matches[0]!]);
  const folder = await mkdtemp(join(tmpdir(), 'coop-input-'));
  const standIn = join(folder, `input${extname(path)}`);
  await link(raw, standIn).catch(() => copyFile(raw, standIn));
  return {
    display: join(dirname(path), chineseName(matches[0]!) ?? basename(path)),
    readPath: standIn,
    release: () => rm(folder, { recursive: true, force: true }),
  };
}

/** A non-UTF-8 name read as GB18030 (a superset of GBK), the encoding Chinese Windows writes; null when it is not that either. */
function chineseName(raw: Buffer): string | null {
  try {
    return new TextDecoder('gb18030', { fatal: true }).decode(raw);
  } catch {
    return null;
  }
}

/** Runs `work` on the reader's path and gives every error and every row the name the person typed. */
export async function asNamed<T>(input: InputFile, work: (readPath: string) => Promise<T>): Promise<T> {
  if (input.readPath === input.display) return work(input.readPath);
  try {
    return await work(input.readPath);
  } catch (error) {
    if (!(error instanceof CoopError)) throw error;
    const fix = (text: string) => text.split(input.readPath).join(input.display);
    throw new CoopError(error.code, fix(error.message), error.details.map(fix));
  }
}

/** The rows of a file read through a stand-in, named after the file itself. */
export function nameSheets(sheets: readonly ImportedSheet[], input: InputFile): void {
  if (input.readPath === input.display) return;
  for (const sheet of sheets) {
    sheet.file = input.display;
    for (const row of sheet.rows) row.file = input.display;
  }
}
