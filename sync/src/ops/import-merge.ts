/** Merges rows read from imported workbooks into a registry: new rows get IDs, known rows are updated, the rest rejected with reasons. */
import {
  cellString as text,
  SYSTEM_ACTOR,
  columnOf,
  dateParts,
  loggedStates,
  naturalKeyOf,
  partnerIdOf,
  projectIdOf,
  newProject,
  partnersSheet,
  emptyRow,
  isCalendarDate,
  RULE_TEXT,
  parseRow,
  practiceConditionsMet,
  projectFromCells,
  transition,
  schoolTimestamp,
  sheetSpec,
  crossRowProblems,
  deriveProject,
  logDisagreements,
  type CalendarDate,
  schoolDate,
  writeCounters,
  type Problem,
  type ProjectKey,
  type Status,
  type RawCells,
  type RegistryData,
  type RegistryRow,
  type Settings,
  type SheetKey,
  type SheetSpec,
} from '../../../core/index.js';
import type { ImportSheetKey, ImportedRow, ImportedSheet } from '../excel/import-reader.js';
import type { RowAppend } from '../stores/store.js';
import { IMPORT_TEXT as T } from '../excel/text.js';
import { allocatorFor } from './records.js';
import { yieldToEventLoop } from '../stores/atomic-file.js';
import { collectGarbage } from '../util/gc.js';

export type Outcome = 'inserted' | 'updated' | 'unchanged' | 'rejected';

/** Something reported about a row that landed: a cell the import may not change (`ignored`), or a reminder. */
export interface RowNote extends Problem {
  ignored: boolean;
}

export interface RowVerdict {
  sheet: ImportedSheet;
  row: ImportedRow;
  outcome: Outcome;
  problems: Problem[];
  notes: RowNote[];
  /** The registry row it became, for inserted and updated rows. */
  target?: RegistryRow;
  /** A signed agreement to register as 历史登记 once the row has its ID (office imports with --historical only). */
  historical?: { agreementNo: string; signedAt: string };
  snapshot?: RawCells;
}

export interface Counts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export function countVerdicts(verdicts: readonly RowVerdict[]): Counts {
  const counts: Counts = { read: verdicts.length, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const v of verdicts) counts[v.outcome] += 1;
  return counts;
}

const ORDER: readonly ImportSheetKey[] = ['partners', 'projects', 'evaluations', 'outcomes'];

function blank(v: unknown): boolean {
  return v === null || v === undefined || v === '' || v === false;
}

function same(a: unknown, b: unknown): boolean {
  if (blank(a) && blank(b)) return true;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b) && !blank(a) && !blank(b);
  return a === b;
}

function problem(v: { sheet: ImportedSheet; row: ImportedRow }, rule: string, message: string, header?: string, value?: RawCells[string]): Problem {
  return {
    sheet: v.sheet.sheetName,
    row: v.row.row,
    ...(header ? { column: header } : {}),
    rule,
    message,
    ...(value === undefined ? {} : { value }),
  };
}

/** The header the source file used for a column key, so problems point at what the person sees. */
function sourceHeader(sheet: ImportedSheet, key: string): string | undefined {
  return sheet.columns.find((c) => c.column?.key === key)?.header ?? sheet.spec.columns.find((c) => c.key === key)?.header;
}

interface Context {
  data: RegistryData;
  settings: Settings;
  now: Date;
  ids: ReturnType<typeof allocatorFor>;
  /** Rows inserted under a placeholder ID, given their real ID only once the whole import has been checked. */
  fresh: RowVerdict[];
  /** Partner rows of this import that were refused, by normalised name and credit code: what their projects are told. */
  refusedPartners: Map<string, RowVerdict>;
  /** Partners created from the partner columns of one-sheet registers. */
  partnersFromRows: RowVerdict[];
  /** Status per project as 审批记录 vouches for it (never the typed 状态). */
  logged: ReturnType<typeof loggedStates>;
  /** The office registers agreements signed before the system (协议编号 + 签署日期 on new project rows). */
  historical: boolean;
  /** Registry rows already written by this run, and by which imported row (rows written at once: their Stub says). */
  touched: Map<RegistryRow, RowVerdict>;
  /** Lookup keys → rows per sheet, built when first needed, kept up to date, dropped when a row is reverted. */
  indexes: Partial<Record<ImportSheetKey, Index>>;
  /**
   * Whether rows of an earlier kind (partners before projects, projects before evaluations) may still come: a streamed
   * import reads files and sheets in their own order, so a row naming a partner or project not seen yet waits for the end.
   */
  open: boolean;
  /** Where the row being merged stands in the import's order (kind, then arrival): new IDs are handed out in that order. */
  sequence: number;
  /** The `sequence` of each row in `fresh`. */
  freshOrder: Map<RowVerdict, number>;
  /** Where new rows are written as they come, once `appending` (the local store); else they wait in `data`. */
  append?: RowAppend;
  appending: boolean;
  /** The school's date: new rows written at once are derived (status, expiry) as `deriveColumns` would. */
  today: CalendarDate;
  /** What is left of each row written at once: its ID, keys and references, for lookups and the cross-row check. */
  stubs: Record<ImportSheetKey, RegistryRow[]>;
  /** Rows inserted so far. */
  inserted: number;
}

