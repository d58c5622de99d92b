/** `coop import` as an operation: reads department workbooks, merges them into the registry, reports every row's fate. */
import { basename, resolve } from 'node:path';
import { deriveColumns, isOfficeStaff, readSettings, schoolDate, type Problem, type RegistryData } from '../../../core/index.js';
import { readImportFile, type ImportedRow, type ImportedSheet } from '../excel/import-reader.js';
import { rejectsWorkbook } from '../excel/rejects.js';
import { IMPORT_TEXT as T } from '../excel/text.js';
import { asNamed, checkImportInput, checkImportRows, checkImportedSheets, nameSheets, openInputName, type InputFile } from '../io/input-files.js';
import { InputError } from '../io/input-error.js';
import { guardOutputs, registryFiles } from '../io/output-paths.js';
import { OUTPUT_TEXT } from '../io/text.js';
import { prepareFile, type PreparedFile } from '../stores/atomic-file.js';
import { refuseIfOpenInOffice } from '../stores/office-locks.js';
import { openStore } from '../stores/open.js';
import type { RowAppend, UpdateResult } from '../stores/store.js';
import { countVerdicts, importMerger, type Counts, type RowNote, type RowVerdict } from './import-merge.js';
import { localOperator } from './operator.js';
import type { OnProgress } from './progress.js';
import { applyWorkflowToData, refusalError, requireActor } from './workflow.js';

export const DEFAULT_REJECTS = '导入问题.xlsx';

/** A dry run writes nothing: new rows past the first few thousand are counted and dropped, as a real run would write them away. */
const DISCARD: RowAppend = { append: () => true };

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
  /** 历史登记: rows with 协议编号 and 签署日期 become 已生效 projects, each logged; office staff only. */
  historical?: boolean;
  /** Who imports (e-mail); required with `historical`. */
  actor?: string;
  /** New rows held before the rest are written as they come (see APPEND_AFTER in import-merge.ts). */
  appendAfter?: number;
  onProgress?: OnProgress<'file' | 'merge' | 'note'>;
}

export interface RejectedReport {
  file: string;
  sheet: string;
  row: number;
  problems: Problem[];
}

export interface ImportResult {
  counts: Counts;
  /** What was reported about rows that landed: cells an import may not change (ignored), and reminders. */
  rowNotes: { file: string; note: RowNote }[];
  /** Sheets with data but no recognisable header, one message each. */
  unrecognised: string[];
  /** Partners registered from the partner columns of project rows. */
  partnersFromRows: number;
  /** Projects registered as 历史登记 (signed before the system). */
  historical: number;
  bySheet: Record<string, Counts>;
  rejected: RejectedReport[];
  /** Whether the registry was written. */
  written: boolean;
  /** New rows written as they were merged rather than held until the write (large imports; see APPEND_AFTER). */
  appended: number;
  rejectsFile?: string;
  notes: string[];
}

export async function importFiles(options: ImportOptions): Promise<ImportResult> {
  const inputs: InputFile[] = [];
  try {
    for (const file of options.files) inputs.push(await openInputName(file));
    return await importInputs(options, inputs);
  } finally {
    for (const input of inputs) await input.release();
  }
}

