/**
 * Tells which of coop's own workbooks a file is (a registry, an archive, a form, a rejects workbook) from the sheet
 * names and title inside the zip, so one kind of output is never written over another kind.
 */
import { open } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { partnersSheet, projectsSheet, reviewLogSheet, settingsSheet } from '../../../core/schema.js';
import { ARCHIVE_TEXT, FORM_TEXT, IMPORT_TEXT } from '../excel/text.js';

export type OutputKind = 'registry' | 'archive' | 'form' | 'rejects';

/** Beyond this the file is not one of ours worth sniffing (and we would not read it whole). */
const SNIFF_LIMIT = 64 * 2 ** 20;

/** The named entries of a zip file, inflated; an empty map when the file is not a readable zip. */
async function zipEntries(path: string, names: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return found;
  try {
    const { size } = await handle.stat();
    if (!size || size > SNIFF_LIMIT) return found;
    const zip = Buffer.alloc(size);
    await handle.read(zip, 0, size, 0);
    const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (end < 0 || end + 22 > size) return found;
    let at = zip.readUInt32LE(end + 16);
    for (let n = zip.readUInt16LE(end + 10); n > 0 && at + 46 <= size && zip.readUInt32LE(at) === 0x02014b50; n--) {
      const method = zip.readUInt16LE(at + 10);
      const compressed = zip.readUInt32LE(at + 20);
      const nameLength = zip.readUInt16LE(at + 28);
      const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
      const local = zip.readUInt32LE(at + 42);
      at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
      if (!names.includes(name) || local + 30 > size) continue;
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      if (method === 0) found.set(name, data.toString('utf8'));
      else if (method === 8) found.set(name, inflateRawSync(data).toString('utf8'));
    }
  } catch {
    // Not a zip we can read: then it is not one of our workbooks either.
  } finally {
    await handle.close();
  }
  return found;
}

/** Which of coop's workbooks `path` holds, or null for anything else (including a missing file). */
export async function outputKindOf(path: string): Promise<OutputKind | null> {
  const parts = await zipEntries(path, ['xl/workbook.xml', 'docProps/core.xml']);
  const workbook = parts.get('xl/workbook.xml');
  if (!workbook) return null;
  const sheets = new Set([...workbook.matchAll(/<sheet\b[^>]*\bname="([^"]*)"/g)].map((m) => m[1]!));
  if ([partnersSheet, projectsSheet, reviewLogSheet, settingsSheet].every((s) => sheets.has(s.name)) && !sheets.has(ARCHIVE_TEXT.cover)) return 'registry';
  if (sheets.has(ARCHIVE_TEXT.cover) && sheets.has(ARCHIVE_TEXT.stats)) return 'archive';
  if (sheets.has(FORM_TEXT.guideSheet)) return 'form';
  if ((parts.get('docProps/core.xml') ?? '').includes(`<dc:title>${IMPORT_TEXT.rejectsTitle}</dc:title>`)) return 'rejects';
  return null;
}
