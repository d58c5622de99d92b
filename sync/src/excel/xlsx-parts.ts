/**
 * Reads and patches an .xlsx directly at the level of its zip parts: a sheet's rows are found by offset in its
 * XML and parsed one at a time, and a save re-deflates only the parts that changed (the others keep their
 * compressed bytes). What this cannot handle faithfully it refuses with UnsupportedWorkbook, and the caller
 * falls back to exceljs's full model.
 */
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import { columnLetter } from '../util/a1.js';
import type ExcelJS from 'exceljs';
import {
  UnsupportedZip,
  deflateSegments,
  entryData,
  inflateEntry,
  inflateSegment,
  readZip,
  zipPieces,
  type Chunk,
  type DeflatedPart,
  type Piece,
  type Segment,
  type TextSource,
  type ZipArchive,
  type ZipEntry,
} from './zip-parts.js';

/** The workbook uses something the part reader does not handle; callers fall back to exceljs's full model. */
export class UnsupportedWorkbook extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML text → string: the five named entities and numeric character references. */
export function xmlDecode(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ENTITIES[e]!,
  );
}

/** String → XML text; characters XML cannot carry are dropped (as exceljs does), CR survives as a reference. */
export function xmlEncode(text: string): string {
  return text
    .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, '')
    .replace(/[<>&"\r]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : ch === '"' ? '&quot;' : '&#13;'));
}

/** Attributes of one start tag, by name (prefixes kept: `r:id`). */
export function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[m[1]!] = xmlDecode(m[2] ?? m[3] ?? '');
  return out;
}

/** "AB12" → [12, 28]; a reference without a row gives row 0. */
export function cellAddress(ref: string): [row: number, column: number] {
  let column = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return [Number(ref.slice(i)) || 0, column];
}

export function columnName(index: number): string {
  return columnLetter(index);
}

/** Whether a number format shows a date (exceljs's rule: y m d h s b outside quotes and brackets). */
function isDateFormat(format: string): boolean {
  return /[ymdhMsb]/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** Built-in date formats, including the East Asian ones WPS and Excel in Chinese use (27–36, 50–58). */
function isBuiltinDate(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/** A part path from a relationship target: absolute (`/xl/…`, as openpyxl writes) or relative to `base`. */
function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').filter(Boolean);
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.') parts.push(piece);
  }
  return parts.join('/');
}

interface Relationship {
  target: string;
  type: string;
  external: boolean;
}

function relationships(xml: string | undefined, base: string): Map<string, Relationship> {
  const out = new Map<string, Relationship>();
  if (!xml) return out;
  for (const m of xml.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const a = attributes(m[1]!);
    if (!a.Id || a.Target === undefined) continue;
    const external = a.TargetMode === 'External';
    out.set(a.Id, { target: external ? a.Target : resolveTarget(base, a.Target), type: a.Type ?? '', external });
  }
  return out;
}

/** One row element of a sheet: where it lies in the part's XML. */
export interface RowSpan {
  r: number;
  start: number;
  end: number;
}

/** One cell element of a row: its column, style index, and the XML it came as. */
export interface CellSpan {
  column: number;
  style: string | undefined;
  xml: string;
}

const CELL = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
const ROW = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g;

/**
 * A part's text kept as the segments it was deflated in (zip-parts.ts), each inflated only when something reads
 * inside it: a step on a long sheet inflates its head, its tail and the few segments holding the rows it touches.
 */
export class SegmentedText implements TextSource {
  readonly length: number;
  private readonly starts: number[] = [];
  private readonly offsets: number[] = [];
  private readonly texts: (string | undefined)[];

  constructor(
    private readonly data: Buffer,
    readonly segments: readonly Segment[],
  ) {
    let chars = 0;
    let bytes = 0;
    for (const s of segments) {
      this.starts.push(chars);
      this.offsets.push(bytes);
      chars += s.chars;
      bytes += s.size;
    }
    this.length = chars;
    this.texts = new Array(segments.length);
  }

  /** Where segment k's text starts in the part's text. */
  start(k: number): number {
    return this.starts[k]!;
  }

  /** The text of segment k (inflated on first use). */
  segment(k: number): string {
    let text = this.texts[k];
    if (text === undefined) {
      const s = this.segments[k]!;
      text = inflateSegment(this.data.subarray(this.offsets[k]!, this.offsets[k]! + s.size)).toString('utf8');
      // The cache vouched for these bytes: a segment that does not inflate to its recorded size is a bug, not a file.
      if (text.length !== s.chars) throw new Error(`segment ${k}: ${text.length} characters, ${s.chars} recorded`);
      this.texts[k] = text;
    }
    return text;
  }

