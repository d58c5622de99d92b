/** What the streamed import needs beyond exceljs's WorkbookReader: UTF-8 decoded across chunk boundaries, and hidden columns. */
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import { posix } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { xmlDecode } from './xlsx-parts.js';
import { endRecordAt } from './zip-parts.js';

/** Buffers decoded as one UTF-8 text, so a character split between two chunks stays whole. */
async function* utf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) yield typeof chunk === 'string' ? chunk : decoder.write(chunk);
  const rest = decoder.end();
  if (rest) yield rest;
}

interface ZipEntryStream {
  setEncoding(encoding: 'utf8'): unknown;
}

type ReaderBase = new (input: string, options: object) => ExcelJS.stream.xlsx.WorkbookReader;

const BASE = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;

/** exceljs's parser of one text part, handed the entry set to decode as UTF-8 as a whole. */
function wholeUtf8(name: string) {
  return function (this: unknown, entry: ZipEntryStream): unknown {
    entry.setEncoding('utf8');
    return BASE[name]!.call(this, entry);
  };
}

/**
 * exceljs 4.4's stream reader decodes every zip chunk on its own (utils/parse-sax.js → bufferToString), so a Chinese
 * character that straddles two chunks becomes U+FFFD: about one in every few hundred rows of a large register.
 * These overrides hand it text already decoded as a whole; the parsing itself is exceljs's.
 */
export class Utf8WorkbookReader extends (ExcelJS.stream.xlsx.WorkbookReader as unknown as ReaderBase) {
  _parseRels = wholeUtf8('_parseRels');
  _parseWorkbook = wholeUtf8('_parseWorkbook');
  _parseSharedStrings = wholeUtf8('_parseSharedStrings');
  _parseStyles = wholeUtf8('_parseStyles');
  _parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: string): unknown {
    // Under load the workbook part is sometimes not parsed yet when a worksheet comes (model undefined → TypeError);
    // the caller names sheets from its own reading of the workbook part, so an empty model is enough here.
    const self = this as unknown as { model?: { sheets?: unknown[] } };
    if (!self.model) self.model = { sheets: [] };
    return BASE._parseWorksheet!.call(this, utf8(iterator), sheetNo);
  }
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The zip's central directory: names and where each entry's data starts. */
function centralDirectory(zip: Buffer): ZipEntry[] {
  const end = endRecordAt(zip);
  if (end < 0) return [];
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count && zip.readUInt32LE(at) === 0x02014b50; n++) {
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      localOffset: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** The start of an entry's XML up to its cell data (where <cols> ends), inflating no more than that. */
function head(zip: Buffer, entry: ZipEntry): Promise<string> {
  const local = entry.localOffset;
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Promise.resolve(data.toString('utf8', 0, Math.min(data.length, 1 << 20)));
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    let text = '';
    const done = (): void => {
      inflate.removeAllListeners('data');
      inflate.destroy();
      resolve(text);
    };
    inflate.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (/<(?:\w+:)?sheetData[\s>/]/.test(text) || text.length > 1 << 20) done();
    });
    inflate.on('end', done);
    inflate.on('error', done);
    inflate.end(data);
  });
}

/** A merged range, 1-based and inclusive; its top-left cell holds the value. */
export interface MergedRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** The merged ranges of a sheet: <mergeCells> follows the cell data, so the whole part is inflated, a chunk at a time, and dropped. */
function merges(zip: Buffer, entry: ZipEntry): Promise<MergedRange[]> {
  const local = entry.localOffset;
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  const refs = new Set<string>();
  let tail = '';
  const scan = (text: string): void => {
    const all = tail + text;
    for (const m of all.matchAll(/<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+\d+:[A-Z]+\d+)"/g)) refs.add(m[1]!);
    tail = all.slice(-200);
  };
  const ranges = (): MergedRange[] =>
    [...refs].map((ref) => {
      const [a, b] = ref.split(':').map(address) as [[number, number], [number, number]];
      return { top: Math.min(a[0], b[0]), left: Math.min(a[1], b[1]), bottom: Math.max(a[0], b[0]), right: Math.max(a[1], b[1]) };
    });
  if (entry.method === 0) {
    scan(data.toString('latin1'));
    return Promise.resolve(ranges());
  }
  return new Promise((resolve) => {
    const inflate = createInflateRaw();
    inflate.on('data', (chunk: Buffer) => scan(chunk.toString('latin1')));
    inflate.on('end', () => resolve(ranges()));
    inflate.on('error', () => resolve(ranges()));
    inflate.end(data);
  });
}

/** "B12" → [row 12, column 2]. */
function address(ref: string): [number, number] {
  const [, letters, digits] = /^([A-Z]+)(\d+)$/.exec(ref)!;
  let column = 0;
  for (const ch of letters!) column = column * 26 + (ch.charCodeAt(0) - 64);
  return [Number(digits), column];
}

export interface SheetLayout {
  /** Hidden 1-based column numbers. */
  hidden: Set<number>;
  merged: MergedRange[];
}

/** Hidden columns and merged ranges by worksheet part number (xl/worksheets/sheetN.xml → N). */
export async function sheetLayouts(zip: Buffer): Promise<Map<string, SheetLayout>> {
  const out = new Map<string, SheetLayout>();
  for (const entry of centralDirectory(zip)) {
    const part = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(entry.name);
    if (!part) continue;
    const hidden = new Set<number>();
    for (const col of (await head(zip, entry)).matchAll(/<(?:\w+:)?col\s([^>]*)>/g)) {
      const attrs = col[1]!;
      if (!/\shidden="(1|true)"/.test(` ${attrs}`)) continue;
      const min = Number(/\bmin="(\d+)"/.exec(attrs)?.[1]);
      const max = Number(/\bmax="(\d+)"/.exec(attrs)?.[1] ?? min);
      for (let c = min; c <= Math.min(max, 16384); c++) hidden.add(c);
    }
    out.set(part[1]!, { hidden, merged: await merges(zip, entry) });
  }
  return out;
}

/** Sheet names by worksheet part number (xl/worksheets/sheetN.xml → N), read from the workbook part and its relationships. */
export async function sheetNames(zip: Buffer): Promise<Map<string, string>> {
  const archive = await JSZip.loadAsync(zip);
  const workbook = (await archive.file('xl/workbook.xml')?.async('string')) ?? '';
  const rels = (await archive.file('xl/_rels/workbook.xml.rels')?.async('string')) ?? '';
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]*)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]*)"/.exec(m[0])?.[1];
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : posix.join('xl', target));
  }
  const out = new Map<string, string>();
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    const rid = /\br:id="([^"]*)"/.exec(m[0])?.[1] ?? /\b\w+:id="([^"]*)"/.exec(m[0])?.[1];
    const part = rid ? /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(targets.get(rid) ?? '')?.[1] : undefined;
    if (name && part) out.set(part, xmlDecode(name));
  }
  return out;
}
