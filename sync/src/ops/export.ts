/** `coop export` as an operation: reads the registry and writes the archive workbook atomically (and its PDF on request). */
import { CoopError, STATUSES, schoolDate } from '../../../core/index.js';
import { buildArchive, filtersInWords, type ArchiveFilters } from '../excel/archive.js';
import { ARCHIVE_TEXT } from '../excel/text.js';
import { InputError } from '../io/input-error.js';
import { OUTPUT_TEXT } from '../io/text.js';
import { guardPrintedOutput, readForPrint, writePrinted } from './printed.js';

export const defaultArchiveName = (now: Date, year?: number): string => `合作交流档案-${year ?? schoolDate(now).slice(0, 4)}.xlsx`;

export interface ExportResult {
  path: string;
  pdfPath?: string;
  digest: string;
  counts: Record<string, number>;
}

export function checkFilters(filters: ArchiveFilters): void {
  if (filters.year !== undefined && !(Number.isInteger(filters.year) && filters.year >= 2000 && filters.year <= 2100)) {
    throw new InputError('USAGE', 'year', ARCHIVE_TEXT.badYear);
  }
  if (filters.status !== undefined && !(STATUSES as readonly string[]).includes(filters.status)) {
    throw new InputError('USAGE', 'status', ARCHIVE_TEXT.badStatus);
  }
}

/** A filtered export that matches no project writes nothing and says so: an empty archive filed by mistake is worse than none. */
export async function exportArchive(registry: string, out: string, now: Date, filters: ArchiveFilters, options: { pdf?: boolean } = {}): Promise<ExportResult> {
  checkFilters(filters);
  await guardPrintedOutput(registry, out, OUTPUT_TEXT.archive, 'archive');
  const { data, settings, today, pdf } = await readForPrint(registry, now, options.pdf === true);
  // COOP_ARCHIVE_ROWS=exceljs writes the long sheets through exceljs's row objects, as before issue 16 (same workbook, slower).
  const rows = process.env.COOP_ARCHIVE_ROWS === 'exceljs' ? 'exceljs' : 'raw';
  const { write, digest, counts, projects } = buildArchive(data, settings, now, today, filters, { rows });
  if (projects === 0 && (filters.year !== undefined || filters.status !== undefined)) {
    await pdf?.close();
    throw new CoopError('VALIDATION', ARCHIVE_TEXT.empty(filtersInWords(filters)));
  }
  let bytes: Uint8Array;
  try {
    bytes = await write();
  } catch (error) {
    await pdf?.close();
    throw error;
  }
  return { path: out, digest, counts, ...(await writePrinted(out, bytes, pdf)) };
}