  /** The segment holding character `at`. */
  segmentAt(at: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  slice(from: number, to: number = this.length): string {
    if (to <= from) return '';
    let k = this.segmentAt(from);
    let out = '';
    for (; k < this.segments.length && this.starts[k]! < to; k++) {
      const start = this.starts[k]!;
      out += this.segment(k).slice(Math.max(0, from - start), to - start);
    }
    return out;
  }
}

const ROW_START = /<row\b[^>]*?\sr="(\d+)"/;

/** The row number of the first row element that starts, tag complete, in a stretch of sheet XML (0: none): what a segment records. */
export function firstRowIn(text: string): number {
  const m = ROW_START.exec(text);
  return m ? Number(m[1]) : 0;
}

/** One worksheet part, its rows located but parsed only on demand. */
export class SheetPart {
  /** Start and end of the content of <sheetData> (equal for an empty `<sheetData/>`, which `selfClosing` marks). */
  readonly dataStart: number;
  readonly dataEnd: number;
  readonly selfClosing: boolean;
  /** The XML before the cell data (through <sheetData>) and from </sheetData> on. */
  readonly head: string;
  readonly tail: string;
  /** Every row element, in order; only when the part was inflated whole (see `dense`). */
  private readonly spans: RowSpan[] | undefined;
  private readonly located = new Map<number, RowSpan>();

  constructor(
    readonly path: string,
    /** The part's XML: inflated whole, or segments inflated on demand (then its rows are exactly 1 … `lastRow`). */
    readonly source: string | SegmentedText,
    private readonly book: XlsxParts,
    /** Cell reference → hyperlink target. */
    readonly hyperlinks: Map<string, string>,
    /** The part's relationships file: where it is, and its XML if it has one. */
    readonly rels: { path: string; xml: string | undefined },
    head: string,
    tail: string,
    lastRow?: number,
  ) {
    // A prefixed worksheet (<x:sheetData>) has no plain <sheetData> and is refused below.
    if (/<\w+:worksheet\b/.test(head.slice(0, 4096))) throw new UnsupportedWorkbook(`${path}: prefixed SpreadsheetML`);
    const open = /<sheetData\b[^>]*?(\/?)>/.exec(head);
    if (!open) throw new UnsupportedWorkbook(`${path}: no sheetData`);
    this.selfClosing = open[1] === '/';
    this.dataStart = open.index + open[0].length;
    if (typeof source !== 'string') {
      // Segmented: the head segment ends with <sheetData>, the tail segment starts with </sheetData>.
      if (this.selfClosing || this.dataStart !== head.length || !tail.startsWith('</sheetData>')) throw new UnsupportedWorkbook(`${path}: segments`);
      this.dataEnd = source.length - tail.length;
      this.head = head;
      this.tail = tail;
      this.lastRow = lastRow ?? 0;
      this.dense = true;
      return;
    }
    const xml = source;
    this.dataEnd = this.selfClosing ? this.dataStart : xml.indexOf('</sheetData>', this.dataStart);
    if (this.dataEnd < 0) throw new UnsupportedWorkbook(`${path}: unterminated sheetData`);
    this.head = xml.slice(0, this.dataStart);
    this.tail = xml.slice(this.dataEnd);
    const spans: RowSpan[] = [];
    ROW.lastIndex = this.dataStart;
    let previous = 0;
    for (let m = ROW.exec(xml); m && m.index < this.dataEnd; m = ROW.exec(xml)) {
      const r = /\br="(\d+)"/.exec(m[1]!);
      const number = r ? Number(r[1]) : previous + 1;
      if (number <= previous) throw new UnsupportedWorkbook(`${path}: rows out of order`);
      spans.push({ r: number, start: m.index, end: m.index + m[0].length });
      previous = number;
    }
    this.spans = spans;
    this.lastRow = previous;
    this.dense = spans.every((s, i) => s.r === i + 1);
  }

  /** The last row element's number. */
  readonly lastRow: number;
  /** Whether the row elements are exactly 1 … lastRow. */
  readonly dense: boolean;

  /** Every row element (a part inflated whole only: a segmented part locates rows one by one, see `row`). */
  get rows(): readonly RowSpan[] {
    if (!this.spans) throw new Error(`${this.path}: rows of a segmented part are located one by one`);
    return this.spans;
  }

  /** The row element numbered r, if the part has one. */
  row(r: number): RowSpan | undefined {
    if (this.spans) {
      if (this.dense) return this.spans[r - 1];
      let lo = 0;
      let hi = this.spans.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const at = this.spans[mid]!.r;
        if (at === r) return this.spans[mid];
        if (at < r) lo = mid + 1;
        else hi = mid - 1;
      }
      return undefined;
    }
    return r >= 1 && r <= this.lastRow ? this.locate(r) : undefined;
  }

