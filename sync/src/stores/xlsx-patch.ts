/**
 * The local registry read and written part by part: rows are read straight from the sheet XML, and a write
 * rewrites only the cells that changed and appends new rows, leaving every other byte of the workbook alone.
 * Anything it cannot write exactly as the full exceljs rewrite would read back returns null, and the store
 * falls back to that full rewrite.
 */
import type ExcelJS from 'exceljs';
import {
  CoopError,
  REGISTRY_SHEETS,
  readSettings,
  rememberRowIndex,
  type ColumnSpec,
  type PeekableRow,
  type RegistryData,
  type RegistryRow,
  type SheetKey,
  type SheetSpec,
} from '../../../core/index.js';
import { writeCell } from '../excel/cells.js';
import { VALIDATION_HEADROOM, validationFor } from '../excel/layout.js';
import { columnName, firstRowIn, xmlEncode, type CellSpan, type RowSpan, type SheetPart, type XlsxParts } from '../excel/xlsx-parts.js';
import { deflateSegment, SEGMENT_CHARS, type Chunk, type Deflated, type Piece, type TextSource } from '../excel/zip-parts.js';
import { SpillFile } from './spill-file.js';
import { STORE_TEXT as T } from './text.js';
import { schemaColumns } from './xlsx-read.js';
import { registryRow } from './xlsx-rows.js';
import { headerPositions } from '../util/headers.js';

/** Where each row read from the file came from, and its cells as read, so a write can tell what changed. */
export interface Origin {
  parts: XlsxParts;
  sheets: Map<
    string,
    {
      part: SheetPart;
      headers: Map<string, number>;
      rows: Map<RegistryRow, { r: number; cells: RegistryRow['cells'] }>;
      /** Rows read lazily (LazyRows of this source carry their own origin, so they are not in `rows`), and how many. */
      lazy?: { source: RowSource; count: number };
    }
  >;
  /** Signature of the dropdowns and ranges the settings give each column; a change needs the full rewrite. */
  validations: string;
  /** Shared strings the headers and the sheets read whole needed (kept in the state cache: see XlsxParts.stringsRead). */
  strings: [number, string][];
}

/** Header text → column, from row 1 of the part (the rule of layout.ts headerMap, util/headers.ts). */
function partHeaders(part: SheetPart): Map<string, number> {
  const first = part.row(1);
  return first ? headerPositions(part.cells(first)) : new Map();
}

export function validationSignature(data: RegistryData): string {
  const { settings } = readSettings(data);
  return JSON.stringify(REGISTRY_SHEETS.map((s) => s.columns.map((c) => validationFor(c, settings))));
}

/**
 * What the state cache vouches for about a sheet of the file it was derived from: its non-empty rows are exactly
 * sheet rows 2 … count + 1, and `keys` gives, per key column, each row's text (cellText) where it is known (null: parse).
 */
export interface LazySheet {
  count: number;
  keys?: Record<string, (string | null)[]>;
}

/** The text the cache recorded for a key column of the row at `index` (sheet row index + 2), or undefined where unknown. */
function recordedText(source: RowSource, key: string, index: number): string | undefined {
  return source.keys?.[key]?.[index] ?? undefined;
}

/** Where lazy rows of one sheet are read from. */
interface RowSource {
  part: SheetPart;
  known: Map<number, ColumnSpec>;
  sheet: SheetSpec;
  keys: Record<string, (string | null)[]> | undefined;
}

/**
 * A row whose cells are parsed on first use: a step on a long registry reads only the rows it acts on and the log's
 * last row, and finds a project by the ID the cache recorded for its row (`peek`). (No code spreads a registry row;
 * a class keeps the per-row cost to one small object.)
 */
