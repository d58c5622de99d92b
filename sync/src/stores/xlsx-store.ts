/** The local registry: one .xlsx file laid out by the core schema, read by header text, written atomically under a lock. */
import { stat } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import {
  CoopError,
  REGISTRY_SHEETS,
  attachAnchor,
  emptyRegistry,
  readSettings,
  writeSettings,
  type RegistryData,
  type RegistryRow,
  type Settings,
  type SheetSpec,
} from '../../../core/index.js';
import { carryCell, readCell, writeCell } from '../excel/cells.js';
import { loadWorkbookFile } from '../excel/package-parts.js';
import { applyValidations, headerMap, styleHeader, writeHeader } from '../excel/layout.js';
import { fsError, isErrno } from '../io/fs-errors.js';
import { checkRegistryFile } from '../io/limits.js';
import { withFileLock, writeFileAtomic } from './atomic-file.js';
import { attachLocalAnchor, saveWithAnchor } from './chain-anchor.js';
import type { RegistryStore, UpdateResult } from './store.js';
import { STORE_TEXT as T } from './text.js';

/** Cells of columns the schema does not know, by column index, carried with their row. */
type ExtraCells = [column: number, value: ExcelJS.CellValue][];

export class XlsxRegistryStore implements RegistryStore {
  constructor(readonly location: string) {}

  async read(): Promise<RegistryData> {
    return (await this.load()).data;
  }

  async update<T>(change: (data: RegistryData) => Promise<UpdateResult<T>> | UpdateResult<T>): Promise<T> {
    return withFileLock(this.location, async () => {
      const { workbook, data } = await this.load();
      const { result, write } = await change(data);
      if (write) await this.save(workbook, data);
      return result;
    });
  }

  /** Creates a registry with every sheet of the schema and 设置 filled from `settings`. */
  async create(settings: Settings): Promise<void> {
    await withFileLock(this.location, async () => {
      if (await fileExists(this.location)) throw new CoopError('REGISTRY_EXISTS', T.exists(this.location));
      const workbook = newRegistryWorkbook();
      const data = emptyRegistry();
      writeSettings(data, settings);
      attachAnchor(data.reviewLog, null, '');
      await this.save(workbook, data);
    });
  }

  /** Adds missing sheets and headers and refreshes styles and dropdowns; data and extra columns stay. */
  async repair(): Promise<{ addedSheets: string[]; addedHeaders: string[] }> {
    return withFileLock(this.location, async () => {
      const workbook = await this.open();
      const added = { addedSheets: [] as string[], addedHeaders: [] as string[] };
      for (const sheet of REGISTRY_SHEETS) {
        let ws = workbook.getWorksheet(sheet.name);
        if (!ws) {
          ws = workbook.addWorksheet(sheet.name);
          writeHeader(ws, sheet);
          added.addedSheets.push(sheet.name);
          continue;
        }
        const headers = headerMap(ws);
        let next = Math.max(ws.columnCount, 0) + 1;
        for (const column of sheet.columns) {
          if (headers.has(column.header)) continue;
          ws.getRow(1).getCell(next).value = column.header;
          ws.getColumn(next).width = column.width + 2;
          headers.set(column.header, next++);
          added.addedHeaders.push(`${sheet.name}.${column.header}`);
        }
        styleHeader(ws, sheet, headers);
      }
      const data = this.extract(workbook);
      await attachLocalAnchor(this.location, data);
      await this.save(workbook, data);
      return added;
    });
  }

  private async open(): Promise<ExcelJS.Workbook> {
    const info = await stat(this.location).catch(() => null);
    if (!info) throw new CoopError('REGISTRY_MISSING', T.missing(this.location));
    // Checked before reading: a folder or a file of several GiB would otherwise end in raw errno text or an aborted process.
    checkRegistryFile(this.location, info);
    try {
      // A registry re-saved by openpyxl, WPS or LibreOffice opens like one we wrote.
      return await loadWorkbookFile(this.location);
    } catch (error) {
      if (isErrno(error)) throw fsError(error, this.location, false);
      throw new CoopError('INPUT_UNREADABLE', T.unreadable(this.location, (error as Error).message));
    }
  }

