/**
 * The registry as grids of Sheets values, and the pure logic of a safe write: what changed since the read,
 * where each changed row stands now (rows move while people edit), and whether anyone else touched it.
 */
import {
  REGISTRY_SHEETS,
  emptyRegistry,
  reviewStampNote,
  type CellValue,
  type ColumnSpec,
  type RawCells,
  type RegistryData,
  type RegistryRow,
  type SheetKey,
  type SheetSpec,
} from '../../../core/index.js';
import { quoteSheet, columnLetters, readSheetValue, sameCell, sheetValueFor, type SheetValue } from './cells.js';
import { GSHEET_TEXT as T } from './text.js';
import { headerPositions as headerColumns } from '../util/headers.js';

/** One sheet as read: its header positions and its data rows (1-based sheet rows). */
export interface SheetTable {
  spec: SheetSpec;
  /** Header text → 0-based column, as the sheet has it now. */
  headers: Map<string, number>;
  rows: RegistryRow[];
  /** Last non-empty 1-based row (1 when only the header row exists). */
  lastRow: number;
}

export type RegistryTables = Record<SheetKey, SheetTable>;

/** Missing headers of a sheet, in schema order. */
export function missingHeaders(spec: SheetSpec, headers: Map<string, number>): string[] {
  return spec.columns.filter((c) => !headers.has(c.header)).map((c) => c.header);
}

export function headerPositions(values: readonly (readonly SheetValue[])[]): Map<string, number> {
  return headerColumns((values[0] ?? []).entries());
}

/** Parses a sheet's grid (values[0] is the header row) into rows the core reads, columns found by header text. */
export function parseTable(spec: SheetSpec, values: readonly (readonly SheetValue[])[], location: string): SheetTable {
  const headers = headerPositions(values);
  const missing = missingHeaders(spec, headers);
  if (missing.length) throw Object.assign(new Error(T.missingHeaders(location, spec.name, missing)), { layout: true });
  const rows: RegistryRow[] = [];
  let lastRow = 1;
  for (let r = 1; r < values.length; r++) {
    const raw = values[r] ?? [];
    if (!raw.some((v) => v !== '' && v !== null && v !== undefined)) continue;
    lastRow = r + 1;
    const cells: RawCells = {};
    let anyKnown = false;
    for (const c of spec.columns) {
      const value = readSheetValue(raw[headers.get(c.header)!], c);
      cells[c.key] = value;
      if (value !== null && value !== false) anyKnown = true;
    }
    // A row holding only user columns is still a row (its place must not be taken by an append), but not a record.
    if (anyKnown) rows.push({ cells, sheetRow: r + 1 });
  }
  return { spec, headers, rows, lastRow };
}

export function toRegistryData(tables: RegistryTables): RegistryData {
  const data = emptyRegistry();
  for (const spec of REGISTRY_SHEETS) data[spec.key] = tables[spec.key].rows.map((r) => ({ ...r, cells: { ...r.cells } }));
  return data;
}

/** What a command changed, sheet by sheet, before any position is known. */
export interface SheetChanges {
  spec: SheetSpec;
  /** Rows that were read and now differ (or are to be blanked: a removed row whose place no new row took). */
  updates: { sheetRow: number; original: RawCells; after: RawCells }[];
  /**
   * New rows, appended below whatever is last at write time. `copiesAtRead` counts identical rows the read
   * already held, so a retry can tell its own earlier append (applied, answer lost) from someone else's row.
   */
  appends: { row: RegistryRow; copiesAtRead: number }[];
}

