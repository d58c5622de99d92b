/** Seeds an emulated spreadsheet from a real .xlsx registry, read cell by cell with exceljs (independent of the stores). */
import ExcelJS from 'exceljs';
import type { CellValue, GoogleEmulator } from './emulator.js';

/** Sheets' serial number of a Date that exceljs hands back (UTC midnight for a date). */
function serial(date: Date): number {
  return (date.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000;
}

function raw(value: ExcelJS.CellValue): CellValue | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return serial(value);
  if (typeof value === 'object') {
    if ('hyperlink' in value) return String(value.hyperlink);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return raw((value as { result?: ExcelJS.CellValue }).result ?? null);
    return String(value);
  }
  return value;
}

export async function gridsFromXlsx(path: string): Promise<{ title: string; values: (CellValue | null)[][] }[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook.worksheets.map((ws) => {
    const values: (CellValue | null)[][] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row: (CellValue | null)[] = [];
      for (let c = 1; c <= ws.columnCount; c++) row.push(raw(ws.getRow(r).getCell(c).value));
      values.push(row);
    }
    return { title: ws.name, values };
  });
}

/** A spreadsheet holding the registry of `path`, with an office-added column 「自建备注」 inserted as column C of 合作项目. */
export async function seedSpreadsheet(emulator: GoogleEmulator, path: string): Promise<string> {
  const grids = await gridsFromXlsx(path);
  const projects = grids.find((g) => g.title === '合作项目')!;
  projects.values.forEach((row, i) => row.splice(2, 0, i === 0 ? '自建备注' : `备注${i}`));
  return emulator.addSpreadsheet(grids);
}
