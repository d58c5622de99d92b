/** `coop import` as an operation: reads department workbooks, merges them into the registry, reports every row's fate. */
import { resolve } from 'node:path';
import { deriveColumns, readSettings, schoolDate, type Problem } from '../../../core/index.js';
import { readImportFile, type ImportedSheet } from '../excel/import-reader.js';
import { rejectsWorkbook } from '../excel/rejects.js';
import { IMPORT_TEXT as T } from '../excel/text.js';
import { writeFileAtomic } from '../stores/atomic-file.js';
import { openStore } from '../stores/open.js';
import { countVerdicts, mergeImport, type Counts, type RowVerdict } from './import-merge.js';

export const DEFAULT_REJECTS = '导入问题.xlsx';

export type ImportEvent =
  | { type: 'file'; file: string; index: number; total: number; rows: number }
  | { type: 'merge'; done: number; total: number }
  | { type: 'note'; message: string };

export interface ImportOptions {
  files: readonly string[];
  registry: string;
  now: Date;
  dryRun?: boolean;
  strict?: boolean;
  /** Where refused rows go; defaults to 导入问题.xlsx in the working directory. */
  rejectsPath?: string;
  /** Stream the files rather than load them whole; by default only large files are streamed (see readImportFile). */
  stream?: boolean;
  onEvent?: (e: ImportEvent) => void;
}

export interface RejectedReport {
  file: string;
  sheet: string;
  row: number;
  problems: Problem[];
}

export interface ImportResult {
  counts: Counts;
  bySheet: Record<string, Counts>;
  rejected: RejectedReport[];
  /** Whether the registry was written. */
  written: boolean;
  rejectsFile?: string;
  notes: string[];
}

export async function importFiles(options: ImportOptions): Promise<ImportResult> {
  const emit = options.onEvent ?? (() => {});
  const store = openStore(options.registry);
  const notes: string[] = [];
  // One locked read-modify-write: the files are read with the registry's own lists (dropdown values are matched
  // against them), and any unreadable file aborts the whole run before anything is written.
  const verdicts = await store.update(async (data) => {
    // The shared sheet runs this again on fresh data after a concurrent edit: start each run afresh.
    notes.length = 0;
    const { settings } = readSettings(data);
    const sheets: ImportedSheet[] = [];
    for (const [i, file] of options.files.entries()) {
      const read = await readImportFile(file, settings, options.stream === undefined ? {} : { stream: options.stream });
      sheets.push(...read.sheets);
      notes.push(...read.notes.map((n) => `${file}：${n}`));
      emit({ type: 'file', file, index: i + 1, total: options.files.length, rows: read.sheets.reduce((n, s) => n + s.rows.length, 0) });
    }
    for (const n of notes) emit({ type: 'note', message: n });
    // Statuses as readers see them (an archive shows 已到期 for a lapsed agreement), so re-imported archives match.
    deriveColumns(data, schoolDate(options.now));
    const merged = await mergeImport(data, sheets, settings, options.now, (p) => emit({ type: 'merge', ...p }));
    const counts = countVerdicts(merged);
    deriveColumns(data, schoolDate(options.now));
    const write = !options.dryRun && counts.inserted + counts.updated > 0 && !(options.strict && counts.rejected > 0);
    return { result: merged, write };
  });

  const counts = countVerdicts(verdicts);
  const written = !options.dryRun && counts.inserted + counts.updated > 0 && !(options.strict && counts.rejected > 0);
  const rejectedVerdicts = verdicts.filter((v) => v.outcome === 'rejected');
  const result: ImportResult = {
    counts,
    bySheet: bySheet(verdicts),
    rejected: rejectedVerdicts.map((v) => ({ file: v.row.file, sheet: v.sheet.sheetName, row: v.row.row, problems: v.problems })),
    written,
    notes,
  };
  if (rejectedVerdicts.length && !options.dryRun) {
    const path = resolve(options.rejectsPath ?? DEFAULT_REJECTS);
    const workbook = rejectsWorkbook(rejectedVerdicts.map((v) => ({ sheet: v.sheet, row: v.row, problems: v.problems })));
    await writeFileAtomic(path, new Uint8Array(await workbook.xlsx.writeBuffer()));
    result.rejectsFile = path;
  }
  if (options.strict && counts.rejected > 0) {
    result.notes.push(T.strictAborted(counts.rejected));
  }
  return result;
}

function bySheet(verdicts: readonly RowVerdict[]): Record<string, Counts> {
  const out: Record<string, Counts> = {};
  for (const v of verdicts) {
    const name = v.sheet.spec.name;
    out[name] ??= { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
    out[name].read += 1;
    out[name][v.outcome] += 1;
  }
  return out;
}