/** Compares the data after a change with the snapshot taken at the read. */
export function diffRegistry(before: RegistryTables, after: RegistryData): SheetChanges[] {
  const out: SheetChanges[] = [];
  for (const spec of REGISTRY_SHEETS) {
    const originals = new Map(before[spec.key].rows.map((r) => [r.sheetRow!, r.cells]));
    const kept = new Set<number>();
    const changes: SheetChanges = { spec, updates: [], appends: [] };
    const fresh: RegistryRow[] = [];
    for (const row of after[spec.key]) {
      const original = row.sheetRow === undefined ? undefined : originals.get(row.sheetRow);
      if (!original || kept.has(row.sheetRow!)) {
        fresh.push(row);
        continue;
      }
      kept.add(row.sheetRow!);
      if (spec.columns.some((c) => !sameCell(original[c.key], row.cells[c.key], c)))
        changes.updates.push({ sheetRow: row.sheetRow!, original, after: row.cells });
    }
    // A removed row's place goes to the next new row (設置 rewritten in full keeps its places); leftovers are blanked.
    const freed = [...originals.keys()].filter((r) => !kept.has(r)).sort((a, b) => a - b);
    for (const sheetRow of freed) {
      const original = originals.get(sheetRow)!;
      const row = fresh.shift();
      const after = row?.cells ?? Object.fromEntries(spec.columns.map((c) => [c.key, c.type === 'checkbox' ? false : null]));
      if (row) row.sheetRow = sheetRow;
      if (spec.columns.some((c) => !sameCell(original[c.key], after[c.key], c))) changes.updates.push({ sheetRow, original, after });
    }
    if (fresh.length) {
      const copies = countByKey(spec, before[spec.key].rows);
      for (const row of fresh) changes.appends.push({ row, copiesAtRead: copies.get(rowKey(spec, row.cells)) ?? 0 });
    }
    if (changes.updates.length || changes.appends.length) out.push(changes);
  }
  return out;
}

/** One contiguous run of cells to write. */
export interface RangeWrite {
  range: string;
  values: SheetValue[][];
}

/** Cells whose number format must be (re)applied, by sheet and 0-based column, as 1-based row runs. */
export interface FormatRun {
  sheet: string;
  column: ColumnSpec;
  col: number;
  fromRow: number;
  toRow: number;
}

/** A cell note to set: the review stamp beside a logged tick, or none once the tick is gone. */
export interface NoteWrite {
  sheet: string;
  /** 1-based row and 0-based column, as the format runs. */
  row: number;
  col: number;
  note: string;
}

/** One new row as cells from column A to the sheet's last schema column (null: a user's own column, left blank). */
export interface AppendCell {
  value: SheetValue;
  column: ColumnSpec;
  note?: string;
}

/** One contiguous run of cells of one row (or rows stacked over the same columns), located as the check read found it. */
export interface CellRun {
  sheet: string;
  /** 1-based first row. */
  row: number;
  /** 0-based first and last column. */
  first: number;
  last: number;
  values: SheetValue[][];
}

export interface PlacedWrite {
  /** Changed cells of existing rows. */
  runs: CellRun[];
  /** New rows per sheet, for an append that finds the sheet's last row when Google applies it. */
  appends: { sheet: string; rows: (AppendCell | null)[][] }[];
  formats: FormatRun[];
  notes: NoteWrite[];
  cells: number;
}

/** Whether a placed write has nothing left to send (e.g. a retry whose first attempt did land). */
export function isEmptyWrite(placed: PlacedWrite): boolean {
  return !placed.runs.length && !placed.appends.length && !placed.notes.length;
}

/** Someone else changed the sheet between the read and the write in a way this write must not paper over. */
export class WriteConflict extends Error {
  constructor(readonly reasons: string[]) {
    super(reasons.join('；'));
  }
}

function rowKey(spec: SheetSpec, cells: RawCells): string {
  return JSON.stringify(spec.columns.map((c) => cells[c.key] ?? (c.type === 'checkbox' ? false : null)));
}