/** How a row is looked up: by its ID, its natural key (core/schema.ts `naturalKey`), or a partner's credit code. */
type KeyKind = 'id' | 'key' | 'code';

/**
 * One sheet's lookups: a map per kind of key, keyed by the bare value. A large import keeps an entry per row, so an
 * ID is found by the row's own ID string, never by a second prefixed string per row.
 */
type Index = Record<KeyKind, Map<string, RegistryRow>>;

/** The keys a row can be found by: its ID, and its natural key. */
function keysOf(key: ImportSheetKey, cells: RawCells): [KeyKind, string][] {
  const spec: SheetSpec = sheetSpec(key);
  const keys: [KeyKind, string][] = [['key', naturalKeyOf(spec, cells)]];
  if (spec.idColumn) keys.unshift(['id', text(cells[spec.idColumn])]);
  // A one-sheet register may name its partner by credit code alone.
  if (key === 'partners') keys.push(['code', text(cells.creditCode)]);
  return keys;
}

/** The natural key of a partner's name. */
function nameKey(name: string): string {
  return naturalKeyOf(partnersSheet, { name });
}

function indexOf(ctx: Context, key: ImportSheetKey): Index {
  let index = ctx.indexes[key];
  if (!index) {
    index = { id: new Map(), key: new Map(), code: new Map() };
    ctx.indexes[key] = index;
    for (const rows of [ctx.data[key], ctx.stubs[key]]) for (const row of rows) indexRow(ctx, key, row);
  }
  return index;
}

/** The row found by a key; a blank key finds none. */
function lookup(ctx: Context, key: ImportSheetKey, kind: KeyKind, value: string): RegistryRow | undefined {
  return value ? indexOf(ctx, key)[kind].get(value) : undefined;
}

/** Makes `row` found by a key unless another row already is. */
function setKey(ctx: Context, key: ImportSheetKey, kind: KeyKind, value: string, row: RegistryRow): void {
  const map = indexOf(ctx, key)[kind];
  if (value && !map.has(value)) map.set(value, row);
}

function indexRow(ctx: Context, key: ImportSheetKey, row: RegistryRow, before?: RawCells): void {
  const index = indexOf(ctx, key);
  if (before) for (const [kind, value] of keysOf(key, before)) if (index[kind].get(value) === row) index[kind].delete(value);
  for (const [kind, value] of keysOf(key, row.cells)) setKey(ctx, key, kind, value, row);
}

function partnerBy(ctx: Context, idOrName: string): RegistryRow | undefined {
  if (!idOrName) return undefined;
  return lookup(ctx, 'partners', 'id', idOrName) ?? lookup(ctx, 'partners', 'key', nameKey(idOrName));
}

/** Resolves the partner of an imported project by ID, else by name (ID column holding a name counts as a name). */
function resolvePartner(ctx: Context, cells: RawCells): { id: string; name: string } | { error: string } {
  const byId = text(cells.partnerId);
  const byName = text(cells.partnerName);
  const found = partnerBy(ctx, byId) ?? partnerBy(ctx, byName);
  if (found) return { id: text(found.cells.partnerId), name: text(found.cells.name) };
  if (!byId && !byName) return { error: T.partnerMissing };
  // The partner is in this very file but was refused: say so, and why, rather than 「尚未登记」.
  const refused = ctx.refusedPartners.get(`key:${nameKey(byName || byId)}`);
  if (refused)
    return {
      error: T.partnerRefused(byName || byId, where(refused), refused.problems.map((p) => `${p.column ? `「${p.column}」` : ''}${p.message}`).join('；')),
    };
  return { error: T.partnerUnknown(byName || byId) };
}

function where(v: { sheet: ImportedSheet; row: Pick<ImportedRow, 'row'> }): string {
  return `「${v.sheet.sheetName}」第 ${v.row.row} 行`;
}

/** Placeholders carry new rows through the checks; they match the ID patterns and lie far above any real sequence. */
function placeholderId(sheet: SheetKey, n: number): string {
  return sheet === 'partners' ? partnerIdOf(900_000_000 + n) : projectIdOf(0, 9_000_000 + n);
}

/**
 * A one-sheet register carries the partner beside each project (名称, 信用代码, 类型, 联系人…): the partner is matched
 * by credit code or normalised name, or registered from those columns, and the project linked to it.
 */