class LazyRow implements PeekableRow {
  private read: RegistryRow | undefined;
  /** The row's number in the file it was read from. */
  readonly r: number;
  public sheetRow: number;
  constructor(
    readonly source: RowSource,
    r: number,
  ) {
    this.r = r;
    this.sheetRow = r;
  }
  /** Where the row lies in the part (located when first needed: a segmented part inflates the segment holding it then). */
  private get span(): RowSpan {
    return this.source.part.row(this.r)!;
  }
  /** Whether anything has read the cells (a write compares only rows that were). */
  get parsed(): boolean {
    return this.read !== undefined;
  }
  get pristine(): boolean {
    return this.read === undefined;
  }
  /** The file's text of a key column, as the cache recorded it for this row. */
  peek(key: string): string | undefined {
    return recordedText(this.source, key, this.r - 2);
  }
  private row(): RegistryRow {
    if (!this.read) {
      // The cache vouched for a value in every row; an empty one still reads as a row of blanks, never as a crash.
      this.read = registryRow(this.source.part.cells(this.span), this.source.known, this.source.sheet, this.r) ?? {
        cells: Object.fromEntries(this.source.sheet.columns.map((c) => [c.key, null])),
        extra: [],
      };
      this.snapshot = { ...this.read.cells };
    }
    return this.read;
  }
  /** The cells as parsed, before anyone changed them. */
  private snapshot: RegistryRow['cells'] | undefined;
  get cells(): RegistryRow['cells'] {
    return this.row().cells;
  }
  set cells(value) {
    this.row().cells = value;
  }
  get extra(): unknown {
    return this.row().extra;
  }
  set extra(value) {
    this.row().extra = value;
  }
  /** What a plain row would serialise to (never the part it reads from). */
  toJSON(): RegistryRow {
    return { cells: this.cells, sheetRow: this.sheetRow, extra: this.extra };
  }
  /** The row as the file holds it (as first parsed): what a write compares the cells against. */
  get origin(): { r: number; cells: RegistryRow['cells'] } {
    return { r: this.r, cells: this.snapshot ?? {} };
  }
}

/** Arrays made by lazyRows, with the plain array behind each (holes where no row was made yet). */
const lazyArrays = new WeakMap<readonly RegistryRow[], { target: RegistryRow[]; source: RowSource }>();

/**
 * A lazy sheet's rows as an array whose LazyRow at index i is made the first time anything reads index i: a step on a
 * 550,000-row log reads its last row and appends, so it makes a handful of row objects instead of one per row (their
 * allocation and collection grew the tick with the log). Length, indexing, push, slice and iteration behave as on a
 * plain array of those rows; a write looks only at the rows made (see rowsMade), the others hold what the file holds.
 * (Rows only move by being read and written back, as splice and sort do, so a hole always stands for its own row.)
 */