function countByKey(spec: SheetSpec, rows: readonly RegistryRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = rowKey(spec, r.cells);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function sameRow(spec: SheetSpec, a: RawCells, b: RawCells): boolean {
  return spec.columns.every((c) => sameCell(a[c.key], b[c.key], c));
}

/**
 * Columns someone else changed since the read. A column already holding this write's own value is not theirs:
 * that is this write having landed on an earlier attempt whose answer was lost.
 */
function editedByOthers(spec: SheetSpec, now: RawCells, original: RawCells, after: RawCells): string[] {
  return spec.columns
    .filter((c) => !sameCell(now[c.key], original[c.key], c) && !(sameCell(now[c.key], after[c.key], c) && !sameCell(original[c.key], after[c.key], c)))
    .map((c) => c.header);
}

/**
 * Finds where each changed row stands in the sheet as it is now and checks nobody edited it since the read;
 * then lays the changes out as cell runs and appends. Cells that already hold the new value are not sent again,
 * so placing after an attempt whose answer was lost finds nothing left to do. Throws WriteConflict rather than
 * overwrite anyone's edit.
 */
export function placeChanges(changes: SheetChanges[], current: RegistryTables): PlacedWrite {
  const placed: PlacedWrite = { runs: [], appends: [], formats: [], notes: [], cells: 0 };
  const runs: CellRun[] = [];
  const conflicts: string[] = [];
  // API writes fire no triggers, so the stamp the sheet's edit trigger puts beside a tick is written here,
  // from the 审查通过 entry appended in the same write (the sheet's 校验全部 reads stamps as logged ticks).
  const stamps = new Map<string, string>();
  for (const c of changes) {
    if (c.spec.key !== 'reviewLog') continue;
    for (const { row } of c.appends) {
      const e = row.cells;
      if (e.action === '审查通过') stamps.set(`${e.projectId}|${e.body}`, reviewStampNote(String(e.body), String(e.actor), String(e.time)));
    }
  }
  const noteFor = (spec: SheetSpec, key: string, cells: RawCells): string | undefined => {
    const department = spec.columns.find((c) => c.key === key)?.reviewDepartment;
    if (!department) return undefined;
    return cells[key] === true ? stamps.get(`${cells.projectId}|${department}`) : '';
  };
  for (const { spec, updates, appends } of changes) {
    const table = current[spec.key];
    const title = spec.name;
    const idKey = spec.idColumn;
    const byId = new Map<string, RegistryRow[]>();
    if (idKey) for (const row of table.rows) if (row.cells[idKey]) byId.set(String(row.cells[idKey]), [...(byId.get(String(row.cells[idKey])) ?? []), row]);
    const bySheetRow = new Map(table.rows.map((r) => [r.sheetRow!, r]));
    for (const u of updates) {
      const id = idKey ? u.original[idKey] : null;
      let target: RegistryRow | undefined;
      if (idKey && id) {
        const holders = byId.get(String(id)) ?? [];
        if (holders.length !== 1) {
          conflicts.push(holders.length ? T.conflictDuplicate(title, String(id)) : T.conflictDeleted(title, String(id)));
          continue;
        }
        target = holders[0];
      } else {
        const same = bySheetRow.get(u.sheetRow);
        if (same && (sameRow(spec, same.cells, u.original) || sameRow(spec, same.cells, u.after))) target = same;
        else {
          for (const wanted of [u.original, u.after]) {
            const key = rowKey(spec, wanted);
            const matches = table.rows.filter((r) => rowKey(spec, r.cells) === key);
            if (matches.length === 1) target = matches[0];
            if (target) break;
          }
        }
        if (!target) {
          conflicts.push(T.conflictMoved(title, u.sheetRow));
          continue;
        }
      }
      const edited = editedByOthers(spec, target!.cells, u.original, u.after);
      if (edited.length) {
        conflicts.push(T.conflictEdited(title, target!.sheetRow!, id ? String(id) : null, edited));
        continue;
      }
      const keys = spec.columns.filter((c) => !sameCell(target!.cells[c.key], u.after[c.key], c)).map((c) => c.key);
      layoutRow(placed, runs, spec, table.headers, target!.sheetRow!, u.after, keys);
      for (const key of keys) {
        const note = noteFor(spec, key, u.after);
        if (note !== undefined)
          placed.notes.push({ sheet: title, row: target!.sheetRow!, col: table.headers.get(spec.columns.find((c) => c.key === key)!.header)!, note });
      }
    }
    const copiesNow = appends.length ? countByKey(spec, table.rows) : new Map<string, number>();
    const rows: (AppendCell | null)[][] = [];
    const width = Math.max(...spec.columns.map((c) => table.headers.get(c.header)!)) + 1;
    for (const a of appends) {
      const id = idKey ? a.row.cells[idKey] : null;
      const key = rowKey(spec, a.row.cells);
      // More identical rows than the read saw: this append already landed (its answer was lost); don't add it twice.
      const landed = (copiesNow.get(key) ?? 0) > a.copiesAtRead;
      if (landed) {
        copiesNow.set(key, copiesNow.get(key)! - 1);
        continue;
      }
      if (id && byId.has(String(id))) {
        conflicts.push(T.conflictIdTaken(title, String(id)));
        continue;
      }
      const cells: (AppendCell | null)[] = Array.from({ length: width }, () => null);
      for (const c of spec.columns) {
        const value = a.row.cells[c.key] as CellValue;
        const note = noteFor(spec, c.key, a.row.cells);
        cells[table.headers.get(c.header)!] = { value: sheetValueFor(value, c), column: c, ...(note ? { note } : {}) };
        placed.cells++;
      }
      rows.push(cells);
    }
    if (rows.length) placed.appends.push({ sheet: title, rows });
  }
  if (conflicts.length) throw new WriteConflict(conflicts);
  mergeFormatRuns(placed);
  placed.runs = mergeRuns(runs);
  return placed;
}

/** A1 text of a run, for messages and logs. */
export function runRange(r: CellRun): string {
  return `${quoteSheet(r.sheet)}!${columnLetters(r.first)}${r.row}:${columnLetters(r.last)}${r.row + r.values.length - 1}`;
}

/** Stacks runs over the same columns of consecutive rows into one rectangle. */
function mergeRuns(runs: CellRun[]): CellRun[] {
  const sorted = [...runs].sort((a, b) => (a.sheet === b.sheet ? a.first - b.first || a.last - b.last || a.row - b.row : a.sheet < b.sheet ? -1 : 1));
  const out: CellRun[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last.sheet === r.sheet && last.first === r.first && last.last === r.last && last.row + last.values.length === r.row)
      last.values.push(...r.values);
    else out.push({ ...r, values: [...r.values] });
  }
  return out;
}