function partnerFromRow(ctx: Context, sheet: ImportedSheet, row: ImportedRow): { id: string; name: string } | { problems: Problem[] } | undefined {
  const given = row.partnerCells;
  if (!given || !Object.values(given).some((v) => !blank(v))) return undefined;
  const cells: RawCells = { ...given, name: row.cells.partnerName ?? given.name ?? null };
  const found =
    (text(cells.creditCode) && lookup(ctx, 'partners', 'code', text(cells.creditCode))) ||
    (text(cells.name) && lookup(ctx, 'partners', 'key', nameKey(text(cells.name))));
  if (found) return { id: text(found.cells.partnerId), name: text(found.cells.name) };
  const partnerSheet: ImportedSheet = {
    ...sheet,
    key: 'partners',
    spec: partnersSheet,
    columns: sheet.columns.flatMap((c) =>
      c.partnerColumn
        ? [{ index: c.index, header: c.header, column: c.partnerColumn }]
        : c.column?.key === 'partnerName'
          ? [{ index: c.index, header: c.header, column: columnOf(partnersSheet, 'name') }]
          : [],
    ),
    rows: [],
  };
  const notes: RowNote[] = [];
  if (blank(cells.integrity)) {
    // A legacy register rarely records 诚信状况; the office is told to confirm what was assumed.
    cells.integrity = '良好';
    notes.push({
      sheet: sheet.sheetName,
      row: row.row,
      column: columnOf(partnersSheet, 'integrity').header,
      rule: '诚信状况',
      message: T.integrityAssumed('良好'),
      ignored: false,
    });
  }
  const verdict = mergeRow(ctx, partnerSheet, { ...row, cells }, true);
  verdict.notes.push(...notes);
  ctx.partnersFromRows.push(verdict);
  if (verdict.outcome === 'rejected') return { problems: verdict.problems };
  return { id: text(verdict.target!.cells.partnerId), name: text(verdict.target!.cells.name) };
}

