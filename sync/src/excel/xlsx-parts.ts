/**
 * Reads and patches an .xlsx directly at the level of its zip parts: a sheet's rows are found by offset in its
 * XML and parsed one at a time, and a save re-deflates only the parts that changed (the others keep their
 * compressed bytes). What this cannot handle faithfully it refuses with UnsupportedWorkbook, and the caller
 * falls back to exceljs's full model.
 */
import { columnLetter } from '../util/a1.js';
import type ExcelJS from 'exceljs';
import {
  UnsupportedZip,
  deflateSegments,
  entryCrc,
  entryData,
  inflateEntry,
  readZip,
  segmentTotals,
  writeZip,
  type DeflatedPart,
  type Piece,
  type Segment,
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

/** One worksheet part, its rows located but parsed only on demand. */
export class SheetPart {
  readonly rows: RowSpan[] = [];
  /** Start and end of the content of <sheetData> (equal for an empty `<sheetData/>`, which `selfClosing` marks). */
  readonly dataStart: number;
  readonly dataEnd: number;
  readonly selfClosing: boolean;

  constructor(
    readonly path: string,
    readonly xml: string,
    private readonly book: XlsxParts,
    /** Cell reference → hyperlink target. */
    readonly hyperlinks: Map<string, string>,
    /** The part's relationships file: where it is, and its XML if it has one. */
    readonly rels: { path: string; xml: string | undefined },
  ) {
    // A prefixed worksheet (<x:sheetData>) has no plain <sheetData> and is refused below.
    if (/<\w+:worksheet\b/.test(xml.slice(0, 4096))) throw new UnsupportedWorkbook(`${path}: prefixed SpreadsheetML`);
    const open = /<sheetData\b[^>]*?(\/?)>/.exec(xml);
    if (!open) throw new UnsupportedWorkbook(`${path}: no sheetData`);
    this.selfClosing = open[1] === '/';
    this.dataStart = open.index + open[0].length;
    this.dataEnd = this.selfClosing ? this.dataStart : xml.indexOf('</sheetData>', this.dataStart);
    if (this.dataEnd < 0) throw new UnsupportedWorkbook(`${path}: unterminated sheetData`);
    ROW.lastIndex = this.dataStart;
    let previous = 0;
    for (let m = ROW.exec(xml); m && m.index < this.dataEnd; m = ROW.exec(xml)) {
      const r = /\br="(\d+)"/.exec(m[1]!);
      const number = r ? Number(r[1]) : previous + 1;
      if (number <= previous) throw new UnsupportedWorkbook(`${path}: rows out of order`);
      this.rows.push({ r: number, start: m.index, end: m.index + m[0].length });
      previous = number;
    }
  }

  /** The cells of a row as written, in column order. */
  cellSpans(row: RowSpan): CellSpan[] {
    const text = this.xml.slice(row.start, row.end);
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
    const out: [number, ExcelJS.CellValue][] = [];
    const xml = this.xml;
    // Scans the part in place (no slice per row or cell): this loop is every read command's hot path.
    const cell = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
    cell.lastIndex = row.start;
    let previous = 0;
    for (let m = cell.exec(xml); m && m.index < row.end; m = cell.exec(xml)) {
      const a = /[\t\n\r]/.test(m[1]!) ? m[1]!.replace(/\s+/g, ' ') : m[1]!;
      const ref = attr(a, 'r');
      const column = ref ? cellAddress(ref)[1] : previous + 1;
      previous = column;
      const body = m[2];
      if (!body) continue;
      const value = this.book.cellValue(attr(a, 't') ?? 'n', attr(a, 's'), body);
      if (value === null) continue;
      const link = this.hyperlinks.size ? this.hyperlinks.get(`${columnName(column)}${row.r}`) : undefined;
      out.push([column, link ? { text: value as string, hyperlink: link } : value]);
    }
    return out;
  }

  /** `<col>` style index of a column, if the sheet gives it one. */
  columnStyle(column: number): string | undefined {
    // Parsed once per part: an import appends thousands of rows and asks for every cell.
    this.cols ??= [...this.xml.slice(0, this.dataStart).matchAll(/<col\b([^>]*)>/g)].map((m) => {
      const a = attributes(m[1]!);
      return { min: Number(a.min), max: Number(a.max), style: a.style };
    });
    return this.cols.find((c) => c.min <= column && column <= c.max)?.style;
  }

  private cols: { min: number; max: number; style: string | undefined }[] | undefined;
}

/**
 * The shared string table, each string decoded when a cell first asks for it: a step on a long registry reads a few
 * hundred of the tens of thousands the log's rows hold. Locating them is one indexOf pass over the part.
 */
class SharedStrings {
  private starts: number[] | undefined;
  private ends: number[] = [];
  private readonly decoded: (string | undefined)[] = [];
  constructor(private readonly xml: string) {}

  private locate(): number[] {
    const starts: number[] = [];
    const xml = this.xml;
    for (let at = xml.indexOf('<si'); at >= 0; at = xml.indexOf('<si', at + 3)) {
      const next = xml[at + 3];
      if (next === '/') {
        starts.push(at);
        this.ends.push(at);
      } else if (next === '>' || next === ' ') {
        const open = xml.indexOf('>', at);
        if (open > 0 && xml[open - 1] === '/') {
          starts.push(open);
          this.ends.push(open);
          at = open;
          continue;
        }
        const close = xml.indexOf('</si>', open);
        if (open < 0 || close < 0) break;
        starts.push(open + 1);
        this.ends.push(close);
        at = close;
      }
    }
    return starts;
  }

  at(index: number): string | null {
    const starts = (this.starts ??= this.locate());
    if (!(index >= 0 && index < starts.length)) return null;
    let value = this.decoded[index];
    if (value === undefined) {
      const start = starts[index]!;
      const end = this.ends[index]!;
      value = end > start ? inlineText(this.xml.slice(start, end)) : '';
      this.decoded[index] = value;
    }
    return value;
  }
}

/** An .xlsx opened as parts: workbook, shared strings and styles parsed; worksheets on demand. */
export class XlsxParts {
  private readonly replaced = new Map<string, { pieces: Piece[]; old: string | undefined }>();
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
    const base = bookPath.split('/').slice(0, -1).join('/');
    const bookRels = relationships(await text(`${base}/_rels/${bookPath.split('/').pop()}.rels`), base);
    const sheetPaths = new Map<string, string>();
    for (const m of book.matchAll(/<sheet\b([^>]*)>/g)) {
      const a = attributes(m[1]!);
      const rel = bookRels.get(a['r:id'] ?? '');
      if (a.name !== undefined && rel) sheetPaths.set(a.name, rel.target);
    }
    const date1904 = /<workbookPr\b[^>]*\bdate1904="(1|true)"/.test(book);
    const rels = [...bookRels.values()];
    const stringsPath = rels.find((r) => r.type.endsWith('/sharedStrings'))?.target;
    const strings = new SharedStrings(stringsPath ? ((await text(stringsPath)) ?? '') : '');
    const stylesPath = rels.find((r) => r.type.endsWith('/styles'))?.target;
    const styles = stylesPath ? await text(stylesPath) : undefined;
    return new XlsxParts(zip, byName, sheetPaths, strings, styles ? dateStyleFlags(styles) : [], date1904);
  }

  hasSheet(name: string): boolean {
    return this.sheetPaths.has(name);
  }

  async sheet(name: string): Promise<SheetPart | undefined> {
    const path = this.sheetPaths.get(name);
    if (!path) return undefined;
    const xml = partText(this.zip, this.byName, path);
    if (xml === undefined) throw new UnsupportedWorkbook(`${path} missing`);
    const dir = path.split('/').slice(0, -1).join('/');
    const relsPath = `${dir}/_rels/${path.split('/').pop()}.rels`;
    const relsXml = partText(this.zip, this.byName, relsPath);
    const rels = relationships(relsXml, dir);
    const hyperlinks = new Map<string, string>();
    const block = /<hyperlinks>([\s\S]*?)<\/hyperlinks>/.exec(xml);
    if (block) {
      for (const m of block[1]!.matchAll(/<hyperlink\b([^>]*)>/g)) {
        const a = attributes(m[1]!);
        const target = a['r:id'] ? rels.get(a['r:id'])?.target : a.location ? `#${a.location}` : undefined;
        if (!a.ref || !target) continue;
        // A hyperlink may cover a range; the registry only ever links single cells.
        const [from] = a.ref.split(':');
        hyperlinks.set(from!, target);
      }
    }
    return new SheetPart(path, xml, this, hyperlinks, { path: relsPath, xml: relsXml });
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
   * those that still describe the part's compressed bytes exactly (sizes and CRC-32) are kept.
   */
  adoptSegments(index: Record<string, Segment[]>): void {
    for (const [path, segments] of Object.entries(index)) {
      const entry = this.byName.get(path.toLowerCase());
      if (!entry || !Array.isArray(segments)) continue;
      const { size, compressedSize, crc } = segmentTotals(segments);
      if (size === entry.size && compressedSize === entry.compressedSize && crc === entryCrc(entry)) this.segmentIndex.set(entry.name, segments);
    }
  }

  /** The segments of every part as the last save left them: parts it wrote, and adopted parts it copied. */
  segments(): Record<string, Segment[]> {
    return Object.fromEntries(this.segmentIndex);
  }

  /** Replaces a part in the next save: its whole XML, or pieces of new text and ranges of `old` (the part's current XML). */
  replace(path: string, xml: string | Piece[], old?: string): void {
    this.replaced.set(path, { pieces: typeof xml === 'string' ? [xml] : xml, old });
  }

  /** The workbook with the replaced parts; every other part keeps its bytes, and a replaced part keeps those of its unchanged segments. */
  save(): Uint8Array {
    const replaced = new Map<string, DeflatedPart>();
    for (const [path, { pieces, old }] of this.replaced) {
      const entry = this.byName.get(path.toLowerCase());
      const name = entry?.name ?? path;
      const segments = entry && old !== undefined ? this.segmentIndex.get(name) : undefined;
      const known = segments && segments.reduce((n, s) => n + s.chars, 0) === old!.length;
      const part = deflateSegments(
        pieces,
        old === undefined ? undefined : { text: old, segments: known ? segments : [], data: known ? entryData(this.zip, entry!) : Buffer.alloc(0) },
      );
      replaced.set(name, part);
      this.segmentIndex.set(name, part.segments);
    }
    this.replaced.clear();
    return writeZip(this.zip, replaced);
  }
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
  if (!entry) return undefined;
  try {
    return inflateEntry(zip, entry).toString('utf8');
  } catch (error) {
    if (error instanceof UnsupportedZip) throw new UnsupportedWorkbook(error.message);
    throw new UnsupportedWorkbook(`${path}: ${(error as Error).message}`);
  }
}
