/** Makes .xlsx packages written by other programs (openpyxl/pandas, WPS, LibreOffice) readable by exceljs, loaded or streamed. */
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

/** The parts exceljs's stream reader reads best before any worksheet (no worksheet is then parked in a temp file). */
const LEADING_PARTS = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml'];

/** The folder a .rels part's relative targets start from: `xl/worksheets/_rels/sheet1.xml.rels` → `xl/worksheets`. */
function sourceFolder(relsPath: string): string {
  const folder = posix.dirname(posix.dirname(relsPath));
  return folder === '.' ? '' : folder;
}

/**
 * OPC allows a relationship target to be an absolute part name (`/xl/comments/comment1.xml`, as openpyxl writes);
 * exceljs only resolves relative ones. The same target, relative to the part that owns the relationship.
 */
export function relativeTargets(relsXml: string, relsPath: string): string {
  const from = sourceFolder(relsPath);
  return relsXml.replace(/<Relationship\b[^>]*>/g, (tag) => {
    if (/\bTargetMode="External"/.test(tag)) return tag;
    return tag.replace(/\bTarget="\/([^"]*)"/, (_all, absolute: string) => `Target="${from ? posix.relative(from, absolute) : absolute}"`);
  });
}

/** Where exceljs looks for a worksheet's comments and their drawing; other writers choose other names (openpyxl: xl/comments/comment1.xml). */
const CANONICAL_PARTS: readonly { type: RegExp; name: (n: number) => string }[] = [
  { type: /\/relationships\/comments"/, name: (n) => `xl/comments${n}.xml` },
  { type: /\/relationships\/vmlDrawing"/, name: (n) => `xl/drawings/vmlDrawing${n}.vml` },
];

/** Renames worksheet comment parts to exceljs's names; returns old → new part names and rewrites the worksheet .rels in `rels`. */
function canonicalNames(names: readonly string[], rels: Map<string, string>): Map<string, string> {
  const renamed = new Map<string, string>();
  const taken = new Set(names);
  const counters = CANONICAL_PARTS.map(() => 0);
  for (const [relsPath, xml] of rels) {
    if (!/^xl\/worksheets\/_rels\//.test(relsPath)) continue;
    const from = sourceFolder(relsPath);
    const fixed = xml.replace(/<Relationship\b[^>]*>/g, (tag) => {
      const kind = CANONICAL_PARTS.findIndex((k) => k.type.test(tag));
      const target = /\bTarget="([^"]*)"/.exec(tag)?.[1];
      if (kind < 0 || !target) return tag;
      const part = posix.join(from, target);
      let name = renamed.get(part);
      if (!name) {
        if (/^xl\/comments\d+\.xml$|^xl\/drawings\/vmlDrawing\d+\.vml$/.test(part)) return tag;
        do name = CANONICAL_PARTS[kind]!.name(++counters[kind]!);
        while (taken.has(name));
        taken.add(name);
        renamed.set(part, name);
      }
      return tag.replace(/\bTarget="[^"]*"/, `Target="${posix.relative(from, name)}"`);
    });
    rels.set(relsPath, fixed);
  }
  return renamed;
}

/**
 * The package as exceljs can read it: absolute targets made relative (openpyxl's `/xl/worksheets/sheet1.xml` made the
 * stream reader name every sheet 「Sheet1」 and the loaded reader fail on comments), comment parts under the names
 * exceljs expects; a rewritten package puts the workbook parts first. One that needs none of this comes back untouched.
 */
export async function normalizePackage(zip: Buffer): Promise<Buffer> {
  const archive = await JSZip.loadAsync(zip);
  const names = Object.keys(archive.files).filter((n) => !archive.files[n]!.dir);
  const rels = new Map<string, string>();
  for (const name of names) if (name.endsWith('.rels')) rels.set(name, await archive.file(name)!.async('string'));
  const original = new Map(rels);
  for (const [name, xml] of rels) rels.set(name, relativeTargets(xml, name));
  const renamed = canonicalNames(names, rels);
  const rewritten = new Map([...rels].filter(([name, xml]) => xml !== original.get(name)));
  // Part order alone needs no rewrite: exceljs's stream reader defers worksheets met before the workbook part.
  if (!rewritten.size && !renamed.size) return zip;
  if (renamed.size && names.includes('[Content_Types].xml')) {
    let types = await archive.file('[Content_Types].xml')!.async('string');
    for (const [from, to] of renamed) types = types.split(`PartName="/${from}"`).join(`PartName="/${to}"`);
    rewritten.set('[Content_Types].xml', types);
  }
  const out = new JSZip();
  const ordered = [...LEADING_PARTS.filter((p) => names.includes(p)), ...names.filter((n) => !LEADING_PARTS.includes(n))];
  for (const name of ordered) out.file(renamed.get(name) ?? name, rewritten.get(name) ?? (await archive.file(name)!.async('uint8array')));
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } });
}

/** A whole .xlsx file loaded by exceljs after `normalizePackage`: the one way both the registry store and imports open a workbook. */
export async function loadWorkbookFile(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await normalizePackage(await readFile(path))) as unknown as ExcelJS.Buffer);
  return workbook;
}