/** Merges one imported row; `fromProjectRow` when it is the partner described beside a project (one-sheet registers). */
function mergeRow(ctx: Context, sheet: ImportedSheet, row: ImportedRow, fromProjectRow = false): RowVerdict {
  const verdict: RowVerdict = { sheet, row, outcome: 'rejected', problems: [], notes: [] };
  // Every problem of the row is gathered before deciding, so a person fixes it in one round.
  const reject = (rule: string, message: string, key?: string, value?: RawCells[string]): void => {
    verdict.problems.push(problem(verdict, rule, message, key ? sourceHeader(sheet, key) : undefined, value));
  };
  const note = (rule: string, message: string, ignored: boolean, key?: string, value?: RawCells[string]): void => {
    verdict.notes.push({ ...problem(verdict, rule, message, key ? sourceHeader(sheet, key) : undefined, value), ignored });
  };
  const spec = sheet.spec;
  const incoming: RawCells = { ...row.cells };
  const refusedCells = new Set<string>();
  for (const c of row.cellProblems ?? []) {
    // A project row carries its partner's cell problems too; each verdict reports its own.
    if (c.partner !== fromProjectRow) continue;
    refusedCells.add(c.key);
    reject(c.rule, c.message, c.key, c.value instanceof Date ? c.value.toISOString() : c.value);
  }
  const idKey = spec.idColumn;
  let partnerUnresolved = false;

  if (sheet.key === 'projects') {
    const fromRow = partnerFromRow(ctx, sheet, row);
    const partner = fromRow ?? resolvePartner(ctx, incoming);
    if ('problems' in partner) {
      partnerUnresolved = true;
      verdict.problems.push(...partner.problems);
    } else if ('error' in partner) {
      partnerUnresolved = true;
      reject('引用', partner.error, incoming.partnerName ? 'partnerName' : 'partnerId', incoming.partnerName ?? incoming.partnerId ?? null);
    } else {
      incoming.partnerId = partner.id;
      incoming.partnerName = partner.name;
    }
  }
  if ((sheet.key === 'evaluations' || sheet.key === 'outcomes') && incoming.projectId) {
    const project = lookup(ctx, 'projects', 'id', text(incoming.projectId));
    if (!project) reject('引用', T.projectMissing(text(incoming.projectId)), 'projectId', incoming.projectId);
    // The file's ID of a project this import registers stands for that project's new ID.
    else incoming.projectId = project.cells.projectId ?? null;
  }

  // The file's own ID names a registry row only if that row exists; an unknown ID is never kept (IDs are the system's).
  const wantedId = idKey ? text(incoming[idKey]) : '';
  const byWantedId = idKey && wantedId ? lookup(ctx, sheet.key, 'id', wantedId) : undefined;
  const byNatural = lookup(ctx, sheet.key, 'key', naturalKeyOf(spec, incoming));
  const existing = byWantedId ?? byNatural;
  const first =
    existing instanceof Stub ? { sheet: existing.from, row: { file: existing.from.file, row: existing.fromRow } } : existing && ctx.touched.get(existing);
  if (first) reject('重复', T.duplicateInImport(`${first.row.file} ${where(first)}`));

  // A row already written at once is known only by its stub: a second row naming it is checked as a new row would be.
  const base: RawCells = existing && !(existing instanceof Stub) ? { ...existing.cells } : ({ ...emptyRow(spec) } as RawCells);
  const candidate: RawCells = { ...base };
  // 历史登记: only the office, only with --historical, only for a project the registry does not have yet.
  const historical = ctx.historical && spec.key === 'projects' && !existing && (!blank(incoming.agreementNo) || !blank(incoming.signedAt));
  if (historical) {
    if (blank(incoming.agreementNo)) reject('历史登记', T.historicalNeedsBoth, 'agreementNo', null);
    else if (blank(incoming.signedAt)) reject('历史登记', T.historicalNeedsBoth, 'signedAt', null);
    else if (!isCalendarDate(incoming.signedAt)) reject('日期', RULE_TEXT.date, 'signedAt', incoming.signedAt);
    else verdict.historical = { agreementNo: text(incoming.agreementNo), signedAt: text(incoming.signedAt) };
  }
  for (const column of spec.columns) {
    if (!(column.key in incoming)) continue;
    const value = incoming[column.key] ?? null;
    if (historical && (column.key === 'agreementNo' || column.key === 'signedAt')) continue;
    // A register of signed agreements types 状态 too; it is derived from 审批记录 (and the end date), never taken.
    if (ctx.historical && column.key === 'status') continue;
    if (column.key === idKey || column.key === 'updatedAt' || column.lookup) {
      if (column.lookup) candidate[column.key] = value;
      continue;
    }
    if (column.setBy === 'workflow' || column.setBy === 'system') {
      const current = existing ? base[column.key] : column.key === 'status' ? '草稿' : null;
      if (!blank(value) && !same(value, current)) {
        const signing = spec.key === 'projects' && (column.key === 'agreementNo' || column.key === 'signedAt') && !existing;
        reject(
          '系统列',
          T.protectedColumn(sourceHeader(sheet, column.key) ?? column.header) + (signing && !ctx.historical ? T.historicalHint : ''),
          column.key,
          value,
        );
      }
      continue;
    }
    candidate[column.key] = value;
  }
  // 诚信状况 of a registered partner is the office's to change (coop partner integrity), never an import's.
  if (spec.key === 'partners' && existing && 'integrity' in incoming && !blank(incoming.integrity) && !same(incoming.integrity, base.integrity)) {
    note('诚信状况', T.integrityKept(text(base.integrity)), true, 'integrity', incoming.integrity);
    candidate.integrity = base.integrity ?? null;
  }

  if (idKey) candidate[idKey] = existing ? base[idKey]! : placeholderId(spec.key, ctx.fresh.length + 1);
  if (partnerUnresolved) candidate.partnerId = placeholderId('partners', 0);
  if (existing && spec.key === 'projects') candidate.status = lockedStatus(ctx, existing);

  const parsed = parseRow(spec, candidate, ctx.settings, row.row);
  if (!parsed.ok) {
    for (const p of parsed.problems) {
      const key = columnKey(spec, p.column ?? '');
      if (partnerUnresolved && (key === 'partnerId' || key === 'partnerName')) continue;
      if (refusedCells.has(key)) continue;
      if (idKey && key === idKey) continue;
      verdict.problems.push({ ...p, sheet: sheet.sheetName, ...(p.column ? { column: sourceHeader(sheet, key) ?? p.column } : {}) });
    }
  }
  if (parsed.ok && spec.key === 'partners') {
    // Renaming a known partner (found by its ID) must not take another partner's name.
    const other = lookup(ctx, 'partners', 'key', nameKey(text(parsed.value.name)));
    if (other && other !== existing) reject('唯一', RULE_TEXT.uniqueName(`合作单位 ${text(other.cells.partnerId)}`), 'name', parsed.value.name ?? null);
  }
  if (verdict.problems.length || !parsed.ok) {
    if (spec.key === 'partners') {
      for (const k of [`key:${nameKey(text(incoming.name))}`, `code:${text(incoming.creditCode)}`]) if (!k.endsWith(':')) ctx.refusedPartners.set(k, verdict);
    }
    return verdict;
  }
  const values = parsed.value as RawCells;
  if (spec.key === 'projects' && !practiceConditionsMet(values)) {
    note('第九条', T.practicePending, false, values.practiceSite !== '是' ? 'practiceSite' : 'qualifiedInstructors');
  }

  if (existing) {
    if (spec.key === 'projects') values.status = existing.cells.status ?? null;
    let changed = spec.columns.filter((c) => c.key !== 'updatedAt' && !same(values[c.key], existing.cells[c.key]));
    const content = spec.key === 'projects' ? changed.filter((c) => c.content).map((c) => c.key as ProjectKey) : [];
    if (content.length) {
      // The state machine decides whether a file may change this content; refused, the rest of the row still lands.
      const status = lockedStatus(ctx, existing);
      const t = transition(
        { ...projectFromCells(existing.cells), status },
        { type: 'contentEdited', columns: content, source: 'import' },
        { settings: ctx.settings, actor: SYSTEM_ACTOR, now: ctx.now },
      );
      if (!t.ok) {
        for (const key of content) {
          note('内容已锁定', T.submittedContent(text(existing.cells.projectId), status), true, key, values[key] ?? null);
          values[key] = existing.cells[key] ?? null;
        }
        changed = spec.columns.filter((c) => c.key !== 'updatedAt' && !same(values[c.key], existing.cells[c.key]));
      }
    }
    if (!changed.length) {
      verdict.outcome = 'unchanged';
      return verdict;
    }
    verdict.snapshot = { ...existing.cells };
    Object.assign(existing.cells, values);
    indexRow(ctx, sheet.key, existing, verdict.snapshot);
    if (spec.key === 'projects') existing.cells.updatedAt = schoolTimestamp(ctx.now);
    verdict.outcome = 'updated';
    verdict.target = existing;
  } else {
    if (wantedId && idKey) note('编号', T.idNotKept(wantedId), false, idKey, wantedId);
    const target: RegistryRow = { cells: values };
    ctx.inserted++;
    if (ctx.appending && appendRow(ctx, sheet, verdict, target, wantedId)) return verdict;
    ctx.data[sheet.key].push(target);
    indexRow(ctx, sheet.key, target);
    // Later rows of the same import (an archive's projects, evaluations) may still name it by the file's ID.
    if (wantedId) setKey(ctx, sheet.key, 'id', wantedId, target);
    verdict.outcome = 'inserted';
    verdict.target = target;
    if (idKey && !ctx.appending) {
      ctx.fresh.push(verdict);
      ctx.freshOrder.set(verdict, ctx.sequence);
    }
  }
  ctx.touched.set(verdict.target, verdict);
  return verdict;
}

