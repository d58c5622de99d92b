/** Workbooks departments still send in older formats (.xls BIFF8, .ods, CSV in UTF-8 or GBK), turned into the exceljs model the import reads. */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { dateFromExcelSerial } from '../../../core/index.js';
import { excelDate } from './cells.js';
import { xmlDecode } from './xlsx-parts.js';

export type LegacyKind = 'xls' | 'ods' | 'csv';

/**
 * CSV bytes as text: UTF-8 (with or without BOM) when they decode as such, else GB 18030, the superset of GBK that
 * Excel and WPS on Chinese Windows write for 「CSV（逗号分隔）」.
 */
export function decodeCsv(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** A SheetJS cell as exceljs would hold it: dates as UTC-midnight Dates (as exceljs reads .xlsx), errors as { error }. */
function cellValue(cell: XLSX.CellObject): ExcelJS.CellValue {
  switch (cell.t) {
    case 'n': {
      const format = typeof cell.z === 'string' ? cell.z : '';
      if (format && XLSX.SSF.is_date(format)) {
        const day = dateFromExcelSerial(Number(cell.v));
        if (day) {
          const date = excelDate(day);
          // Keep the time of day a timestamp column may carry.
          date.setUTCMilliseconds(Math.round((Number(cell.v) % 1) * 86_400_000));
          return date;
        }
      }
      return Number(cell.v);
    }
    case 'b':
      return Boolean(cell.v);
    case 'e':
      return { error: (cell.w ?? XLSX.utils.format_cell(cell)) as ExcelJS.CellErrorValue['error'] };
    case 'd':
      return cell.v instanceof Date ? cell.v : String(cell.v);
    case 'z':
      return null;
    default: {
      const text = cell.v === undefined || cell.v === null ? '' : String(cell.v);
      if (cell.l?.Target) return { text, hyperlink: cell.l.Target };
      return text;
    }
  }
}

/** An ODS document's content XML: content.xml of the package, or the whole flat (.fods) file. */
async function odsContent(bytes: Buffer): Promise<string> {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return (await JSZip.loadAsync(bytes)).file('content.xml')?.async('string') ?? '';
  return bytes.toString('utf8');
}

/** Hidden (collapsed) 1-based columns per table of an ODS document, which SheetJS does not report. */
export function odsHiddenColumns(xml: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const table of xml.matchAll(/<table:table\s[^>]*?table:name="([^"]*)"[^>]*>([\s\S]*?)(?=<table:table-row[\s>]|<\/table:table>)/g)) {
    const hidden = new Set<number>();
    let column = 1;
    for (const col of table[2]!.matchAll(/<table:table-column\b([^>]*)>/g)) {
      const repeated = Number(/table:number-columns-repeated="(\d+)"/.exec(col[1]!)?.[1] ?? 1);
      const collapsed = /table:visibility="(collapse|filter)"/.test(col[1]!);
      for (let i = 0; i < Math.min(repeated, 16384); i++, column++) if (collapsed) hidden.add(column);
    }
    out.set(xmlDecode(table[1]!), hidden);
  }
  return out;
}

/** Reads an .xls, .ods or CSV file into an exceljs workbook with the same sheet names, values, hidden columns and merged cells. */
export async function legacyWorkbook(path: string, kind: LegacyKind): Promise<ExcelJS.Workbook> {
  const bytes = await readFile(path);
  const book =
    kind === 'csv'
      ? // raw: every CSV field stays text, so an 18-digit code is never turned into a number and cut to 15 digits.
        XLSX.read(decodeCsv(bytes), { type: 'string', raw: true, dense: true })
      : // cellStyles: column widths and hidden flags come with the styles.
        XLSX.read(bytes, { type: 'buffer', cellNF: true, cellStyles: true, cellDates: false, dense: true });
  const odsHidden = kind === 'ods' ? odsHiddenColumns(await odsContent(bytes)) : new Map<string, Set<number>>();
  const workbook = new ExcelJS.Workbook();
  for (const name of book.SheetNames) {
    const sheet = book.Sheets[name]!;
    const ws = workbook.addWorksheet(kind === 'csv' ? basename(path, extname(path)) : name);
    const dense = (sheet as unknown as { '!data'?: (XLSX.CellObject | undefined)[][] })['!data'] ?? [];
    dense.forEach((row, r) => {
      if (!row) return;
      row.forEach((cell, c) => {
        if (!cell) return;
        const value = cellValue(cell);
        if (value !== null && value !== '') ws.getCell(r + 1, c + 1).value = value;
      });
    });
    (sheet['!cols'] ?? []).forEach((col, c) => {
      if (col?.hidden) ws.getColumn(c + 1).hidden = true;
    });
    for (const c of odsHidden.get(name) ?? []) ws.getColumn(c).hidden = true;
    for (const m of sheet['!merges'] ?? []) {
      if (m.s.r === m.e.r && m.s.c === m.e.c) continue;
      try {
        ws.mergeCells(m.s.r + 1, m.s.c + 1, m.e.r + 1, m.e.c + 1);
      } catch {
        // Overlapping merges (seen in some hand-edited .xls) keep the first; the cells still read as typed.
      }
    }
  }
  return workbook;
}