  /**
   * Finds row r in a segmented part: from the last data segment whose first complete row starts at or before r,
   * scanning on into the following segments as far as the row reaches.
   */
  private locate(r: number): RowSpan | undefined {
    const known = this.located.get(r);
    if (known) return known;
    const text = this.source as SegmentedText;
    const last = text.segments.length - 2;
    let k = 1;
    for (let i = last; i >= 1; i--) {
      const first = text.segments[i]!.row ?? 0;
      if (first > 0 && first <= r) {
        k = i;
        break;
      }
    }
    let base = text.start(k);
    let chunk = text.segment(k);
    // Rows read in order (a day's first tick derives them all) carry on from the row before, not the segment's start.
    const previous = this.located.get(r - 1);
    if (previous && previous.end >= base) {
      k = text.segmentAt(previous.end);
      base = previous.end;
      chunk = text.segment(k).slice(base - text.start(k));
    }
    let from = 0;
    const row = new RegExp(ROW.source, 'g');
    for (;;) {
      row.lastIndex = from;
      for (let m = row.exec(chunk); m; m = row.exec(chunk)) {
        const n = /\br="(\d+)"/.exec(m[1]!);
        if (!n) throw new UnsupportedWorkbook(`${this.path}: row without a number`);
        const span = { r: Number(n[1]), start: base + m.index, end: base + m.index + m[0].length };
        this.located.set(span.r, span);
        if (span.r >= r) return span.r === r ? span : undefined;
        from = row.lastIndex;
      }
      // The row reaches into the next segment (or starts there): carry the unread rest over.
      if (++k > last) return undefined;
      chunk = chunk.slice(from) + text.segment(k);
      base += from;
      from = 0;
    }
  }

  /** Whether the part is kept in segments (see SegmentedText) rather than inflated whole. */
  get segmented(): boolean {
    return typeof this.source !== 'string';
  }

  /** Text of the part's XML, [from, to). */
  text(from: number, to: number): string {
    return this.source.slice(from, to);
  }

  /** The cells of a row as written, in column order. */
  cellSpans(row: RowSpan): CellSpan[] {
    const text = this.text(row.start, row.end);
    const out: CellSpan[] = [];
    let previous = 0;
    for (const m of text.matchAll(CELL)) {
      const a = m[1]!;
      const ref = /\br="([A-Z]+)\d*"/.exec(a);
      const column = ref ? cellAddress(ref[1]!)[1] : previous + 1;
      out.push({ column, style: /\bs="(\d+)"/.exec(a)?.[1], xml: m[0] });
      previous = column;
    }
    return out;
  }

  /** The values of a row's cells as exceljs would give them (rich text flattened, formulas with their result). */
  cells(row: RowSpan): [column: number, value: ExcelJS.CellValue][] {
    // A part inflated whole is scanned in place (no slice per row or cell): this loop is every read command's hot path.
    if (typeof this.source === 'string') return rowCells(this.book, this.hyperlinks, this.source, row.start, row.end, row.r);
    return rowCells(this.book, this.hyperlinks, this.text(row.start, row.end), 0, row.end - row.start, row.r);
  }

  /** `<col>` style index of a column, if the sheet gives it one. */
  columnStyle(column: number): string | undefined {
    // Parsed once per part: an import appends thousands of rows and asks for every cell.
    this.cols ??= [...this.head.matchAll(/<col\b([^>]*)>/g)].map((m) => {
      const a = attributes(m[1]!);
      return { min: Number(a.min), max: Number(a.max), style: a.style };
    });
    return this.cols.find((c) => c.min <= column && column <= c.max)?.style;
  }

  private cols: { min: number; max: number; style: string | undefined }[] | undefined;
}

const [SLASH, GT, SPACE] = [0x2f, 0x3e, 0x20];

/**
 * The shared string table, each string decoded when a cell first asks for it: a step on a long registry reads a few
 * of the tens of thousands the log's rows hold. The part is first inflated only in part (a prefix of the deflate
 * stream: 128 KB of it), whole when a string lies beyond that, and located by one indexOf pass over what is inflated.
 */
class SharedStrings {
  /** Bytes, not text: each string is decoded on its own, so none keeps the whole table alive (UTF-16 once it holds Chinese). */
  private xml: Buffer = Buffer.alloc(0);
  private complete: boolean;
  private exhausted = false;
  /** Compressed bytes to inflate first (then, if a string lies beyond them, the whole part). */
  private budget = 1 << 17;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Where locating continues: just past the last whole <si> element found. */
  private scanned = 0;
  /** By index (a Map: seeded indexes lie far apart, and a sparse array would be walked to its length). */
  private readonly decoded = new Map<number, string>();

  constructor(
    private readonly zip: ZipArchive | undefined,
    private readonly entry: ZipEntry | undefined,
  ) {
    this.complete = !entry;
  }