/** Adds one row's changed cells as runs of adjacent columns. */
function layoutRow(
  placed: PlacedWrite,
  runs: CellRun[],
  spec: SheetSpec,
  headers: Map<string, number>,
  sheetRow: number,
  cells: RawCells,
  keys: readonly string[],
): void {
  const cols = keys
    .map((k) => spec.columns.find((c) => c.key === k)!)
    .map((c) => ({ c, col: headers.get(c.header)! }))
    .sort((a, b) => a.col - b.col);
  let run: typeof cols = [];
  const flush = () => {
    if (!run.length) return;
    const first = run[0]!.col;
    const last = run[run.length - 1]!.col;
    runs.push({ sheet: spec.name, row: sheetRow, first, last, values: [run.map(({ c }) => sheetValueFor(cells[c.key] as CellValue, c))] });
    placed.cells += run.length;
    run = [];
  };
  for (const entry of cols) {
    if (run.length && entry.col !== run[run.length - 1]!.col + 1) flush();
    run.push(entry);
    if (entry.c.type === 'date' || entry.c.type === 'money') {
      if (cells[entry.c.key] !== null && cells[entry.c.key] !== undefined)
        placed.formats.push({ sheet: spec.name, column: entry.c, col: entry.col, fromRow: sheetRow, toRow: sheetRow });
    }
  }
  flush();
}

/** Joins format runs of the same column over adjacent rows, so many edited dates are one request, not many. */
function mergeFormatRuns(placed: PlacedWrite): void {
  const sorted = [...placed.formats].sort((a, b) => (a.sheet === b.sheet ? a.col - b.col || a.fromRow - b.fromRow : a.sheet < b.sheet ? -1 : 1));
  const merged: FormatRun[] = [];
  for (const f of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.sheet === f.sheet && last.col === f.col && f.fromRow <= last.toRow + 1) last.toRow = Math.max(last.toRow, f.toRow);
    else merged.push({ ...f });
  }
  placed.formats = merged;
}
