/**
 * The zip container of an .xlsx at the level the registry needs: list the parts, inflate one, and write the
 * archive again with some parts replaced while every other part's record is copied byte for byte.
 * Native zlib does the (de)compression; zip64 and encrypted archives are refused (callers fall back to exceljs).
 */
import * as zlib from 'node:zlib';

export class UnsupportedZip extends Error {}

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  /** The whole central directory record, copied into the new directory. */
  central: Buffer;
  localOffset: number;
  /** Where the compressed data starts and where the local record (with any data descriptor) ends. */
  dataStart: number;
  end: number;
}

export interface ZipArchive {
  bytes: Buffer;
  entries: ZipEntry[];
  /** Bytes after the central directory's end record (the archive comment). */
  comment: Buffer;
}

/** The largest tail of an archive that holds its end record: the record (22 bytes) and a comment of up to 65,535. */
export const END_RECORD_REACH = 22 + 0xffff;

/** Where the end of central directory record starts in `bytes` (an archive or its last END_RECORD_REACH bytes), or -1. */
export function endRecordAt(bytes: Buffer): number {
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - END_RECORD_REACH); i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) return i;
  }
  return -1;
}

export function readZip(bytes: Buffer): ZipArchive {
  const eocd = endRecordAt(bytes);
  if (eocd < 0) throw new UnsupportedZip('no end of central directory');
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) throw new UnsupportedZip('zip64');
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) throw new UnsupportedZip('bad central directory');
    const nameLength = bytes.readUInt16LE(at + 28);
    const length = 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const flags = bytes.readUInt16LE(at + 8);
    const compressedSize = bytes.readUInt32LE(at + 20);
    const size = bytes.readUInt32LE(at + 24);
    const localOffset = bytes.readUInt32LE(at + 42);
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) throw new UnsupportedZip('zip64');
    if (flags & 1) throw new UnsupportedZip('encrypted');
    if (bytes.readUInt32LE(localOffset) !== 0x04034b50) throw new UnsupportedZip('bad local header');
    const dataStart = localOffset + 30 + bytes.readUInt16LE(localOffset + 26) + bytes.readUInt16LE(localOffset + 28);
    let end = dataStart + compressedSize;
    if (flags & 8) end += end + 4 <= bytes.length && bytes.readUInt32LE(end) === 0x08074b50 ? 16 : 12;
    entries.push({
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
      flags,
      method: bytes.readUInt16LE(at + 10),
      compressedSize,
      size,
      central: bytes.subarray(at, at + length),
      localOffset,
      dataStart,
      end,
    });
    at += length;
  }
  return { bytes, entries, comment: bytes.subarray(eocd + 22) };
}

export function inflateEntry(zip: ZipArchive, entry: ZipEntry): Buffer {
  const data = zip.bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method === 8) return zlib.inflateRawSync(data);
  throw new UnsupportedZip(`compression method ${entry.method}`);
}