/** The cells a row written at once still answers for: its ID, natural key, unique and reference columns (and a partner's credit code). */
function stubCells(spec: SheetSpec, cells: RawCells): RawCells {
  // A natural key that need not be unique (a project's partner + title) is only looked up, and the index holds it.
  const natural = spec.naturalKey?.unique ? spec.naturalKey.columns : [];
  const keep = new Set<string>([...natural, ...spec.columns.filter((c) => c.unique || c.ref).map((c) => c.key)]);
  if (spec.idColumn) keep.add(spec.idColumn);
  if (spec.key === 'partners') keep.add('creditCode');
  const out: RawCells = {};
  for (const k of keep) out[k] = cells[k] ?? null;
  return out;
}

/**
 * A new row past the first `appendAfter`: final as it stands (its own rules passed, and the checks spanning rows can
 * only fault a later row), so it takes its real ID now, is derived and handed to the store, and only a stub of it
 * stays. False when the store keeps this sheet's rows in `data` after all: the row then lands there, with its ID.
 */
/**
 * What is left of a row written at once: the cells it still answers for (stubCells) and the sheet and row it came
 * from, for the 「重复」 message of a later row naming it. A class, so telling a stub from a registry row costs no set.
 */
class Stub implements RegistryRow {
  /** Set while the cross-row check numbers the rows: a field, so setting it never reshapes a hundred thousand stubs. */
  sheetRow: number | undefined = undefined;
  constructor(
    readonly cells: RawCells,
    readonly from: ImportedSheet,
    readonly fromRow: number,
  ) {}
}

function appendRow(ctx: Context, sheet: ImportedSheet, verdict: RowVerdict, target: RegistryRow, wantedId: string): boolean {
  const spec = sheet.spec;
  if (spec.idColumn) Object.assign(target.cells, allocate(ctx, spec));
  if (spec.key === 'projects') deriveProject(target.cells, target.cells.partnerName ?? null, ctx.logged.get(text(target.cells.projectId)), ctx.today);
  if (!ctx.append!.append(spec, target)) return false;
  const stub = new Stub(stubCells(spec, target.cells), sheet, verdict.row.row);
  ctx.stubs[sheet.key].push(stub);
  indexRow(ctx, sheet.key, stub);
  if (wantedId) setKey(ctx, sheet.key, 'id', wantedId, stub);
  verdict.outcome = 'inserted';
  verdict.target = stub;
  // Never reverted: its verbatim values are not needed for the rejects workbook. The stub says where it came from.
  verdict.row = { file: verdict.row.file, sheetName: verdict.row.sheetName, row: verdict.row.row, cells: NO_CELLS, original: NONE };
  return true;
}

/** A registered project's status as 审批记录 vouches for it: what decides whether its content is locked. */
function lockedStatus(ctx: Context, row: RegistryRow): Status {
  return ctx.logged.get(text(row.cells.projectId))?.status ?? '草稿';
}

