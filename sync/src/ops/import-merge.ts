/** Merges rows read from imported workbooks into a registry: new rows get IDs, known rows are updated, the rest rejected with reasons. */
import {
  CONTENT_COLUMNS,
  dateParts,
  emptyRow,
  normalizeName,
  RULE_TEXT,
  parseRow,
  schoolDate,
  schoolTimestamp,
  sheetSpec,
  validateRegistry,
  writeCounters,
  type Problem,
  type RawCells,
  type RegistryData,
  type RegistryRow,
  type Settings,
} from '../../../core/index.js';
import type { ImportSheetKey, ImportedRow, ImportedSheet } from '../excel/import-reader.js';
import { IMPORT_TEXT as T } from '../excel/text.js';
import { allocatorFor } from './records.js';
import { yieldToEventLoop } from '../stores/atomic-file.js';

export type Outcome = 'inserted' | 'updated' | 'unchanged' | 'rejected';

export interface RowVerdict {
  sheet: ImportedSheet;
  row: ImportedRow;
  outcome: Outcome;
  problems: Problem[];
  /** The registry row it became, for inserted and updated rows. */
  target?: RegistryRow;
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
const PARTNER_ID = /^P\d{4,}$/;
const PROJECT_ID = /^HZ\d{4}-\d{3,}$/;

function blank(v: unknown): boolean {
  return v === null || v === undefined || v === '' || v === false;
}

function same(a: unknown, b: unknown): boolean {
  if (blank(a) && blank(b)) return true;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b) && !blank(a) && !blank(b);
  return a === b;
}

function text(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
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
  /** IDs that imported rows bring with them: never handed out to other new rows. */
  reservedIds: Set<string>;
  /** Registry rows already written by this run, and by which imported row. */
  touched: Map<RegistryRow, RowVerdict>;
  /** Lookup keys → rows per sheet, built when first needed, kept up to date, dropped when a row is reverted. */
  indexes: Partial<Record<ImportSheetKey, Map<string, RegistryRow>>>;
}

/** The keys a row can be found by: its ID, and its natural key (normalised name or title). */
function keysOf(key: ImportSheetKey, cells: RawCells): string[] {
  switch (key) {
    case 'partners':
      return [`id:${text(cells.partnerId)}`, `name:${normalizeName(text(cells.name))}`];
    case 'projects':
      return [`id:${text(cells.projectId)}`, `key:${text(cells.partnerId)}|${normalizeName(text(cells.title))}`];
    case 'evaluations':
      return [`key:${text(cells.projectId)}|${text(cells.year)}`];
    case 'outcomes':
      return [`key:${text(cells.projectId)}|${normalizeName(text(cells.title))}`];
  }
}

function indexOf(ctx: Context, key: ImportSheetKey): Map<string, RegistryRow> {
  let index = ctx.indexes[key];
  if (!index) {
    index = new Map();
    for (const row of ctx.data[key]) for (const k of keysOf(key, row.cells)) if (!index.has(k)) index.set(k, row);
    ctx.indexes[key] = index;
  }
  return index;
}

function lookup(ctx: Context, key: ImportSheetKey, k: string): RegistryRow | undefined {
  return k.endsWith(':') ? undefined : indexOf(ctx, key).get(k);
}

function indexRow(ctx: Context, key: ImportSheetKey, row: RegistryRow, before?: RawCells): void {
  const index = indexOf(ctx, key);
  if (before) for (const k of keysOf(key, before)) if (index.get(k) === row) index.delete(k);
  for (const k of keysOf(key, row.cells)) if (!index.has(k)) index.set(k, row);
}

/** The registry row an imported row means: by ID, else by its natural key. */
function findExisting(ctx: Context, key: ImportSheetKey, cells: RawCells): RegistryRow | undefined {
  const idKey = key === 'partners' ? 'partnerId' : key === 'projects' ? 'projectId' : undefined;
  const byId = idKey && text(cells[idKey]) ? lookup(ctx, key, `id:${text(cells[idKey])}`) : undefined;
  if (byId) return byId;
  const natural = keysOf(key, cells).find((k) => !k.startsWith('id:'));
  return natural ? lookup(ctx, key, natural) : undefined;
}

function partnerBy(ctx: Context, idOrName: string): RegistryRow | undefined {
  if (!idOrName) return undefined;
  return lookup(ctx, 'partners', `id:${idOrName}`) ?? lookup(ctx, 'partners', `name:${normalizeName(idOrName)}`);
}