  private async load(): Promise<{ workbook: ExcelJS.Workbook; data: RegistryData }> {
    const workbook = await this.open();
    const data = this.extract(workbook);
    await attachLocalAnchor(this.location, data);
    return { workbook, data };
  }

  private extract(workbook: ExcelJS.Workbook): RegistryData {
    const data = emptyRegistry();
    for (const sheet of REGISTRY_SHEETS) {
      const ws = workbook.getWorksheet(sheet.name);
      if (!ws) throw new CoopError('REGISTRY_LAYOUT', T.missingSheet(this.location, sheet.name));
      data[sheet.key] = readRows(ws, sheet, this.location);
    }
    return data;
  }

  private async save(workbook: ExcelJS.Workbook, data: RegistryData): Promise<void> {
    const { settings } = readSettings(data);
    for (const sheet of REGISTRY_SHEETS) {
      const ws = workbook.getWorksheet(sheet.name)!;
      writeRows(ws, sheet, data[sheet.key]);
      applyValidations(ws, sheet, settings, headerMap(ws), data[sheet.key].length);
    }
    workbook.modified = new Date();
    const buffer = new Uint8Array(await workbook.xlsx.writeBuffer());
    await saveWithAnchor(this.location, data, () => writeFileAtomic(this.location, buffer));
  }
}

async function fileExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export function newRegistryWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'coop-registry';
  workbook.created = new Date();
  for (const sheet of REGISTRY_SHEETS) writeHeader(workbook.addWorksheet(sheet.name), sheet);
  return workbook;
}

function readRows(ws: ExcelJS.Worksheet, sheet: SheetSpec, path: string): RegistryRow[] {
  const headers = headerMap(ws);
  const missing = sheet.columns.filter((c) => !headers.has(c.header)).map((c) => c.header);
  if (missing.length) throw new CoopError('REGISTRY_LAYOUT', T.missingHeaders(path, sheet.name, missing));
  const known = new Map(sheet.columns.map((c) => [headers.get(c.header)!, c]));
  const rows: RegistryRow[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.findRow(r);
    if (!row || !row.hasValues) continue;
    const cells: RegistryRow['cells'] = {};
    const extra: ExtraCells = [];
    let anyValue = false;
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const column = known.get(col);
      if (column) {
        const value = readCell(cell.value, column);
        cells[column.key] = value;
        if (value !== null && value !== false) anyValue = true;
      } else if (cell.value !== null && cell.value !== undefined) {
        extra.push([col, cell.value]);
        anyValue = true;
      }
    });
    if (!anyValue) continue;
    for (const c of sheet.columns) if (!(c.key in cells)) cells[c.key] = c.type === 'checkbox' ? false : null;
    rows.push({ cells, sheetRow: r, extra });
  }
  return rows;
}

function writeRows(ws: ExcelJS.Worksheet, sheet: SheetSpec, rows: RegistryRow[]): void {
  const headers = headerMap(ws);
  const previousLast = ws.rowCount;
  const width = Math.max(ws.columnCount, ...headers.values());
  const positioned = sheet.columns.map((c) => [headers.get(c.header)!, c] as const);
  const schemaIndexes = new Set(positioned.map(([i]) => i));
  rows.forEach((row, i) => {
    const target = ws.getRow(i + 2);
    for (const [index, column] of positioned) {
      const cell = target.getCell(index);
      cell.value = writeCell(row.cells[column.key], column);
    }
    const extra = new Map((row.extra as ExtraCells | undefined) ?? []);
    for (let c = 1; c <= width; c++) {
      if (schemaIndexes.has(c)) continue;
      target.getCell(c).value = carryCell(extra.get(c) ?? null);
    }
    row.sheetRow = i + 2;
  });
  for (let r = rows.length + 2; r <= previousLast; r++) {
    const stale = ws.findRow(r);
    if (stale) for (let c = 1; c <= width; c++) stale.getCell(c).value = null;
  }
}
