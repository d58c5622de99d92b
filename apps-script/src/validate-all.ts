/**
 * 校验全部: every row of every sheet through the core's whole-registry rules — 合作单位, 合作项目, 年度评价 and
 * 成果登记 marked cell by cell, 审批记录's hash chain verified (anchor in the script's properties) and vouching for the ticks. A fixed number of batch calls: per
 * sheet one read of values (and notes), and at most one write of each.
 */
import { emptyRegistry, sheetSpec, validateRegistry, type Problem, type RegistryData } from '../../core/index.js';
import { readLogRows } from './log.js';
import { hasMark, INVALID_BACKGROUND, withMark } from './marks.js';
import { cachedSettingsRows, sheetOf } from './registry.js';
import { dataRows, readTable, rowCells, type Table } from './table.js';
import { NOTE_TEXT } from './text.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export interface ValidateAllResult {
  rows: number;
  problems: Problem[];
  settingsProblems: string[];
}

interface Read {
  table: Table;
  notes: string[][];
}

/** The sheets people type into: each is checked and marked cell by cell. */
const MARKED = ['partners', 'projects', 'evaluations', 'outcomes'] as const;
type MarkedKey = (typeof MARKED)[number];

function read(ss: Spreadsheet, key: MarkedKey): Read | null {
  const sheet = sheetOf(ss, key);
  if (!sheet) return null;
  const table = readTable(sheet, sheetSpec(key));
  // A sheet with only its header has no cell to mark: its notes are not worth a call.
  return { table, notes: table.values.length > 1 ? table.range.getNotes() : [] };
}

export function validateAll(ss: Spreadsheet): ValidateAllResult {
  const settingsRows = cachedSettingsRows(ss);
  const data: RegistryData = emptyRegistry();
  const reads = new Map<MarkedKey, Read>();
  for (const key of MARKED) {
    const r = read(ss, key);
    if (!r) continue;
    reads.set(key, r);
    data[key] = dataRows(r.table).map((row0) => ({ cells: rowCells(r.table, row0), sheetRow: row0 + 1 }));
  }
  // 审批记录 itself, with the chain anchor from the script's properties: a forged or edited row is named, and
  // every status, tick, meeting or signing cell is compared with what the verified log records. It is checked, never marked.
  data.reviewLog = readLogRows(ss);
  const report = validateRegistry({ ...data, settings: settingsRows.map((cells) => ({ cells })) });
  const settingsProblems = report.problems.filter((p) => p.sheet === sheetSpec('settings').name);
  const problems = report.problems.filter((p) => p.sheet !== sheetSpec('settings').name);
  for (const r of reads.values())
    writeMarks(
      r,
      problems.filter((p) => p.sheet === r.table.spec.name),
    );
  const rows = [...reads.keys()].reduce((n, key) => n + data[key].length, 0);
  return { rows, problems, settingsProblems: settingsProblems.map((p) => p.message) };
}

/** Writes notes and backgrounds only when some mark changed; backgrounds of the schema's cells are the system's. */
function writeMarks({ table, notes }: Read, problems: Problem[]): void {
  const byCell = new Map<string, string[]>();
  for (const p of problems) {
    const i = p.column === undefined ? undefined : table.index.get(p.column);
    if (p.row === undefined || i === undefined) continue;
    const key = `${p.row - 1},${i}`;
    byCell.set(key, [...(byCell.get(key) ?? []), NOTE_TEXT.problem(p.rule, p.message)]);
  }
  const schemaCols = [...table.keyIndex.values()];
  let notesChanged = false;
  let coloursChanged = false;
  const next = notes.map((row) => [...row]);
  for (let r0 = 1; r0 < table.values.length; r0++) {
    for (const c0 of schemaCols) {
      const old = notes[r0]?.[c0] ?? '';
      const lines = byCell.get(`${r0},${c0}`) ?? [];
      const note = withMark(old, 'invalid', lines);
      if (note !== old) {
        next[r0]![c0] = note;
        notesChanged = true;
      }
      if (hasMark(old, 'invalid') !== lines.length > 0) coloursChanged = true;
    }
  }
  if (notesChanged) table.range.setNotes(next);
  if (!coloursChanged) return;
  // One rectangle over the schema's columns; the header row keeps its own colours.
  const c1 = Math.min(...schemaCols);
  const c2 = Math.max(...schemaCols);
  const rows = table.values.length - 1;
  if (rows < 1) return;
  const grid = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: c2 - c1 + 1 }, (_, j) => (byCell.has(`${i + 1},${c1 + j}`) ? INVALID_BACKGROUND : null)),
  );
  table.sheet.getRange(2, c1 + 1, rows, c2 - c1 + 1).setBackgrounds(grid as string[][]);
}