function columnKey(spec: ImportedSheet['spec'], header: string): string {
  return spec.columns.find((c) => c.header === header)?.key ?? header;
}

/** The next ID, and for a project what makes it new; an agreement signed before the system takes its signing year. */
function allocate(ctx: Context, sheet: SheetSpec, historical?: RowVerdict['historical']): RawCells {
  if (sheet.key !== 'projects') return { [sheet.idColumn!]: ctx.ids.partner() };
  return newProject(ctx.ids, ctx.now, historical ? dateParts(historical.signedAt).year : undefined);
}

/** Real IDs for the rows that landed, in file order, once nothing can revert them: a refused row uses up no ID. */
function assignIds(ctx: Context): void {
  const real = new Map<string, string>();
  const fresh = ctx.fresh.map((v, i) => [ctx.freshOrder.get(v) ?? i, i, v] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [, , v] of fresh) {
    if (v.outcome !== 'inserted' || !v.target) continue;
    const idKey = v.sheet.spec.idColumn!;
    const fresh = allocate(ctx, v.sheet.spec, v.historical);
    real.set(text(v.target.cells[idKey]), text(fresh[idKey]));
    Object.assign(v.target.cells, fresh);
  }
  ctx.fresh = [];
  ctx.freshOrder.clear();
  // References to a row inserted by this import name it by its placeholder until now.
  for (const key of ORDER) {
    const refs = (sheetSpec(key) as SheetSpec).columns.filter((c) => c.ref).map((c) => c.key);
    for (const row of ctx.data[key]) {
      for (const k of refs) {
        const v = row.cells[k];
        if (typeof v === 'string' && real.has(v)) row.cells[k] = real.get(v)!;
      }
    }
  }
}

function revert(ctx: Context, v: RowVerdict): void {
  if (!v.target) return;
  if (v.outcome === 'inserted') {
    const rows = ctx.data[v.sheet.key];
    rows.splice(rows.indexOf(v.target), 1);
  } else if (v.snapshot) {
    for (const k of Object.keys(v.target.cells)) delete v.target.cells[k];
    Object.assign(v.target.cells, v.snapshot);
  }
  ctx.touched.delete(v.target);
  delete ctx.indexes[v.sheet.key];
  v.outcome = 'rejected';
  delete v.target;
}

/**
 * The rules spanning rows (unique names, references): validates the merged registry and rejects
 * the imported rows that broke it, until no imported row is at fault. Pre-existing problems are not the import's.
 */
function crossCheck(ctx: Context): void {
  // Rows written at once are checked against as stubs (IDs, names, references), never faulted.
  for (const key of ORDER) ctx.data[key].push(...ctx.stubs[key]);
  try {
    crossCheckRounds(ctx);
  } finally {
    for (const key of ORDER) if (ctx.stubs[key].length) ctx.data[key].length -= ctx.stubs[key].length;
  }
}

function crossCheckRounds(ctx: Context): void {
  for (let round = 0; round < 5; round++) {
    const numbering = new Map<string, RowVerdict>();
    const saved = new Map<RegistryRow, number | undefined>();
    for (const key of ORDER) {
      ctx.data[key].forEach((r, i) => {
        if (!(r instanceof Stub)) saved.set(r, r.sheetRow);
        r.sheetRow = i + 2;
        const v = ctx.touched.get(r);
        if (v) numbering.set(`${key}|${i + 2}`, v);
      });
    }
    // Each imported row already passed its own sheet's rules in mergeRow; what is left is what spans rows (the part of
    // validateRegistry that can fault an imported row; re-parsing every row of the registry was a third of a large import).
    // Stubs carry no status, so the log "disagrees" with every one of them: a problem per stub (a hundred thousand
    // messages at the end of a large import) that no verdict would take. They are never faulted: only the rest is compared.
    const compared = ctx.stubs.projects.length ? { ...ctx.data, projects: ctx.data.projects.filter((r) => !(r instanceof Stub)) } : ctx.data;
    const problems = [...crossRowProblems(ctx.data), ...logDisagreements(compared, schoolDate(new Date()))];
    const faulty = new Map<RowVerdict, Problem[]>();
    for (const p of problems) {
      const key = ORDER.find((k) => SHEET_NAMES[k] === p.sheet);
      if (!key || p.row === undefined) continue;
      const v = numbering.get(`${key}|${p.row}`);
      if (!v) continue;
      const list = faulty.get(v) ?? [];
      list.push({
        ...p,
        sheet: v.sheet.sheetName,
        row: v.row.row,
        ...(p.column ? { column: sourceHeader(v.sheet, columnKey(v.sheet.spec, p.column)) ?? p.column } : {}),
      });
      faulty.set(v, list);
    }
    for (const [r, n] of saved) r.sheetRow = n;
    if (!faulty.size) return;
    for (const [v, list] of faulty) {
      revert(ctx, v);
      v.problems.push(...list);
    }
  }
}