/** One segment of a part written by deflateSegments, inflated on its own (it ends in a full flush, not the stream's end, unless it is the last). */
export function inflateSegment(data: Buffer): Buffer {
  return zlib.inflateRawSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 of the zip format; node ≥ 20.15 has it natively. */
function crc32(data: Buffer): number {
  const native = (zlib as unknown as { crc32?: (d: Buffer) => number }).crc32;
  if (native) return native(data) >>> 0;
  let c = -1;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** The CRC-32 so far (`value`) continued over `data`: for a part whose bytes arrive in chunks. */
export function crc32Update(value: number, data: Buffer): number {
  const native = (zlib as unknown as { crc32?: (d: Buffer, v: number) => number }).crc32;
  return native ? native(data, value) >>> 0 : crc32Combine(value, crc32(data), data.length);
}

/** a(x)·b(x) modulo the CRC-32 polynomial (reflected), zlib's multmodp. */
function multmodp(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  let bb = b >>> 0;
  for (;;) {
    if (a & m) {
      p ^= bb;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    bb = bb & 1 ? (bb >>> 1) ^ 0xedb88320 : bb >>> 1;
  }
  return p >>> 0;
}

/** x^(2^n) modulo the polynomial, n = 0 … 31. */
const X2N = (() => {
  const table = new Array<number>(32);
  let p = 0x40000000;
  table[0] = p;
  for (let n = 1; n < 32; n++) table[n] = p = multmodp(p, p);
  return table;
})();

/**
 * zlib's crc32_combine (1.2.12 on): the CRC of A+B from the CRCs of A and B and B's length, as x^(8·len2) times
 * crc1 plus crc2, so a part written from reused segments gets its CRC without the segments' bytes.
 */
export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  if (len2 <= 0) return crc1 >>> 0;
  let p = 0x80000000;
  let k = 3;
  for (let n = len2; n > 0; n = Math.floor(n / 2), k++) if (n % 2) p = multmodp(X2N[k & 31]!, p);
  return (multmodp(p, crc1 >>> 0) ^ (crc2 >>> 0)) >>> 0;
}

/**
 * One stretch of a part deflated on its own (a fresh compressor, ended by a full flush), so a later write can copy its
 * compressed bytes unchanged when the text it holds is unchanged: how many characters and UTF-8 bytes of the part's
 * text it holds, its compressed size and its CRC-32.
 */
export interface Segment {
  chars: number;
  bytes: number;
  size: number;
  crc: number;
  /** What the caller's `annotate` noted about the segment's text when it was deflated (a worksheet: its first row). */
  row?: number;
}

/** A part's old text: a string, or anything that can give stretches of it (segments inflated on demand). */
export interface TextSource {
  readonly length: number;
  slice(from: number, to: number): string;
}

/** Compressed bytes kept outside memory (rows a large import appended, in its spill file): copied into the archive as it is written. */
export interface StoredChunk {
  readonly length: number;
  copyTo(target: Buffer, at: number): void;
}

/** Compressed bytes in memory, or stored elsewhere. */
export type Chunk = Buffer | StoredChunk;

/** A part's new content, already deflated: the compressed chunks in order, with what the zip records need. */
export interface DeflatedPart<C extends Chunk = Buffer> {
  chunks: C[];
  compressedSize: number;
  size: number;
  crc: number;
  segments: Segment[];
}

/**
 * New text, a range [from, to) of the part's old text (reused where whole segments lie inside it), or null: end the
 * segment here. A function gives its text only when deflated, so rows appended in bulk are never all held as XML.
 */
export type Piece<C extends Chunk = Buffer> = string | readonly [from: number, to: number] | null | (() => string) | Deflated<C>;

/** Text already deflated as whole segments (rows an import appended while it read): copied as they are. */
export interface Deflated<C extends Chunk = Buffer> {
  chunks: C[];
  segments: Segment[];
}

/** One segment: `text` deflated by a fresh compressor, ended by a full flush unless it ends the part. */
export function deflateSegment(text: string, final: boolean): { data: Buffer; segment: Segment } {
  const raw = Buffer.from(text, 'utf8');
  const data = zlib.deflateRawSync(raw, final ? { level: 6 } : { level: 6, finishFlush: zlib.constants.Z_FULL_FLUSH });
  return { data, segment: { chars: text.length, bytes: raw.length, size: data.length, crc: crc32(raw) } };
}

/** Text per fresh segment: big enough to compress well, small enough that a one-row change re-deflates little. */
export const SEGMENT_CHARS = 1 << 18;
/** Smaller old segments are re-deflated with their neighbours rather than copied, so appends do not leave a trail of tiny segments. */
const MIN_REUSE = 1 << 16;

/**
 * Deflates a part written as `pieces` in segments, copying the compressed bytes of every old segment whose text is
 * reused whole (`old`: the part's previous text, its segments and its compressed data). The last segment is always
 * fresh: it alone carries the stream's final block.
 */
export function deflateSegments<C extends Chunk = Buffer>(
  pieces: readonly Piece<C>[],
  old?: { text: TextSource; segments: readonly Segment[]; data: Buffer },
  annotate?: (text: string) => number,
): DeflatedPart<C | Buffer> {
  const chunks: (C | Buffer)[] = [];
  const segments: Segment[] = [];
  let pending: string[] = [];
  let pendingChars = 0;
  const emit = (final: boolean) => {
    if (!pendingChars && !final) return;
    const text = pending.join('');
    const { data, segment } = deflateSegment(text, final);
    chunks.push(data);
    segments.push(annotate ? { ...segment, row: annotate(text) } : segment);
    pending = [];
    pendingChars = 0;
  };
  const text = (value: string) => {
    let rest = value;
    while (rest.length) {
      const room = SEGMENT_CHARS - pendingChars;
      if (rest.length < room) {
        pending.push(rest);
        pendingChars += rest.length;
        return;
      }
      // Never between the two halves of a surrogate pair: each segment must be whole UTF-8.
      const high = rest.charCodeAt(room - 1);
      const cut = high >= 0xd800 && high <= 0xdbff ? room - 1 : room;
      pending.push(rest.slice(0, cut));
      pendingChars += cut;
      rest = rest.slice(cut);
      emit(false);
    }
  };
  const starts: number[] = [];
  const offsets: number[] = [];
  for (let i = 0, u = 0, c = 0; i < (old?.segments.length ?? 0); i++) {
    starts.push(u);
    offsets.push(c);
    u += old!.segments[i]!.chars;
    c += old!.segments[i]!.size;
  }
  for (const piece of pieces) {
    if (piece === null) emit(false);
    else if (typeof piece === 'string') text(piece);
    else if (typeof piece === 'function') text(piece());
    else if ('segments' in piece) {
      emit(false);
      chunks.push(...piece.chunks);
      segments.push(...piece.segments);
    } else if (!old) throw new Error('a reused range needs the old text');
    else {
      const [from, to] = piece;
      let at = from;
      // The first old segment ending after `from` (binary search: a large part has many).
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid]! + old.segments[mid]!.chars <= from) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < starts.length - 1 && starts[i]! < to; i++) {
        const s = old.segments[i]!;
        const start = starts[i]!;
        if (start < from || start + s.chars > to || s.chars < MIN_REUSE) continue;
        if (at < start) text(old.text.slice(at, start));
        emit(false);
        chunks.push(old.data.subarray(offsets[i]!, offsets[i]! + s.size));
        segments.push(s);
        at = start + s.chars;
      }
      if (at < to) text(old.text.slice(at, to));
    }
  }
  emit(true);
  return { chunks, ...segmentTotals(segments), segments };
}