/** Resolves the partner of an imported project by ID, else by name (ID column holding a name counts as a name). */
function resolvePartner(ctx: Context, cells: RawCells): { id: string; name: string } | { error: string } {
  const byId = text(cells.partnerId);
  const byName = text(cells.partnerName);
  const found = partnerBy(ctx, byId) ?? partnerBy(ctx, byName);
  if (found) return { id: text(found.cells.partnerId), name: text(found.cells.name) };
  if (!byId && !byName) return { error: T.partnerMissing };
  return { error: T.partnerUnknown(byName || byId) };
}

function mergeRow(ctx: Context, sheet: ImportedSheet, row: ImportedRow): RowVerdict {
  const verdict: RowVerdict = { sheet, row, outcome: 'rejected', problems: [] };
  const reject = (rule: string, message: string, key?: string, value?: RawCells[string]): RowVerdict => {
    verdict.problems.push(problem(verdict, rule, message, key ? sourceHeader(sheet, key) : undefined, value));
    return verdict;
  };
  const spec = sheet.spec;
  const incoming: RawCells = { ...row.cells };

  if (sheet.key === 'projects') {
    const partner = resolvePartner(ctx, incoming);
    if ('error' in partner) return reject('引用', partner.error, incoming.partnerName ? 'partnerName' : 'partnerId', incoming.partnerName ?? incoming.partnerId ?? null);
    incoming.partnerId = partner.id;
    incoming.partnerName = partner.name;
  }
  if ((sheet.key === 'evaluations' || sheet.key === 'outcomes') && incoming.projectId && !lookup(ctx, 'projects', `id:${text(incoming.projectId)}`)) {
    return reject('引用', T.projectMissing(text(incoming.projectId)), 'projectId', incoming.projectId);
  }

  const existing = findExisting(ctx, sheet.key, incoming);
  if (existing && ctx.touched.has(existing)) {
    const first = ctx.touched.get(existing)!;
    return reject('重复', T.duplicateInImport(`${first.row.file} 「${first.sheet.sheetName}」第 ${first.row.row} 行`));
  }
  const idKey = spec.key === 'partners' ? 'partnerId' : spec.key === 'projects' ? 'projectId' : undefined;
  if (existing && idKey && incoming[idKey] && incoming[idKey] !== existing.cells[idKey]) {
    return reject('编号', T.idTaken(text(incoming[idKey])), idKey, incoming[idKey]);
  }

  const base: RawCells = existing ? { ...existing.cells } : ({ ...emptyRow(spec) } as RawCells);
  const candidate: RawCells = { ...base };
  for (const column of spec.columns) {
    if (!(column.key in incoming)) continue;
    const value = incoming[column.key] ?? null;
    if (column.key === idKey || column.key === 'updatedAt' || column.lookup) {
      if (column.lookup) candidate[column.key] = value;
      continue;
    }
    if (column.setBy === 'workflow' || column.setBy === 'system') {
      const current = existing ? base[column.key] : column.key === 'status' ? '草稿' : null;
      if (!blank(value) && !same(value, current)) reject('系统列', T.protectedColumn(sourceHeader(sheet, column.key) ?? column.header), column.key, value);
      continue;
    }
    candidate[column.key] = value;
  }
  if (verdict.problems.length) return verdict;

  if (idKey && !existing) {
    const wanted = text(incoming[idKey]);
    const pattern = idKey === 'partnerId' ? PARTNER_ID : PROJECT_ID;
    if (wanted && pattern.test(wanted)) {
      // A row coming back from an archive keeps the ID it had.
      candidate[idKey] = wanted;
    } else if (!wanted) {
      candidate[idKey] = allocate(ctx, idKey);
    }
  }

  const parsed = parseRow(spec, candidate, ctx.settings, row.row);
  if (!parsed.ok) {
    for (const p of parsed.problems) verdict.problems.push({ ...p, sheet: sheet.sheetName, ...(p.column ? { column: sourceHeader(sheet, columnKey(spec, p.column)) ?? p.column } : {}) });
    return verdict;
  }
  const values = parsed.value as RawCells;
  if (spec.key === 'partners') {
    // Renaming a known partner (found by its ID) must not take another partner's name.
    const other = lookup(ctx, 'partners', `name:${normalizeName(text(values.name))}`);
    if (other && other !== existing) return reject('唯一', RULE_TEXT.uniqueName(`合作单位 ${text(other.cells.partnerId)}`), 'name', values.name ?? null);
  }

  if (existing) {
    const changed = spec.columns.filter((c) => c.key !== 'updatedAt' && !same(values[c.key], existing.cells[c.key]));
    if (!changed.length) {
      verdict.outcome = 'unchanged';
      return verdict;
    }
    const status = text(existing.cells.status) || '草稿';
    if (spec.key === 'projects' && status !== '草稿' && changed.some((c) => CONTENT_COLUMNS.includes(c.key as never))) {
      return reject('内容已锁定', T.submittedContent(text(existing.cells.projectId), status));
    }
    verdict.snapshot = { ...existing.cells };
    Object.assign(existing.cells, values);
    indexRow(ctx, sheet.key, existing, verdict.snapshot);
    if (spec.key === 'projects') existing.cells.updatedAt = schoolTimestamp(ctx.now);
    verdict.outcome = 'updated';
    verdict.target = existing;
  } else {
    if (spec.key === 'projects') {
      values.status = '草稿';
      values.updatedAt = schoolTimestamp(ctx.now);
    }
    const target: RegistryRow = { cells: values };
    ctx.data[sheet.key].push(target);
    indexRow(ctx, sheet.key, target);
    verdict.outcome = 'inserted';
    verdict.target = target;
  }
  ctx.touched.set(verdict.target, verdict);
  return verdict;
}