const SHEET_NAMES = Object.fromEntries(ORDER.map((k) => [k, sheetSpec(k).name])) as Record<ImportSheetKey, string>;

export interface MergeProgress {
  done: number;
  total: number;
}

/** Rows merged between two yields to the event loop, so the registry lock keeps being refreshed on long imports. */
const YIELD_EVERY = 500;

/**
 * Rows between two full garbage collections once new rows are written as they come (util/gc.ts). Measured at 100,000
 * rows: none 544 MiB peak; every 10,000 rows 425 MiB; every 2,500 rows 322–335 MiB for ~10 % more CPU; a collection
 * whenever the heap outgrew the last one's by a quarter plus 32 MiB, 321 MiB but slower.
 */
const COLLECT_EVERY = 2_500;

/** The verdict lists of a row with nothing to say (never pushed to: such a row is final). */
const NONE: never[] = Object.freeze([]) as unknown as never[];
const NO_CELLS: RawCells = Object.freeze({}) as RawCells;

/**
 * Whether a row names a partner (projects) or a project (evaluations, outcomes) that a sheet still to come may
 * register: only while the import is `open`, and only when the row does not describe the partner itself.
 */
function waitsForEarlierKind(ctx: Context, sheet: ImportedSheet, row: ImportedRow): boolean {
  if (!ctx.open) return false;
  if (sheet.key === 'projects') {
    if (row.partnerCells && Object.values(row.partnerCells).some((v) => !blank(v))) return false;
    const byId = text(row.cells.partnerId);
    const byName = text(row.cells.partnerName);
    return Boolean(byId || byName) && !(partnerBy(ctx, byId) ?? partnerBy(ctx, byName));
  }
  if (sheet.key === 'evaluations' || sheet.key === 'outcomes') {
    const id = text(row.cells.projectId);
    return Boolean(id) && !lookup(ctx, 'projects', 'id', id);
  }
  return false;
}

export interface MergeOptions {
  historical?: boolean;
  onProgress?: (p: MergeProgress) => void;
  /** Rows to expect, for progress; unknown while files are still being read. */
  total?: number;
  /** Receives the partners registered from the partner columns of one-sheet registers (not counted as rows read). */
  partnersFromRows?: RowVerdict[];
  /**
   * Rows arrive in file order while files are read (`coop import` streams them in): a row naming a partner or project
   * not seen yet waits for the end, and a merged row's normalised cells are dropped (its verbatim values stay, for the
   * rejects workbook). Without it, rows come kind by kind (partners first) and are kept whole.
   */
  streaming?: boolean;
  /** Where new rows can be written as they come (the local store's appender; not with `historical`). */
  append?: RowAppend;
  /** New rows held in `data` before the rest go to `append` (default APPEND_AFTER). */
  appendAfter?: number;
}

/**
 * New rows an import holds before writing the rest as they come: below it an import behaves exactly as it always
 * did (every row in `data`, IDs handed out at the end); a large one keeps only a stub per row. COOP_IMPORT_APPEND_AFTER
 * overrides it (tests use a small number).
 */
export const APPEND_AFTER = Number(process.env.COOP_IMPORT_APPEND_AFTER) > 0 ? Number(process.env.COOP_IMPORT_APPEND_AFTER) : 5000;

/** Merges rows one at a time into a registry, then runs the checks spanning rows and hands out IDs (`finish`). */
export interface ImportMerger {
  add(sheet: ImportedSheet, row: ImportedRow): Promise<void>;
  /** Rows read so far (for the row limit and progress). */
  readonly rows: number;
  /** New rows handed to `append` as they came (none held in `data`). */
  readonly appended: number;
  finish(): Promise<RowVerdict[]>;
}

/** Sort key of a row: its kind's place in ORDER, then its arrival. Partners thus get their IDs before projects, each kind in file order. */
function sequenceOf(key: ImportSheetKey, arrival: number): number {
  return ORDER.indexOf(key) * 2 ** 40 + arrival;
}

