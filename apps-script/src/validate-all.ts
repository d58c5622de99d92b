/**
 * 校验全部: every row of 合作单位 and 合作项目 through the core's whole-registry rules, marked cell by cell, and
 * 审批记录's hash chain. A fixed number of batch calls: per sheet one read of values and notes, at most one write of each.
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

function read(ss: Spreadsheet, key: 'projects' | 'partners'): Read | null {
  const sheet = sheetOf(ss, key);
  if (!sheet) return null;
  const table = readTable(sheet, sheetSpec(key));
  return { table, notes: table.range.getNotes() };
}

export function validateAll(ss: Spreadsheet): ValidateAllResult {
  const settingsRows = cachedSettingsRows(ss);
  const projects = read(ss, 'projects');
  const partners = read(ss, 'partners');
  const data: RegistryData = emptyRegistry();
  for (const [key, r] of [['projects', projects], ['partners', partners]] as const) {
    if (!r) continue;
    data[key] = dataRows(r.table).map((row0) => ({ cells: rowCells(r.table, row0), sheetRow: row0 + 1 }));
  }
  // 审批记录 itself, with the chain anchor from the script's properties: a forged or edited row is named, and
  // every status, tick, meeting or signing cell is compared with what the verified log records.
  data.reviewLog = readLogRows(ss);
  // Evaluations and outcomes are checked as they are typed; here only the two sheets the office reviews in bulk.
  const report = validateRegistry({ ...data, settings: settingsRows.map((cells) => ({ cells })) });
  const settingsProblems = report.problems.filter((p) => p.sheet === sheetSpec('settings').name);
  const logName = sheetSpec('reviewLog').name;
  const problems = report.problems.filter(
    (p) => p.sheet === projects?.table.spec.name || p.sheet === partners?.table.spec.name || (p.sheet === logName && (p.rule === '校验链' || p.rule === '签名')),
  );
  for (const r of [projects, partners]) if (r) writeMarks(r, problems.filter((p) => p.sheet === r.table.spec.name));
  return { rows: data.projects.length + data.partners.length, problems, settingsProblems: settingsProblems.map((p) => p.message) };
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