  /** Inflates a longer prefix of the part (or all of it). */
  private grow(): void {
    const entry = this.entry!;
    if (entry.method !== 8 || this.budget >= entry.compressedSize) {
      this.xml = inflateBytes(this.zip!, entry, entry.name);
      this.complete = true;
      return;
    }
    // A prefix of a deflate stream inflates to a prefix of the text (a character cut at the end is never inside a whole <si>).
    this.xml = inflateSegment(entryData(this.zip!, entry).subarray(0, this.budget));
    // Only one partial try: a reader that needs strings past it (a command reading every row) inflates all at once next.
    this.budget = Number.POSITIVE_INFINITY;
  }

  /** Locates the <si> elements of the inflated text not yet located. */
  private locate(): void {
    const xml = this.xml;
    const { starts, ends } = this;
    let at = xml.indexOf('<si', this.scanned);
    for (; at >= 0; at = xml.indexOf('<si', at + 3)) {
      const next = xml[at + 3];
      if (next === undefined) break;
      if (next === SLASH) {
        starts.push(at);
        ends.push(at);
      } else if (next === GT || next === SPACE) {
        const open = xml.indexOf('>', at);
        if (open < 0) break;
        if (xml[open - 1] === SLASH) {
          starts.push(open);
          ends.push(open);
          at = open;
          this.scanned = open + 1;
          continue;
        }
        const close = xml.indexOf('</si>', open);
        if (close < 0) break;
        starts.push(open + 1);
        ends.push(close);
        at = close;
      } else continue;
      this.scanned = at + 3;
    }
  }

  /** Strings known from elsewhere for these very bytes (the state cache): asked for, they need no inflating. */
  seed(known: readonly [number, string][]): void {
    for (const [index, value] of known) if (Number.isInteger(index) && index >= 0 && typeof value === 'string') this.decoded.set(index, value);
  }

  /** Every string decoded or seeded so far, by index. */
  read(): [number, string][] {
    return [...this.decoded];
  }

  at(index: number): string | null {
    if (!(index >= 0)) return null;
    const known = this.decoded.get(index);
    if (known !== undefined) return known;
    while (index >= this.starts.length && !this.exhausted) {
      // Once the whole part is inflated, one last pass locates the rest; after that an index past the end is no string.
      this.exhausted = this.complete;
      if (!this.complete) this.grow();
      this.locate();
    }
    if (index >= this.starts.length) return null;
    let value = this.decoded.get(index);
    if (value === undefined) {
      const start = this.starts[index]!;
      const end = this.ends[index]!;
      value = end > start ? inlineText(this.xml.toString('utf8', start, end)) : '';
      this.decoded.set(index, value);
    }
    return value;
  }
}

/** An .xlsx opened as parts: workbook, shared strings and styles parsed; worksheets on demand. */
export class XlsxParts {
  private readonly replaced = new Map<string, { pieces: Piece<Chunk>[]; old: TextSource | undefined }>();
  /** Segments of parts by entry name (see adoptSegments). */
  private readonly segmentIndex = new Map<string, Segment[]>();

  private constructor(
    private readonly zip: ZipArchive,
    private readonly byName: Map<string, ZipEntry>,
    private readonly sheetPaths: Map<string, string>,
    private readonly strings: SharedStrings,
    private readonly dateStyles: boolean[],
    readonly date1904: boolean,
  ) {}