export function importMerger(data: RegistryData, settings: Settings, now: Date, options: MergeOptions = {}): ImportMerger {
  const ctx: Context = {
    data,
    settings,
    now,
    ids: allocatorFor(data),
    fresh: [],
    refusedPartners: new Map(),
    partnersFromRows: [],
    logged: loggedStates(data.reviewLog.map((r) => r.cells)),
    historical: options.historical ?? false,
    touched: new Map(),
    indexes: {},
    open: options.streaming ?? false,
    sequence: 0,
    freshOrder: new Map(),
    appending: false,
    today: schoolDate(now),
    stubs: { partners: [], projects: [], evaluations: [], outcomes: [] },
    inserted: 0,
  };
  if (options.append && !options.historical) ctx.append = options.append;
  const appendAfter = options.appendAfter ?? APPEND_AFTER;
  const onProgress = options.onProgress ?? (() => {});
  const verdicts: (RowVerdict | undefined)[] = [];
  const waiting: { slot: number; sheet: ImportedSheet; row: ImportedRow }[] = [];
  const written = new Map<ImportedSheet, RowVerdict>();
  // While files are still being read the total is unknown: a line every 10,000 rows says how far it got.
  const step = Math.max(1, Math.floor((options.total ?? 0) / 100), options.total === undefined ? 10_000 : 1);
  const merge = (slot: number, sheet: ImportedSheet, row: ImportedRow): void => {
    ctx.sequence = sequenceOf(sheet.key, slot);
    const verdict = mergeRow(ctx, sheet, row);
    verdicts[slot] = verdict;
    if (options.streaming) forget(row);
    if (verdict.target instanceof Stub) {
      // A row written at once has nothing left to report unless it has notes: one shared verdict per sheet counts it.
      verdict.problems = NONE;
      if (verdict.notes.length) return;
      let shared = written.get(sheet);
      if (!shared) {
        shared = { sheet, row: { ...verdict.row, row: 0 }, outcome: 'inserted', problems: NONE, notes: NONE };
        written.set(sheet, shared);
      }
      verdicts[slot] = shared;
    }
  };
  return {
    get rows() {
      return verdicts.length;
    },
    get appended() {
      return ORDER.reduce((n, key) => n + ctx.stubs[key].length, 0);
    },
    async add(sheet, row) {
      if (ctx.append && !ctx.appending && ctx.inserted >= appendAfter) {
        // From here new rows are final when merged: the held ones are checked and numbered first, as at the end.
        crossCheck(ctx);
        assignIds(ctx);
        ctx.appending = true;
      }
      const slot = verdicts.length;
      verdicts.push(undefined);
      if (waitsForEarlierKind(ctx, sheet, row)) waiting.push({ slot, sheet, row });
      else merge(slot, sheet, row);
      const done = verdicts.length;
      if (done % step === 0) onProgress({ done, total: options.total ?? done });
      if (done % YIELD_EVERY === 0) await yieldToEventLoop();
      // What a row leaves behind is garbage by now; collected regularly, the heap stays near what the import holds.
      if (done % COLLECT_EVERY === 0) collectGarbage();
    },
    async finish() {
      ctx.open = false;
      for (const [n, w] of waiting.entries()) {
        merge(w.slot, w.sheet, w.row);
        if ((n + 1) % YIELD_EVERY === 0) await yieldToEventLoop();
      }
      // A large import's cross-row check builds maps over every row; collected before and after, the write that
      // follows starts from what the import holds rather than from a heap grown around the garbage.
      if (ctx.appending) collectGarbage();
      crossCheck(ctx);
      assignIds(ctx);
      if (ctx.appending) collectGarbage();
      for (const v of ctx.partnersFromRows) if (v.outcome === 'inserted') options.partnersFromRows?.push(v);
      const after = allocatorFor(data);
      const counters = { partners: Math.max(after.counters.partners, ctx.ids.counters.partners), projects: { ...after.counters.projects } };
      for (const [y, n] of Object.entries(ctx.ids.counters.projects)) counters.projects[y] = Math.max(counters.projects[y] ?? 0, n);
      writeCounters(data, counters);
      onProgress({ done: verdicts.length, total: verdicts.length });
      // Reported kind by kind (partners first), each in file order: the order the rows were merged in before streaming.
      const all = verdicts as RowVerdict[];
      // (The order of sequenceOf, without a pair per row: one pass per kind.)
      return options.streaming ? ORDER.flatMap((key) => all.filter((v) => v.sheet.key === key)) : all;
    },
  };
}

/** What a merged row no longer needs: its normalised cells live on in the registry row; its verbatim values stay for the rejects workbook. */
function forget(row: ImportedRow): void {
  row.cells = {};
  delete row.partnerCells;
  delete row.cellProblems;
}

/** Merges every imported sheet into `data` (partners first, so projects can name partners of the same file). */
export async function mergeImport(
  data: RegistryData,
  sheets: readonly ImportedSheet[],
  settings: Settings,
  now: Date,
  onProgress: (p: MergeProgress) => void = () => {},
  /** Receives the partners registered from the partner columns of one-sheet registers (not counted as rows read). */
  partnersFromRows: RowVerdict[] = [],
  options: { historical?: boolean } = {},
): Promise<RowVerdict[]> {
  const total = sheets.reduce((n, s) => n + s.rows.length, 0);
  const merger = importMerger(data, settings, now, { ...options, onProgress, total, partnersFromRows });
  for (const key of ORDER) for (const sheet of sheets.filter((s) => s.key === key)) for (const row of sheet.rows) await merger.add(sheet, row);
  return merger.finish();
}