function lazyRows(source: RowSource, count: number): RegistryRow[] {
  const target: RegistryRow[] = new Array(count);
  /** The index a property key names when it is one of the rows the file vouches for and nothing has made yet. */
  const unmade = (key: string | symbol): number => {
    if (typeof key !== 'string' || key.charCodeAt(0) < 48 || key.charCodeAt(0) > 57) return -1;
    const i = Number(key);
    return i < count && i < target.length && Number.isInteger(i) && !(i in target) ? i : -1;
  };
  const make = (key: string | symbol) => {
    const i = unmade(key);
    if (i >= 0) target[i] = new LazyRow(source, i + 2);
  };
  const rows = new Proxy(target, {
    get(t, key, receiver) {
      make(key);
      return Reflect.get(t, key, receiver);
    },
    has(t, key) {
      return unmade(key) >= 0 || Reflect.has(t, key);
    },
    getOwnPropertyDescriptor(t, key) {
      make(key);
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
    // Every index is an own key, as on the plain array (Object.keys, entries).
    ownKeys(t) {
      return [...Array.from({ length: t.length }, (_, i) => String(i)), ...Reflect.ownKeys(t).filter((k) => typeof k !== 'string' || !/^\d+$/.test(k))];
    },
  });
  lazyArrays.set(rows, { target, source });
  // Lookups by ID and the rows to derive are found from the recorded key texts, without making the other rows.
  rememberRowIndex(rows, {
    made: () => Object.keys(target).map(Number),
    text: (key, index) => recordedText(source, key, index),
  });
  return rows;
}

/**
 * The rows of a sheet a write must look at, and how many rows of a lazy array nothing made (they stand for themselves,
 * unread, in their places): every row of a plain array.
 */
export function rowsMade(rows: readonly RegistryRow[]): { rows: readonly RegistryRow[]; unmade: number } {
  const target = lazyArrays.get(rows)?.target;
  if (!target) return { rows, unmade: 0 };
  // The indexes present, ascending (Object.keys skips a holey array's holes natively: 557,000 `in` tests took 28 ms).
  const made = Object.keys(target).map((i) => target[Number(i)]!);
  return { rows: made, unmade: target.length - made.length };
}

/** Whether every row of the sheet sits at sheet row index + 2 (a lazy array's unmade rows do, by their making). */
export function numberedFromRow2(rows: readonly RegistryRow[]): boolean {
  const target = lazyArrays.get(rows)?.target;
  if (!target) return rows.every((r, i) => r.sheetRow === i + 2);
  return Object.keys(target).every((i) => target[Number(i)]!.sheetRow === Number(i) + 2);
}

/**
 * Each row's `text` of a key column (the state cache's key arrays): for a lazy array, the text its source recorded for
 * every row nothing made (it holds what the file holds) and `text` of the made ones only — at 50,000 projects, making
 * and peeking a row per index for three columns was 30 ms of a 0.57 s tick.
 */
export function columnTexts(rows: readonly RegistryRow[], key: string, text: (row: RegistryRow) => string | null): (string | null)[] {
  const lazy = lazyArrays.get(rows);
  const recorded = lazy?.source.keys?.[key];
  if (!lazy || !recorded) return rows.map(text);
  const { target } = lazy;
  // Rows past the recorded ones are all made (appended), or nothing stands for them.
  for (let i = recorded.length; i < target.length; i++) if (!(i in target)) return rows.map(text);
  const texts = recorded.slice(0, target.length);
  texts.length = target.length;
  for (const i of Object.keys(target)) texts[Number(i)] = text(target[Number(i)]!);
  return texts;
}

/**
 * Reads every registry sheet from the parts, one row at a time; `track` keeps what a later write needs. `lazy`: the
 * state cache vouches (for these very bytes) that a sheet holds exactly that many non-empty rows from row 2 on, so
 * they are located but left unparsed until read.
 */
export async function readParts(
  parts: XlsxParts,
  location: string,
  track: boolean,
  lazy: Partial<Record<SheetKey, LazySheet>> = {},
): Promise<{ data: RegistryData; origin?: Origin; lazy: { sheet: SheetKey; segmented: boolean }[] }> {
  const data = {} as RegistryData;
  const lazySheets: { sheet: SheetKey; segmented: boolean }[] = [];
  const origin: Origin = { parts, sheets: new Map(), validations: '', strings: [] };
  for (const sheet of REGISTRY_SHEETS) {
    const vouched = lazy[sheet.key]?.count;
    // Rows the cache vouches for are 2 … vouched + 1, the header row 1: the part may stay in segments.
    const part = await parts.sheet(sheet.name, vouched === undefined ? undefined : vouched + 1);
    if (!part) throw new CoopError('REGISTRY_LAYOUT', T.missingSheet(location, sheet.name));
    const headers = partHeaders(part);
    const known = schemaColumns(headers, sheet, location);
    const rows: RegistryRow[] = [];
    const tracked = new Map<RegistryRow, { r: number; cells: RegistryRow['cells'] }>();
    if (vouched !== undefined && vouchedRows(part, vouched)) {
      const source = { part, known, sheet, keys: lazy[sheet.key]!.keys };
      lazySheets.push({ sheet: sheet.key, segmented: part.segmented });
      data[sheet.key] = lazyRows(source, vouched);
      if (track) origin.sheets.set(sheet.name, { part, headers, rows: tracked, lazy: { source, count: vouched } });
      continue;
    }
    for (const span of part.rows) {
      if (span.r < 2) continue;
      const row = registryRow(part.cells(span), known, sheet, span.r);
      if (!row) continue;
      rows.push(row);
      if (track) tracked.set(row, { r: span.r, cells: { ...row.cells } });
    }
    data[sheet.key] = rows;
    if (track) origin.sheets.set(sheet.name, { part, headers, rows: tracked });
  }
  if (!track) return { data, lazy: lazySheets };
  // Before any lazy row is read: what every step needs (headers, 设置 and the other sheets read whole).
  origin.strings = parts.stringsRead();
  origin.validations = validationSignature(data);
  return { data, origin, lazy: lazySheets };
}

/** Whether the part's non-empty rows can be exactly 2 … count + 1 as the cache says: no other row elements with r ≥ 2. */
function vouchedRows(part: SheetPart, count: number): boolean {
  if (part.dense) return part.lastRow === count + 1;
  const spans = part.rows.filter((span) => span.r >= 2);
  return spans.length === count && (!count || spans.at(-1)!.r === count + 1);
}

/** A cell element for an exceljs-style value (a hyperlink's text; the link goes in <hyperlinks>), or null when only the full rewrite can write it. */
function cellXml(ref: string, style: string | undefined, value: ExcelJS.CellValue, date1904: boolean): string | null {
  const s = style === undefined ? '' : ` s="${style}"`;
  if (value === null || value === undefined) return style === undefined ? '' : `<c r="${ref}"${s}/>`;
  if (typeof value === 'string') return `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${xmlEncode(value)}</t></is></c>`;
  if (typeof value === 'number') return Number.isFinite(value) ? `<c r="${ref}"${s}><v>${value}</v></c>` : `<c r="${ref}"${s}/>`;
  if (typeof value === 'boolean') return `<c r="${ref}"${s} t="b"><v>${value ? 1 : 0}</v></c>`;
  if (value instanceof Date) return `<c r="${ref}"${s}><v>${value.getTime() / 86_400_000 + 25569 - (date1904 ? 1462 : 0)}</v></c>`;
  if (typeof value === 'object' && 'hyperlink' in value && typeof value.text === 'string') return cellXml(ref, style, value.text, date1904);
  return null;
}

/**
 * The style a written cell takes: its own if it has one, else its column's. A date needs a date style
 * (otherwise Excel would show a serial number), which only the full rewrite can add.
 */
function styleFor(parts: XlsxParts, part: SheetPart, column: number, own: string | undefined, value: ExcelJS.CellValue): string | undefined | false {
  const style = own ?? part.columnStyle(column);
  if (value instanceof Date && !parts.isDateStyle(style)) {
    const columnStyle = part.columnStyle(column);
    return parts.isDateStyle(columnStyle) ? columnStyle : false;
  }
  return style;
}

/** A row element with the given cells replaced; null when a cell cannot be written in place. */
function rowXml(
  parts: XlsxParts,
  part: SheetPart,
  r: number,
  open: string,
  existing: CellSpan[],
  changes: Map<number, ExcelJS.CellValue>,
  links: Map<string, string | null>,
): string | null {
  const byColumn = new Map(existing.map((c) => [c.column, c]));
  for (const [column, value] of changes) {
    const ref = `${columnName(column)}${r}`;
    const link = value && typeof value === 'object' && 'hyperlink' in value ? value.hyperlink : null;
    if (link !== null || part.hyperlinks.has(ref)) links.set(ref, link);
    const style = styleFor(parts, part, column, byColumn.get(column)?.style, value);
    if (style === false) return null;
    const xml = cellXml(ref, style, value, parts.date1904);
    if (xml === null) return null;
    byColumn.set(column, { column, style, xml });
  }
  const cells = [...byColumn.values()].sort((a, b) => a.column - b.column).map((c) => c.xml);
  // spans is an optional hint that a new cell could contradict: drop it.
  const tag = open.replace(/\sspans="[^"]*"/, '');
  return `${tag}>${cells.join('')}</row>`;
}

/**
 * Whether a new row at `r` can be written later without touching anything beyond its own XML: no hyperlink (new or
 * left over at that address) and a date style for every date it holds, so `rowXml` cannot refuse it.
 */
function appendsPlainly(parts: XlsxParts, part: SheetPart, positioned: readonly (readonly [number, ColumnSpec])[], row: RegistryRow, r: number): boolean {
  for (const [index, column] of positioned) {
    const value = row.cells[column.key];
    if (part.hyperlinks.size && part.hyperlinks.has(`${columnName(index)}${r}`)) return false;
    if (value === null || value === undefined || value === '') continue;
    if (column.type === 'link' || (column.type === 'date' && !parts.isDateStyle(part.columnStyle(index)))) return false;
  }
  return true;
}

type Tracked = NonNullable<Origin['sheets'] extends Map<string, infer V> ? V : never>;

/** The last row holding anything: new rows go below it. */
function lastDataRow({ part, rows, lazy }: Tracked): number {
  // A segmented part's rows are all data (the cache vouched for them).
  if (part.segmented) return part.lastRow;
  let lastData = 1;
  for (const { r } of rows.values()) lastData = Math.max(lastData, r);
  if (lazy) lastData = Math.max(lastData, lazy.count + 1);
  // Rows the reader skipped as empty may still hold values (an all-FALSE row): never write over a row with cells.
  for (const s of part.rows) if (s.r > lastData && part.cells(s).length) lastData = s.r;
  return lastData;
}

/** Whether a row of `data` was read from the sheet (rather than added by the change). */
function fromSheet(tracked: Tracked, row: RegistryRow): boolean {
  return tracked.rows.has(row) || (row instanceof LazyRow && row.source === tracked.lazy?.source);
}

/** Rows appended to one sheet while the change ran: how many, after how many new rows `data` holds, and their deflated XML. */
interface Streamed {
  held: number;
  rows: number;
  deflated: Deflated<Chunk>;
}

/**
 * Appends new rows to their sheet as they come (`coop import` of a large file): each row becomes XML at once and is
 * deflated in segments of the same kind `deflateSegments` writes, so nothing of it stays in memory but compressed
 * bytes. The rows go below those `data` already holds as new; from the first appended row on, `data` takes no new rows
 * of that sheet. A sheet whose last rows carry formatting or links, or whose date columns have no date style, is not
 * appended to (`append` returns false and the row stays in `data`).
 */
export class RowAppender {
  private readonly sheets = new Map<
    string,
    {
      tracked: Tracked;
      cells: { index: number; column: ColumnSpec; letters: string; style: string | undefined }[];
      next: number;
      held: number;
      pending: string[];
      chars: number;
      deflated: Deflated<Chunk>;
      rows: number;
    } | null
  >();
  /** Where the deflated rows go until the write (beside the registry when its path is given, else kept in memory). */
  private readonly spill: SpillFile | undefined;

  constructor(
    private readonly origin: Origin,
    private readonly data: RegistryData,
    registry?: string,
  ) {
    this.spill = registry === undefined ? undefined : new SpillFile(registry);
  }

  /** Lets go of the spill file (after the write, or when the change failed or wrote nothing). */
  close(): void {
    this.spill?.close();
  }

  /** Rows appended so far, over all sheets. */
  get appended(): number {
    let n = 0;
    for (const s of this.sheets.values()) n += s?.rows ?? 0;
    return n;
  }

  append(sheet: SheetSpec, row: RegistryRow): boolean {
    let state = this.sheets.get(sheet.name);
    if (state === undefined) {
      state = this.start(sheet);
      this.sheets.set(sheet.name, state);
    }
    if (!state) return false;
    const r = state.next++;
    // What rowXml writes for a new row, without its per-row maps: every schema cell in column order, in its column's style
    // (`start` made sure date columns have a date style and no link lies below the data).
    let xml = `<row r="${r}">`;
    for (const c of state.cells) {
      const value = writeCell(row.cells[c.column.key], c.column);
      // A link needs a <hyperlinks> entry and a relationship, which only the ordinary write adds.
      const cell = value && typeof value === 'object' && 'hyperlink' in value ? null : cellXml(`${c.letters}${r}`, c.style, value, this.origin.parts.date1904);
      if (cell === null) throw new Error(`${sheet.name}: row ${r} cannot be appended`);
      xml += cell;
    }
    xml += '</row>';
    state.pending.push(xml);
    state.chars += xml.length;
    state.rows++;
    if (state.chars >= SEGMENT_CHARS) this.flush(state);
    return true;
  }

  /** What each sheet got, its last segment deflated: for `patchRegistry`. */
  finish(): Map<string, Streamed> {
    const out = new Map<string, Streamed>();
    for (const [name, state] of this.sheets) {
      if (!state?.rows) continue;
      this.flush(state);
      out.set(name, { held: state.held, rows: state.rows, deflated: state.deflated });
    }
    return out;
  }

  private flush(state: { pending: string[]; chars: number; deflated: Deflated<Chunk> }): void {
    if (!state.chars) return;
    const text = state.pending.join('');
    const { data, segment } = deflateSegment(text, false);
    // On disk until the archive is written: a 100,000-row import appends ~12 MB of compressed rows.
    state.deflated.chunks.push(this.spill ? this.spill.append(data) : data);
    // Noted with its first row, as deflateSegments notes a worksheet's: a later tick can then keep the sheet in segments.
    state.deflated.segments.push({ ...segment, row: firstRowIn(text) });
    state.pending = [];
    state.chars = 0;
  }

  private start(sheet: SheetSpec) {
    const tracked = this.origin.sheets.get(sheet.name);
    if (!tracked) return null;
    const { part, headers } = tracked;
    const lastData = lastDataRow(tracked);
    // Formatted empty rows or links below the data would have to be merged into: the ordinary path does that.
    if ((!part.segmented && part.rows.some((s) => s.r > lastData)) || [...part.hyperlinks.keys()].some((ref) => Number(/\d+$/.exec(ref)?.[0]) > lastData))
      return null;
    if (sheet.columns.some((c) => c.type === 'date' && !this.origin.parts.isDateStyle(part.columnStyle(headers.get(c.header)!)))) return null;
    const held = this.data[sheet.key].filter((r) => !fromSheet(tracked, r)).length;
    const cells = sheet.columns
      .map((column) => {
        const index = headers.get(column.header)!;
        return { index, column, letters: columnName(index), style: part.columnStyle(index) };
      })
      .sort((a, b) => a.index - b.index);
    return { tracked, cells, next: lastData + 1 + held, held, pending: [], chars: 0, deflated: { chunks: [], segments: [] }, rows: 0 };
  }
}

/** The patched XML of one sheet, or undefined when nothing changed, or null when only the full rewrite will do. */
function patchSheet(
  parts: XlsxParts,
  sheet: SheetSpec,
  rows: RegistryRow[],
  tracked: Tracked,
  streamed?: Streamed,
): { pieces: Piece<Chunk>[]; rels?: string } | undefined | null {
  const { part, headers } = tracked;
  const positioned = sheet.columns.map((c) => [headers.get(c.header)!, c] as const);
  const patches = new Map<number, string | (() => string)>();
  const links = new Map<string, string | null>();
  let lastOriginal = 0;
  let seen = 0;
  const lastData = lastDataRow(tracked);
  let next = lastData + 1;
  const lazy = tracked.lazy?.source;
  // Rows nothing made stand for themselves, unread: seen, unchanged.
  const made = rowsMade(rows);
  seen += made.unmade;
  for (const row of made.rows) {
    const fromHere = row instanceof LazyRow && row.source === lazy;
    let origin = fromHere ? undefined : tracked.rows.get(row);
    if (fromHere || origin) {
      const r = fromHere ? row.r : origin!.r;
      // Rows removed or reordered: the full rewrite renumbers them.
      if (r <= lastOriginal) return null;
      lastOriginal = r;
      seen++;
      // A lazy row nothing read holds what the file holds; one that was read is compared with a fresh parse.
      if (fromHere) {
        if (!row.parsed) continue;
        origin = row.origin;
      }
      if (!origin) continue;
      const before = origin.cells;
      const after = row.cells;
      let changes: Map<number, ExcelJS.CellValue> | undefined;
      for (const [index, column] of positioned) {
        const value = after[column.key] ?? null;
        if (Object.is(before[column.key] ?? null, value)) continue;
        changes ??= new Map();
        changes.set(index, writeCell(value, column));
      }
      if (!changes) continue;
      const span = part.row(origin.r)!;
      const text = part.text(span.start, span.end);
      const open = /^<row\b[^>]*?(?=\/?>)/.exec(text)![0];
      const xml = rowXml(parts, part, origin.r, open, part.cellSpans(span), changes, links);
      if (xml === null) return null;
      patches.set(origin.r, xml);
    } else {
      if (row.extra && (row.extra as unknown[]).length) return null;
      const r = next++;
      if (!part.row(r) && appendsPlainly(parts, part, positioned, row, r)) {
        // Written when deflated: an import appending 100,000 rows never holds them all as XML.
        patches.set(r, () => {
          const changes = new Map(positioned.map(([index, column]) => [index, writeCell(row.cells[column.key], column)] as const));
          const xml = rowXml(parts, part, r, `<row r="${r}"`, [], changes, links);
          if (xml === null) throw new Error(`row ${r} cannot be appended`);
          return xml;
        });
        row.sheetRow = r;
        continue;
      }
      const changes = new Map<number, ExcelJS.CellValue>();
      for (const [index, column] of positioned) changes.set(index, writeCell(row.cells[column.key], column));
      const span = part.row(r);
      const existing = span
        ? part.cellSpans(span).map((c) => ({ ...c, xml: `<c r="${columnName(c.column)}${r}"${c.style === undefined ? '' : ` s="${c.style}"`}/>` }))
        : [];
      const open = span ? /^<row\b[^>]*?(?=\/?>)/.exec(part.text(span.start, span.end))![0] : `<row r="${r}"`;
      const xml = rowXml(parts, part, r, open, existing, changes, links);
      if (xml === null) return null;
      patches.set(r, xml);
      row.sheetRow = r;
    }
  }
  if (seen !== tracked.rows.size + (tracked.lazy?.count ?? 0)) return null;
  if (streamed && next !== lastData + 1 + streamed.held) return null;
  if (!patches.size && !streamed) return undefined;
  const { head, rows: body, tail } = spliceRows(part, patches, next - 1 + (streamed?.rows ?? 0), streamed?.deflated);
  // The head and the tail (dimension, dropdown ranges, links) change with almost every write: each its own small segment.
  if (!links.size) return { pieces: [head, null, ...body, null, tail] };
  const linked = withHyperlinks(part, head, tail, links);
  return linked && { pieces: [head, null, ...body, null, linked.tail], rels: linked.rels };
}

/** Elements CT_Worksheet places after <hyperlinks>: a new <hyperlinks> goes before the first of them. */
const AFTER_HYPERLINKS =
  /<(?:printOptions|pageMargins|pageSetup|headerFooter|rowBreaks|colBreaks|customProperties|cellWatches|ignoredErrors|smartTags|drawing|legacyDrawing|legacyDrawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst)\b|<\/worksheet>/;

/** The sheet's tail (from </sheetData>) with its <hyperlinks> and relationships set for the changed link cells (null target: link removed). */
function withHyperlinks(part: SheetPart, head: string, sheetTail: string, links: Map<string, string | null>): { tail: string; rels: string } | null {
  if (!/^[\s\S]*?<worksheet\b[^>]*\sxmlns:r="/.test(head.slice(0, 2000))) return null;
  let rels =
    part.rels.xml ??
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';
  if (!rels.includes('</Relationships>')) return null;
  const ids = new Set([...rels.matchAll(/\bId="([^"]+)"/g)].map((m) => m[1]!));
  let n = ids.size + 1;
  const added: string[] = [];
  const elements: string[] = [];
  for (const [ref, target] of links) {
    if (target === null) continue;
    while (ids.has(`rId${n}`)) n++;
    const id = `rId${n}`;
    ids.add(id);
    added.push(
      `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="${xmlEncode(target)}" TargetMode="External"/>`,
    );
    elements.push(`<hyperlink ref="${ref}" r:id="${id}"/>`);
  }
  rels = rels.replace('</Relationships>', `${added.join('')}</Relationships>`);
  let tail = sheetTail;
  // Drop the old links of the changed cells; keep every other.
  tail = tail.replace(/<hyperlink\b[^>]*?\bref="([A-Z]+\d+)"[^>]*?(?:\/>|>[\s\S]*?<\/hyperlink>)/g, (m, ref: string) => (links.has(ref) ? '' : m));
  if (/<hyperlinks>/.test(tail)) tail = tail.replace('</hyperlinks>', `${elements.join('')}</hyperlinks>`);
  else if (elements.length) {
    const at = AFTER_HYPERLINKS.exec(tail)!.index;
    tail = `${tail.slice(0, at)}<hyperlinks>${elements.join('')}</hyperlinks>${tail.slice(at)}`;
  }
  tail = tail.replace(/<hyperlinks>\s*<\/hyperlinks>|<hyperlinks\/>/, '');
  return { tail, rels };
}

/**
 * The part with rows replaced or inserted in order, and its dimension and validation ranges grown to the last row:
 * the new head (up to the cell data), the cell data as new rows and ranges of the old XML, and the new tail (from </sheetData>).
 */
function spliceRows(
  part: SheetPart,
  patches: Map<number, string | (() => string)>,
  lastRow: number,
  appended?: Deflated<Chunk>,
): { head: string; rows: Piece<Chunk>[]; tail: string } {
  const out: Piece<Chunk>[] = [];
  const pending = [...patches.keys()].sort((a, b) => a - b);
  const keep = (from: number, to: number) => {
    if (to > from) out.push([from, to]);
  };
  let p = 0;
  let at = part.dataStart;
  // A segmented part has rows 1 … lastRow and nothing else: a patch replaces one of them or follows them all.
  for (const span of part.segmented ? pending.filter((r) => r <= part.lastRow).map((r) => part.row(r)!) : part.rows) {
    if (p < pending.length && pending[p]! < span.r) {
      keep(at, span.start);
      at = span.start;
      while (p < pending.length && pending[p]! < span.r) out.push(patches.get(pending[p++]!)!);
    }
    if (patches.has(span.r)) {
      keep(at, span.start);
      out.push(patches.get(span.r)!);
      p++;
      at = span.end;
    }
  }
  keep(at, part.dataEnd);
  while (p < pending.length) out.push(patches.get(pending[p++]!)!);
  if (appended) out.push(appended);
  let head = part.head;
  let tail = part.tail;
  if (part.selfClosing) {
    head = head.replace(/<sheetData\b([^>]*?)\/>$/, '<sheetData$1>');
    tail = `</sheetData>${tail}`;
  }
  head = head.replace(/(<dimension\s+ref="[A-Z]+\d+:[A-Z]+)(\d+)"/, (m, a: string, n: string) => (Number(n) < lastRow ? `${a}${lastRow}"` : m));
  // Dropdowns cover the data plus headroom (layout.ts applyValidations); keep that true as rows are appended.
  const reach = lastRow + VALIDATION_HEADROOM;
  tail = tail.replace(
    /(<dataValidation\b[^>]*\bsqref=")([^"]*)"/g,
    (_, a: string, refs: string) =>
      `${a}${refs.replace(/\b([A-Z]+)2:([A-Z]+)(\d+)\b/g, (m, c1: string, c2: string, n: string) => (Number(n) < reach && Number(n) > 2 ? `${c1}2:${c2}${reach}` : m))}"`,
  );
  return { head, rows: out, tail };
}

/** The workbook with only its changed sheets rewritten (the file's pieces, see XlsxParts.save), or null when only the full rewrite can express the change. */
export async function patchRegistry(origin: Origin, data: RegistryData, appender?: RowAppender): Promise<Buffer[] | null> {
  if (validationSignature(data) !== origin.validations) return null;
  const changed: [string, string | Piece<Chunk>[], TextSource | undefined][] = [];
  const streamed = appender?.finish();
  for (const sheet of REGISTRY_SHEETS) {
    const tracked = origin.sheets.get(sheet.name)!;
    const patched = patchSheet(origin.parts, sheet, data[sheet.key], tracked, streamed?.get(sheet.name));
    if (patched === null) return null;
    if (patched === undefined) continue;
    changed.push([tracked.part.path, patched.pieces, tracked.part.source]);
    if (patched.rels) changed.push([tracked.part.rels.path, patched.rels, undefined]);
  }
  for (const [path, content, old] of changed) origin.parts.replace(path, content, old);
  return origin.parts.save();
}