  static async load(buffer: Uint8Array): Promise<XlsxParts> {
    let zip: ZipArchive;
    try {
      zip = readZip(Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    } catch (error) {
      throw new UnsupportedWorkbook((error as Error).message);
    }
    // Part names are case-insensitive in OPC.
    const byName = new Map(zip.entries.map((e) => [e.name.toLowerCase(), e]));
    const text = async (path: string) => partText(zip, byName, path);
    const rootRels = relationships(await text('_rels/.rels'), '');
    const bookPath = [...rootRels.values()].find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
    const book = await text(bookPath);
    if (!book) throw new UnsupportedWorkbook('no workbook part');
    if (/<\w+:workbook\b/.test(book) || book.includes('purl.oclc.org/ooxml')) throw new UnsupportedWorkbook('prefixed or strict workbook');
    const { dir: base, rels: bookRelsPath } = relsOf(bookPath);
    const bookRels = relationships(await text(bookRelsPath), base);
    const sheetPaths = new Map<string, string>();
    for (const m of book.matchAll(/<sheet\b([^>]*)>/g)) {
      const a = attributes(m[1]!);
      const rel = bookRels.get(a['r:id'] ?? '');
      if (a.name !== undefined && rel) sheetPaths.set(a.name, rel.target);
    }
    const date1904 = /<workbookPr\b[^>]*\bdate1904="(1|true)"/.test(book);
    const rels = [...bookRels.values()];
    const stringsPath = rels.find((r) => r.type.endsWith('/sharedStrings'))?.target;
    const stringsEntry = stringsPath ? byName.get(stringsPath.toLowerCase()) : undefined;
    const strings = new SharedStrings(zip, stringsEntry);
    const stylesPath = rels.find((r) => r.type.endsWith('/styles'))?.target;
    const styles = stylesPath ? await text(stylesPath) : undefined;
    return new XlsxParts(zip, byName, sheetPaths, strings, styles ? dateStyleFlags(styles) : [], date1904);
  }

  private isSheetPath(path: string): boolean {
    for (const p of this.sheetPaths.values()) if (p.toLowerCase() === path.toLowerCase()) return true;
    return false;
  }

  /**
   * Shared strings read so far (seedStrings takes them back): a patch never changes the shared string table, so what
   * a read of the headers and the small sheets needed stays true of every file the patch writes from this one.
   */
  stringsRead(): [number, string][] {
    return this.strings.read();
  }

  seedStrings(known: readonly [number, string][]): void {
    this.strings.seed(known);
  }

  hasSheet(name: string): boolean {
    return this.sheetPaths.has(name);
  }

  /**
   * A worksheet part. `rows`: the caller knows (from the state cache) that its row elements are exactly 1 … rows; if
   * the part's segments were adopted too, only its head and tail are inflated now and rows are located on demand.
   */
  async sheet(name: string, rows?: number): Promise<SheetPart | undefined> {
    const path = this.sheetPaths.get(name);
    if (!path) return undefined;
    const entry = this.byName.get(path.toLowerCase());
    const segments = entry && rows !== undefined ? this.segmentIndex.get(entry.name) : undefined;
    let source: string | SegmentedText;
    let head: string;
    let tail: string;
    if (segments && segments.length >= 3 && segments.slice(1, -1).every((s) => s.row !== undefined)) {
      source = new SegmentedText(entryData(this.zip, entry!), segments);
      head = source.segment(0);
      tail = source.segment(segments.length - 1);
    } else {
      const xml = partText(this.zip, this.byName, path);
      if (xml === undefined) throw new UnsupportedWorkbook(`${path} missing`);
      source = head = tail = xml;
    }
    const { dir, rels: relsPath } = relsOf(path);
    const relsXml = partText(this.zip, this.byName, relsPath);
    // <hyperlinks> follows </sheetData>: in the tail.
    const hyperlinks = sheetHyperlinks(typeof source === 'string' ? source : tail, relationships(relsXml, dir));
    if (typeof source !== 'string') {
      try {
        const part = new SheetPart(path, source, this, hyperlinks, { path: relsPath, xml: relsXml }, head, tail, rows);
        // What the cache says must hold: a header row, row `rows` the last one, nothing after it.
        const last = part.row(rows!);
        if (part.row(1) && last && !source.slice(last.end, part.dataEnd).includes('<row')) return part;
      } catch (error) {
        if (!(error instanceof UnsupportedWorkbook)) throw error;
      }
      // Not as the cache described: inflate the part whole, as for any file.
      return this.sheet(name);
    }
    return new SheetPart(path, source, this, hyperlinks, { path: relsPath, xml: relsXml }, head, tail);
  }

  /**
   * Reads a worksheet front to back in chunks of `chunk` inflated bytes, handing each row element's cells to `visit` as
   * soon as the row is complete, so neither the part's whole XML nor its row list is ever held (the plain read of the
   * read-only commands). Hyperlinks are listed after the rows, so rows holding a linked cell are visited a second time
   * (`again`, from a second pass over the part) with their links. False when the workbook has no such sheet.
   */
  async streamSheet(
    name: string,
    visit: (r: number, cells: [column: number, value: ExcelJS.CellValue][], again: boolean) => void,
    chunk: number = STREAM_CHUNK,
  ): Promise<boolean> {
    const path = this.sheetPaths.get(name);
    if (!path) return false;
    const entry = this.byName.get(path.toLowerCase());
    if (!entry) throw new UnsupportedWorkbook(`${path} missing`);
    const none = new Map<string, string>();
    const pool = new Map<string, string>();
    const tail = await this.scanRows(entry, chunk, (r, xml, start, end) => visit(r, rowCells(this, none, xml, start, end, r, pool), false));
    const { dir, rels } = relsOf(path);
    const hyperlinks = sheetHyperlinks(tail, relationships(partText(this.zip, this.byName, rels), dir));
    if (!hyperlinks.size) return true;
    const linked = new Set([...hyperlinks.keys()].map((ref) => cellAddress(ref)[0]));
    await this.scanRows(entry, chunk, (r, xml, start, end) => {
      if (linked.has(r)) visit(r, rowCells(this, hyperlinks, xml, start, end, r, pool), true);
    });
    return true;
  }

  /**
   * One pass over a worksheet's XML as it inflates: every complete row element goes to `row` (in a stretch of text that
   * is only valid during the call), the XML after </sheetData> is returned. What the whole-part reader refuses
   * (SheetPart) is refused here alike.
   */
  private async scanRows(entry: ZipEntry, chunk: number, row: (r: number, xml: string, start: number, end: number) => void): Promise<string> {
    const path = entry.name;
    let pending = '';
    let phase: 'head' | 'rows' | 'tail' = 'head';
    let previous = 0;
    const rowAt = new RegExp(ROW.source, 'y');
    const next = /<row\b|<\/sheetData>/g;
    for await (const text of inflateChunks(this.zip, entry, chunk)) {
      pending += text;
      let at = 0;
      if (phase === 'head') {
        if (/<\w+:worksheet\b/.test(pending.slice(0, 4096))) throw new UnsupportedWorkbook(`${path}: prefixed SpreadsheetML`);
        const open = /<sheetData\b[^>]*?(\/?)>/.exec(pending);
        if (!open) continue;
        at = open.index + open[0].length;
        phase = open[1] === '/' ? 'tail' : 'rows';
      }
      if (phase === 'rows') {
        for (;;) {
          next.lastIndex = at;
          const m = next.exec(pending);
          // Nothing here yet: keep only what could be the start of `<row` or `</sheetData>`.
          if (!m) {
            at = Math.max(at, pending.length - 11);
            break;
          }
          if (m[0] === '</sheetData>') {
            at = m.index;
            phase = 'tail';
            break;
          }
          rowAt.lastIndex = m.index;
          const element = rowAt.exec(pending);
          // An incomplete row (or `<row` cut before its name ends) waits for the next chunk.
          if (!element || m.index + 5 > pending.length) {
            at = m.index;
            break;
          }
          const n = /\br="(\d+)"/.exec(element[1]!);
          const r = n ? Number(n[1]) : previous + 1;
          if (r <= previous) throw new UnsupportedWorkbook(`${path}: rows out of order`);
          previous = r;
          at = m.index + element[0].length;
          row(r, pending, m.index, at);
        }
      }
      // The tail (after </sheetData>) is kept whole: it is what hyperlinks are read from, and small.
      if (phase !== 'tail') pending = pending.slice(at);
      else if (at) pending = pending.slice(at);
    }
    if (phase !== 'tail') throw new UnsupportedWorkbook(`${path}: ${phase === 'head' ? 'no sheetData' : 'unterminated sheetData'}`);
    return pending;
  }

  isDateStyle(style: string | undefined): boolean {
    return style !== undefined && this.dateStyles[Number(style)] === true;
  }

  /** A cell's value from its type, style and body, typed as exceljs types it (the registry's readCell takes it from there). */
  cellValue(type: string, style: string | undefined, body: string): ExcelJS.CellValue {
    const simple = body.startsWith('<v>') && body.endsWith('</v>') && body.indexOf('<', 3) === body.length - 4;
    const v = simple ? body.slice(3, -4) : /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/.exec(body)?.[1];
    let value: ExcelJS.CellValue;
    switch (type) {
      case 'inlineStr': {
        const is = /<is>([\s\S]*?)<\/is>/.exec(body);
        value = is ? inlineText(is[1]!) : null;
        break;
      }
      case 's':
        value = v === undefined ? null : this.strings.at(Number(v));
        break;
      case 'str':
        value = v === undefined ? null : xmlDecode(v);
        break;
      case 'b':
        value = v === undefined ? null : v.trim() === '1' || v.trim() === 'true';
        break;
      case 'e':
        value = v === undefined ? null : ({ error: xmlDecode(v) } as ExcelJS.CellErrorValue);
        break;
      case 'd':
        value = v === undefined ? null : new Date(v.trim().length === 10 ? `${v.trim()}T00:00:00Z` : `${v.trim().replace(/Z?$/, 'Z')}`);
        break;
      default: {
        if (v === undefined || v.trim() === '') {
          value = null;
          break;
        }
        const n = Number(v);
        value = this.isDateStyle(style) ? new Date(Math.round((n - 25569 + (this.date1904 ? 1462 : 0)) * 86_400_000)) : n;
      }
    }
    if (simple) return value;
    const formula = /<f(?:\s[^>]*)?>([\s\S]+?)<\/f>/.exec(body);
    if (formula && value !== null) return { formula: xmlDecode(formula[1]!), result: value as never } as ExcelJS.CellFormulaValue;
    return value;
  }

  /**
   * Takes the segments this system deflated the parts in when it last wrote them (kept beside the registry): only
   * those whose sizes still add up to the part's are kept (the CRC-32s are in the zip directory the cache is keyed by).
   */
  adoptSegments(index: Record<string, Segment[]>): void {
    for (const [path, segments] of Object.entries(index)) {
      const entry = this.byName.get(path.toLowerCase());
      if (!entry || !Array.isArray(segments)) continue;
      // Sizes only: the cache was found by the file's zip directory, CRC-32s included (registryKey), so combining
      // ~1,000 segment CRCs of a 50,000-project log to compare again would only repeat that check.
      let [size, compressedSize] = [0, 0];
      for (const s of segments) [size, compressedSize] = [size + s.bytes, compressedSize + s.size];
      if (size === entry.size && compressedSize === entry.compressedSize) this.segmentIndex.set(entry.name, segments);
    }
  }

  /** The segments of every part as the last save left them: parts it wrote, and adopted parts it copied. */
  segments(): Record<string, Segment[]> {
    return Object.fromEntries(this.segmentIndex);
  }

  /** Replaces a part in the next save: its whole XML, or pieces of new text and ranges of `old` (the part's current XML). */
  replace(path: string, xml: string | Piece<Chunk>[], old?: TextSource): void {
    this.replaced.set(path, { pieces: typeof xml === 'string' ? [xml] : xml, old });
  }

  /**
   * The workbook with the replaced parts, as the pieces of the file in order (views of the old bytes where unchanged);
   * every other part keeps its bytes, and a replaced part keeps those of its unchanged segments.
   */
  save(): Buffer[] {
    const replaced = new Map<string, DeflatedPart<Chunk>>();
    for (const [path, { pieces, old }] of this.replaced) {
      const entry = this.byName.get(path.toLowerCase());
      const name = entry?.name ?? path;
      const segments = entry && old !== undefined ? this.segmentIndex.get(name) : undefined;
      const known = segments && segments.reduce((n, s) => n + s.chars, 0) === old!.length;
      const part = deflateSegments(
        pieces,
        old === undefined ? undefined : { text: old, segments: known ? segments : [], data: known ? entryData(this.zip, entry!) : Buffer.alloc(0) },
        // Each new segment of a worksheet records its first row, so a later step can find a row without inflating the part.
        this.isSheetPath(name) ? firstRowIn : undefined,
      );
      replaced.set(name, part);
      this.segmentIndex.set(name, part.segments);
    }
    this.replaced.clear();
    return zipPieces(this.zip, replaced);
  }
}

/** Inflated bytes the streamed read parses at a time (SheetPart's rows are never larger than a few KB). */
export const STREAM_CHUNK = 1 << 16;

/**
 * A part's text in pieces of at most `chunk` inflated bytes, decoded as UTF-8 across the cuts (a character split
 * between two pieces comes out whole with the second).
 */
async function* inflateChunks(zip: ZipArchive, entry: ZipEntry, chunk: number): AsyncGenerator<string> {
  const data = entryData(zip, entry);
  if (entry.method !== 0 && entry.method !== 8) throw new UnsupportedWorkbook(`${entry.name}: compression method ${entry.method}`);
  const decoder = new StringDecoder('utf8');
  const pieces = (buffer: Buffer) => {
    const out: string[] = [];
    for (let at = 0; at < buffer.length; at += chunk) out.push(decoder.write(buffer.subarray(at, at + chunk)));
    return out;
  };
  if (entry.method === 0) {
    yield* pieces(data);
  } else {
    const inflate = createInflateRaw({ chunkSize: Math.max(chunk, 1024) });
    inflate.end(data);
    try {
      for await (const buffer of inflate) yield* pieces(buffer as Buffer);
    } catch (error) {
      throw new UnsupportedWorkbook(`${entry.name}: ${(error as Error).message}`);
    }
  }
  yield decoder.end();
}

/** A part's folder (where its relationships' relative targets start) and the path of its relationships part. */
function relsOf(path: string): { dir: string; rels: string } {
  const dir = path.split('/').slice(0, -1).join('/');
  return { dir, rels: `${dir}/_rels/${path.split('/').pop()}.rels` };
}

/** Cell reference → hyperlink target, from the XML that holds a sheet's <hyperlinks> (the part, or its tail). */
function sheetHyperlinks(xml: string, rels: Map<string, Relationship>): Map<string, string> {
  const hyperlinks = new Map<string, string>();
  const block = /<hyperlinks>([\s\S]*?)<\/hyperlinks>/.exec(xml);
  if (!block) return hyperlinks;
  for (const m of block[1]!.matchAll(/<hyperlink\b([^>]*)>/g)) {
    const a = attributes(m[1]!);
    const target = a['r:id'] ? rels.get(a['r:id'])?.target : a.location ? `#${a.location}` : undefined;
    if (!a.ref || !target) continue;
    // A hyperlink may cover a range; the registry only ever links single cells.
    const [from] = a.ref.split(':');
    hyperlinks.set(from!, target);
  }
  return hyperlinks;
}

/**
 * The cells of the row element at [start, end) of `xml`, typed as exceljs types them. `pool`: the text is a passing
 * chunk of a streamed read, so strings taken from it are copied (a substring would keep the whole chunk alive), and
 * short ones shared through the pool (see pooled).
 */
function rowCells(
  book: XlsxParts,
  hyperlinks: Map<string, string>,
  xml: string,
  start: number,
  end: number,
  r: number,
  pool?: Map<string, string>,
): [column: number, value: ExcelJS.CellValue][] {
  const out: [number, ExcelJS.CellValue][] = [];
  const cell = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
  cell.lastIndex = start;
  let previous = 0;
  for (let m = cell.exec(xml); m && m.index < end; m = cell.exec(xml)) {
    const a = /[\t\n\r]/.test(m[1]!) ? m[1]!.replace(/\s+/g, ' ') : m[1]!;
    const ref = attr(a, 'r');
    const column = ref ? cellAddress(ref)[1] : previous + 1;
    previous = column;
    const body = m[2];
    if (!body) continue;
    const type = attr(a, 't') ?? 'n';
    let value = book.cellValue(type, attr(a, 's'), body);
    if (value === null) continue;
    // Shared strings come from their own table; only text written in the cell is a piece of the chunk.
    if (pool && type !== 's') value = detached(value, pool);
    const link = hyperlinks.size ? hyperlinks.get(`${columnName(column)}${r}`) : undefined;
    out.push([column, link ? { text: value as string, hyperlink: link } : value]);
  }
  return out;
}

/** A cell value whose strings share no memory with the text they were cut from. */
function detached(value: ExcelJS.CellValue, pool: Map<string, string>): ExcelJS.CellValue {
  if (typeof value === 'string') return pooled(value, pool);
  if (value && typeof value === 'object' && 'formula' in value) {
    const f = value as ExcelJS.CellFormulaValue;
    return { formula: copyString(f.formula), result: typeof f.result === 'string' ? pooled(f.result, pool) : f.result } as ExcelJS.CellFormulaValue;
  }
  if (value && typeof value === 'object' && 'error' in value) return { error: copyString(String(value.error)) } as ExcelJS.CellErrorValue;
  return value;
}

/** Texts up to this length are shared through a streamed sheet's pool; longer ones (hashes, signatures, notes) are seldom repeated. */
const POOLED_LENGTH = 40;
/** At most this many distinct texts a sheet: the pool must not grow into a copy of a sheet of unique names. */
const POOL_SIZE = 1 << 16;

/**
 * One copy per distinct short text: rows written by coop's change-only writes carry their text inline, so a log's
 * actors, actions, departments and dates would otherwise be a fresh string in every row.
 */
function pooled(text: string, pool: Map<string, string>): string {
  if (text.length > POOLED_LENGTH) return copyString(text);
  const known = pool.get(text);
  if (known !== undefined) return known;
  const copy = copyString(text);
  if (pool.size < POOL_SIZE) pool.set(copy, copy);
  return copy;
}

/**
 * V8 keeps a substring of 13 characters or more as a view of its parent. Cutting `text + ' '` flattens the joined
 * string into a fresh copy first, and the cut then refers to that copy only (cutting the front instead hands the
 * right half of the join back as it was: a view of the chunk).
 */
function copyString(text: string): string {
  return text.length < 13 ? text : `${text} `.slice(0, -1);
}

/** An attribute of a start tag's attribute text, found without a regex (hot path); values here are never escaped. */
function attr(attrs: string, name: string): string | undefined {
  let at = attrs.indexOf(` ${name}="`);
  if (at < 0) return undefined;
  at += name.length + 3;
  return attrs.slice(at, attrs.indexOf('"', at));
}

/** The text of <t> runs (phonetic <rPh> runs skipped), as Excel shows it. */
function inlineText(xml: string): string {
  const plain = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let out = '';
  for (const m of plain.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t\/>/g)) out += xmlDecode(m[1] ?? '');
  return out;
}