function columnKey(spec: ImportedSheet['spec'], header: string): string {
  return spec.columns.find((c) => c.header === header)?.key ?? header;
}

function allocate(ctx: Context, idKey: 'partnerId' | 'projectId'): string {
  const year = dateParts(schoolDate(ctx.now)).year;
  for (;;) {
    const id = idKey === 'partnerId' ? ctx.ids.partner() : ctx.ids.project(year);
    if (!ctx.reservedIds.has(id)) return id;
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
  for (let round = 0; round < 5; round++) {
    const numbering = new Map<string, RowVerdict>();
    const saved = new Map<RegistryRow, number | undefined>();
    for (const key of ORDER) {
      ctx.data[key].forEach((r, i) => {
        saved.set(r, r.sheetRow);
        r.sheetRow = i + 2;
        const v = ctx.touched.get(r);
        if (v) numbering.set(`${key}|${i + 2}`, v);
      });
    }
    const { problems } = validateRegistry(ctx.data);
    const faulty = new Map<RowVerdict, Problem[]>();
    for (const p of problems) {
      const key = ORDER.find((k) => SHEET_NAMES[k] === p.sheet);
      if (!key || p.row === undefined) continue;
      const v = numbering.get(`${key}|${p.row}`);
      if (!v) continue;
      const list = faulty.get(v) ?? [];
      list.push({ ...p, sheet: v.sheet.sheetName, row: v.row.row, ...(p.column ? { column: sourceHeader(v.sheet, columnKey(v.sheet.spec, p.column)) ?? p.column } : {}) });
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

/** Merges every imported sheet into `data` (partners first, so projects can name partners of the same file). */
export async function mergeImport(
  data: RegistryData,
  sheets: readonly ImportedSheet[],
  settings: Settings,
  now: Date,
  onProgress: (p: MergeProgress) => void = () => {},
): Promise<RowVerdict[]> {
  const reservedIds = new Set<string>();
  for (const s of sheets) for (const r of s.rows) for (const k of ['partnerId', 'projectId'] as const) if (typeof r.cells[k] === 'string') reservedIds.add(r.cells[k]);
  const ctx: Context = { data, settings, now, ids: allocatorFor(data), reservedIds, touched: new Map(), indexes: {} };
  const total = sheets.reduce((n, s) => n + s.rows.length, 0);
  const verdicts: RowVerdict[] = [];
  const step = Math.max(1, Math.floor(total / 100));
  for (const key of ORDER) {
    for (const sheet of sheets.filter((s) => s.key === key)) {
      for (const row of sheet.rows) {
        verdicts.push(mergeRow(ctx, sheet, row));
        if (verdicts.length % step === 0) onProgress({ done: verdicts.length, total });
        if (verdicts.length % YIELD_EVERY === 0) await yieldToEventLoop();
      }
    }
  }
  crossCheck(ctx);
  const after = allocatorFor(data);
  const counters = { partners: Math.max(after.counters.partners, ctx.ids.counters.partners), projects: { ...after.counters.projects } };
  for (const [y, n] of Object.entries(ctx.ids.counters.projects)) counters.projects[y] = Math.max(counters.projects[y] ?? 0, n);
  writeCounters(data, counters);
  onProgress({ done: total, total });
  return verdicts;
}