/** What a zip entry made of these segments records: its size, compressed size and CRC-32. */
function segmentTotals(segments: readonly Segment[]): { size: number; compressedSize: number; crc: number } {
  let crc = 0;
  let size = 0;
  let compressedSize = 0;
  for (const s of segments) {
    crc = crc32Combine(crc, s.crc, s.bytes);
    size += s.bytes;
    compressedSize += s.size;
  }
  return { size, compressedSize, crc };
}

/** The compressed bytes of an entry's data. */
export function entryData(zip: ZipArchive, entry: ZipEntry): Buffer {
  return zip.bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
}

/** The archive with `replaced` parts re-deflated (new names are appended); every other record is copied as it was. */
export function writeZip(zip: ZipArchive, replaced: Map<string, Buffer | DeflatedPart<Chunk>>): Buffer {
  return Buffer.concat(zipPieces(zip, replaced));
}

/** A chunk's bytes in memory: a stored one is read back into a buffer of its own. */
function inMemory(chunk: Chunk): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  const bytes = Buffer.allocUnsafe(chunk.length);
  chunk.copyTo(bytes, 0);
  return bytes;
}

/**
 * writeZip's bytes as the pieces they are made of, in order: unchanged records are views of `zip.bytes`, so a caller
 * writing them out holds no second copy of the archive. Stored chunks (an import's spill file) are read back here,
 * at the write, one buffer each.
 */
export function zipPieces(zip: ZipArchive, replaced: Map<string, Buffer | DeflatedPart<Chunk>>): Buffer[] {
  const out: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const pending = new Map(replaced);
  const add = (name: string, content: Buffer | DeflatedPart<Chunk>, template: ZipEntry | undefined) => {
    const part = Buffer.isBuffer(content) ? null : content;
    const chunks: Chunk[] = part ? part.chunks : [zlib.deflateRawSync(content as Buffer, { level: 6 })];
    const data = { length: part ? part.compressedSize : chunks[0]!.length };
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = part ? part.crc : crc32(content as Buffer);
    const contentLength = part ? part.size : (content as Buffer).length;
    // Bit 3 (sizes in a trailing descriptor) no longer applies; bit 11 says the name is UTF-8.
    const flags = ((template?.flags ?? 0) & ~8) | 0x800;
    const time = template ? template.central.readUInt16LE(12) : 0;
    const date = template ? template.central.readUInt16LE(14) : 0x21;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(contentLength, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(template ? template.central.readUInt16LE(4) : 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(contentLength, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(template ? template.central.readUInt32LE(38) : 0, 38);
    central.writeUInt32LE(offset, 42);
    out.push(local, nameBytes, ...chunks.map(inMemory));
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  };
  for (const entry of zip.entries) {
    const content = pending.get(entry.name);
    if (content) {
      pending.delete(entry.name);
      add(entry.name, content, entry);
      continue;
    }
    const record = zip.bytes.subarray(entry.localOffset, entry.end);
    const central = Buffer.from(entry.central);
    central.writeUInt32LE(offset, 42);
    out.push(record);
    centrals.push(central);
    offset += record.length;
  }
  for (const [name, content] of pending) add(name, content, undefined);
  const directory = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(zip.entries.length + pending.size, 8);
  eocd.writeUInt16LE(zip.entries.length + pending.size, 10);
  eocd.writeUInt32LE(directory.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(zip.comment.length, 20);
  return [...out, directory, eocd, zip.comment];
}