/** For each cellXfs index, whether its number format shows a date. */
function dateStyleFlags(styles: string): boolean[] {
  const custom = new Map<number, string>();
  for (const m of styles.matchAll(/<numFmt\b([^>]*)>/g)) {
    const a = attributes(m[1]!);
    custom.set(Number(a.numFmtId), a.formatCode ?? '');
  }
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '';
  return [...xfs.matchAll(/<xf\b([^>]*?)(?:\/>|>)/g)].map((m) => {
    const id = Number(attributes(m[1]!).numFmtId ?? 0);
    const code = custom.get(id);
    return code !== undefined ? isDateFormat(code) : isBuiltinDate(id);
  });
}

/** A part as text, or undefined when the archive has no such part. */
function partText(zip: ZipArchive, byName: Map<string, ZipEntry>, path: string): string | undefined {
  const entry = byName.get(path.toLowerCase());
  return entry && inflatePart(zip, entry, path);
}

function inflatePart(zip: ZipArchive, entry: ZipEntry, path: string): string {
  return inflateBytes(zip, entry, path).toString('utf8');
}

function inflateBytes(zip: ZipArchive, entry: ZipEntry, path: string): Buffer {
  try {
    return inflateEntry(zip, entry);
  } catch (error) {
    if (error instanceof UnsupportedZip) throw new UnsupportedWorkbook(error.message);
    throw new UnsupportedWorkbook(`${path}: ${(error as Error).message}`);
  }
}
