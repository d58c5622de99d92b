/**
 * Checks each file named for import before anything is read or locked: that it exists, is a file of a size we can
 * hold, and is not a zip package cut short (a copy interrupted, a mail attachment truncated).
 */
import { open, stat } from 'node:fs/promises';
import { CoopError } from '../../../core/errors.js';
import type { ImportedSheet } from '../excel/import-reader.js';
import { fsError } from './fs-errors.js';
import { LIMITS, checkInputFile } from './limits.js';
import { DIAGNOSIS_TEXT as T, LIMIT_TEXT } from './text.js';

/** A zip ends with its central directory's end record: 22 bytes plus a comment of at most 64 KiB. */
const EOCD_SIGNATURE = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const EOCD_SEARCH = 22 + 0xffff;

export async function checkImportInput(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw fsError(error, path, false);
  }
  checkInputFile(path, info);
  if (info.size < 4) return;
  let handle;
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
 * Refuses what was read of one file when it goes past the limits: too many rows over the whole import so far,
 * too many columns in a sheet, or a cell longer than Excel itself allows.
 */
export function checkImportedSheets(sheets: readonly ImportedSheet[], rowsBefore: number): number {
  let rows = rowsBefore;
  for (const sheet of sheets) {
    if (sheet.columns.length > LIMITS.columns) throw new CoopError('INPUT_UNREADABLE', LIMIT_TEXT.tooManyColumns(sheet.file, sheet.sheetName, sheet.columns.length, LIMITS.columns));
    rows += sheet.rows.length;
    if (rows > LIMITS.rows) throw new CoopError('INPUT_UNREADABLE', LIMIT_TEXT.tooManyRows(LIMITS.rows));
    for (const row of sheet.rows) {
      for (const [index, value] of row.original) {
        if (typeof value === 'string' && value.length > LIMITS.cellChars) {
          const header = sheet.columns.find((c) => c.index === index)?.header ?? String(index);
          throw new CoopError('INPUT_UNREADABLE', T.cellTooLong(sheet.file, sheet.sheetName, row.row, header, value.length, LIMITS.cellChars));
        }
      }
    }
  }
  return rows;
}