async function importInputs(options: ImportOptions, inputs: readonly InputFile[]): Promise<ImportResult> {
  const emit = options.onProgress ?? (() => {});
  // Every input is checked (exists, is a file, size, not cut short) before the registry is locked or anything read.
  for (const input of inputs) await asNamed(input, checkImportInput);
  const rejectsPath = resolve(options.rejectsPath ?? DEFAULT_REJECTS);
  // A rejects path that is the registry or one of the files being imported would destroy it: refuse before any work.
  if (!options.dryRun) {
    await guardOutputs(
      [{ path: rejectsPath, role: OUTPUT_TEXT.rejectsWorkbook, input: 'rejects', kind: 'rejects' }],
      [...registryFiles(options.registry), ...options.files.map((file) => ({ path: file, role: OUTPUT_TEXT.input }))],
    );
    await refuseIfOpenInOffice(rejectsPath, OUTPUT_TEXT.rejectsWorkbook);
  }
  const store = openStore(options.registry);
  const actor = options.historical ? requireActor(options.actor) : undefined;
  const operator = localOperator();
  const notes: string[] = [];
  const unrecognised: string[] = [];
  const partnersFromRows: RowVerdict[] = [];
  let historicalCount = 0;
  let appended = 0;
  // The rejects workbook is written (to a temp file beside its target) before the registry, so a full disk or a
  // missing folder stops the import with both files as they were; it is renamed into place once the registry is written.
  let rejects: PreparedFile | undefined;
  // The files are read with the registry's own lists (dropdown values are matched against them), and any unreadable
  // file aborts the whole run before anything is written.
  const merge = async (data: RegistryData, append?: RowAppend): Promise<UpdateResult<RowVerdict[]>> => {
    // The shared sheet runs this again on fresh data after a concurrent edit: start each run afresh.
    notes.length = 0;
    unrecognised.length = 0;
    partnersFromRows.length = 0;
    historicalCount = 0;
    await rejects?.discard();
    rejects = undefined;
    const { settings } = readSettings(data);
    if (actor && !isOfficeStaff(settings, actor)) throw new InputError('WORKFLOW_REFUSED', 'historical', T.historicalOfficeOnly(actor));
    // Statuses as readers see them (an archive shows 已到期 for a lapsed agreement), so re-imported archives match.
    deriveColumns(data, schoolDate(options.now));
    // Each row is merged as it is read, so a large file is never held whole (rows naming a partner still to come wait).
    const merger = importMerger(data, settings, options.now, {
      historical: Boolean(actor),
      streaming: true,
      ...(append ? { append } : {}),
      ...(options.appendAfter ? { appendAfter: options.appendAfter } : {}),
      partnersFromRows,
      onProgress: (p) => emit({ step: 'merge', ...p }),
    });
    for (const [i, input] of inputs.entries()) {
      const file = input.display;
      const before = merger.rows;
      const seen = new Set<ImportedSheet>();
      const onRow = async (sheet: ImportedSheet, row: ImportedRow): Promise<void> => {
        if (!seen.has(sheet)) {
          seen.add(sheet);
          nameSheets([sheet], input);
          checkImportedSheets([sheet], merger.rows);
        }
        row.file = sheet.file;
        checkImportRows(merger.rows + 1);
        await merger.add(sheet, row);
      };
      const read = await asNamed(input, (path) =>
        readImportFile(path, settings, { onRow, ...(options.stream === undefined ? {} : { stream: options.stream }) }),
      );
      for (const sheet of read.sheets) if (!seen.has(sheet)) checkImportedSheets([sheet], merger.rows);
      notes.push(...read.notes.map((n) => `${file}：${n}`));
      unrecognised.push(...read.unrecognised.map((n) => `${file}：${n}`));
      emit({ step: 'file', file, done: i + 1, total: options.files.length, rows: merger.rows - before });
    }
    for (const n of notes) emit({ step: 'note', message: n });
    const merged = await merger.finish();
    appended = merger.appended;
    for (const v of merged) {
      if (!v.historical || v.outcome !== 'inserted' || !actor) continue;
      // Through the state machine, like every status change: it checks the office and writes the 历史登记 log row.
      const outcome = applyWorkflowToData(
        data,
        [String(v.target!.cells.projectId)],
        { type: 'historical', ...v.historical, source: basename(v.row.file) },
        actor,
        options.now,
        store.location,
        operator,
      );
      if (!outcome.ok) throw refusalError(outcome.refusals, 1);
      historicalCount++;
    }
    const counts = countVerdicts(merged);
    deriveColumns(data, schoolDate(options.now));
    const refused = merged.filter((v) => v.outcome === 'rejected');
    if (refused.length && !options.dryRun) {
      const workbook = await rejectsWorkbook(
        refused.map((v) => ({ sheet: v.sheet, row: v.row, problems: v.problems })),
        options.now,
      );
      rejects = await prepareFile(rejectsPath, workbook);
    }
    const write = !options.dryRun && counts.inserted + counts.updated > 0 && !(options.strict && counts.rejected > 0);
    return { result: merged, write };
  };

  let verdicts: RowVerdict[];
  try {
    // A dry run reads without the write lock, so it works on a read-only registry and beside a running import.
    verdicts = options.dryRun ? (await merge(await store.read(), DISCARD)).result : await store.update(merge);
    await rejects?.commit();
  } catch (error) {
    await rejects?.discard();
    throw error;
  }

  const counts = countVerdicts(verdicts);
  const written = !options.dryRun && counts.inserted + counts.updated > 0 && !(options.strict && counts.rejected > 0);
  const rejectedVerdicts = verdicts.filter((v) => v.outcome === 'rejected');
  const result: ImportResult = {
    counts,
    rowNotes: [...partnersFromRows, ...verdicts].flatMap((v) => v.notes.map((note) => ({ file: v.row.file, note }))),
    unrecognised,
    partnersFromRows: partnersFromRows.length,
    historical: historicalCount,
    bySheet: bySheet(verdicts),
    rejected: rejectedVerdicts.map((v) => ({ file: v.row.file, sheet: v.sheet.sheetName, row: v.row.row, problems: v.problems })),
    written,
    appended,
    notes,
  };
  if (rejects) result.rejectsFile = rejectsPath;
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
