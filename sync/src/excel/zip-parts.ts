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

export function readZip(bytes: Buffer): ZipArchive {
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
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

/** The archive with `replaced` parts re-deflated (new names are appended); every other record is copied as it was. */
export function writeZip(zip: ZipArchive, replaced: Map<string, Buffer>): Buffer {
  const out: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const pending = new Map(replaced);
  const add = (name: string, content: Buffer, template: ZipEntry | undefined) => {
    const data = zlib.deflateRawSync(content, { level: 6 });
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(content);
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
    local.writeUInt32LE(content.length, 22);
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
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(template ? template.central.readUInt32LE(38) : 0, 38);
    central.writeUInt32LE(offset, 42);
    out.push(local, nameBytes, data);
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
  return Buffer.concat([...out, directory, eocd, zip.comment]);
}
