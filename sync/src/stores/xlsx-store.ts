/** The local registry: one .xlsx file laid out by the core schema, read by header text, written atomically under a lock. */
import { readFile, stat } from 'node:fs/promises';
import type ExcelJS from 'exceljs';
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
  type SheetKey,
  type SheetSpec,
} from '../../../core/index.js';
import { carryCell, writeCell } from '../excel/cells.js';
import { applyValidations, headerMap, styleHeader, writeHeader } from '../excel/layout.js';
import { fsError, isErrno } from '../io/fs-errors.js';
import { checkRegistryFile } from '../io/limits.js';
import { withFileLock, writeFileAtomic, type FileBytes } from './atomic-file.js';
import { attachLocalAnchor, saveWithAnchor } from './chain-anchor.js';
import type { RegistryStore, RowAppend, UpdateResult } from './store.js';
import { STORE_TEXT as T } from './text.js';
import { readStateCache, saveStateCache, type CachedFile } from './state-cache.js';
import { patchRegistry, readParts, RowAppender } from './xlsx-patch.js';
import { collectGarbage } from '../util/gc.js';
import { readStreamed, schemaColumns } from './xlsx-read.js';
import { registryRow, type ExtraCells } from './xlsx-rows.js';
import { UnsupportedWorkbook, XlsxParts } from '../excel/xlsx-parts.js';

/**
 * How the store reads and writes: by default rows are read straight from the sheet parts and a write rewrites
 * only what changed (xlsx-patch.ts); `exceljs` and `full` select the whole-model path, which is also the
 * fallback for anything the part reader cannot handle, and the reference the property test compares against.
 */
export interface XlsxStoreOptions {
  read?: 'parts' | 'exceljs';
  write?: 'patch' | 'full';
  /** false: ignore NAME.state.json and verify and replay the whole log (the bench's baseline). */
  cache?: boolean;
  /**
   * `read()`: inflated bytes of a sheet part parsed at a time (xlsx-read.ts; tests cut characters and tags with tiny
   * chunks), or 0 to inflate each part whole as the locked step does.
   */
  chunk?: number;
}

/**
 * COOP_XLSX_FULL=1 selects the whole-model path, COOP_STATE_CACHE=0 ignores NAME.state.json, COOP_READ_CHUNK=0 reads
 * each sheet part whole instead of streamed: the bench's baselines, and escape hatches should a shortcut ever misbehave.
 */
function envOptions(): XlsxStoreOptions {
  if (process.env.COOP_XLSX_FULL === '1') return { read: 'exceljs', write: 'full', cache: false };
  const chunk = process.env.COOP_READ_CHUNK === '0' ? { chunk: 0 } : {};
  return process.env.COOP_STATE_CACHE === '0' ? { cache: false, ...chunk } : chunk;
}

export class XlsxRegistryStore implements RegistryStore {
  /** How the last write went: only the changed parts, or the whole workbook (tests and the bench check it). */
  lastWrite: 'patch' | 'full' | undefined;
  /**
   * How the last locked step read the file: whether NAME.state.json vouched for it, and which sheets' rows were left
   * unparsed (and which of those stayed in their deflate segments) — tests check that the lazy path really ran.
   */
  lastRead: { cache: boolean; lazy: SheetKey[]; segmented: SheetKey[] } | undefined;

  constructor(
    readonly location: string,
    private readonly options: XlsxStoreOptions = envOptions(),
  ) {}

  async read(): Promise<RegistryData> {
    if (this.options.read !== 'exceljs') {
      const bytes = await this.bytes();
      const parts = await this.parts(bytes);
      if (parts) {
        const cached = await this.cached(bytes);
        // Plain rows for readers (they read the whole log anyway, and may copy the data as they like): lazy log rows
        // are for the locked step below, which reads only the chain head. Streamed, so only the rows stay in memory.
        const data = await this.readRows(parts);
        if (data) {
          await this.attach(data, cached);
          return data;
        }
      }
    }
    return (await this.load()).data;
  }

  async update<T>(change: (data: RegistryData, append?: RowAppend) => Promise<UpdateResult<T>> | UpdateResult<T>): Promise<T> {
    return withFileLock(this.location, async (guard) => {
      const bytes = await this.bytes();
      const parts = this.options.read === 'exceljs' ? null : await this.parts(bytes);
      if (parts) {
        const cached = await this.cached(bytes);
        // Segments first: with them, a sheet whose rows the cache vouches for is inflated only where a row is read.
        if (cached) {
          parts.adoptSegments(cached.segments);
          parts.seedStrings(cached.strings);
        }
        const { data, origin, lazy } = await readParts(parts, this.location, this.options.write !== 'full', cached?.rows);
        this.lastRead = { cache: !!cached, lazy: lazy.map((l) => l.sheet), segmented: lazy.filter((l) => l.segmented).map((l) => l.sheet) };
        await this.attach(data, cached);
        // Appended rows wait in a spill file beside the registry (removed however this ends) until the write.
        const appender = origin ? new RowAppender(origin, data, this.location) : undefined;
        try {
          const { result, write } = await change(data, appender);
          if (!write) return result;
          guard.assertHeld();
          // A large import's stubs and lookups are garbage once it is merged: collected before its spilled rows are
          // read back for the write, so the write does not raise the import's peak.
          if (appender?.appended) collectGarbage();
          const patched = origin ? await patchRegistry(origin, data, appender) : null;
          appender?.close();
          // Appended rows exist only as compressed XML: the whole-model rewrite could not write them.
          if (!patched && appender?.appended) throw new CoopError('REGISTRY_LAYOUT', T.appendNeedsRewrite(this.location, appender.appended));
          if (patched) {
            await saveWithAnchor(this.location, data, () => writeRegistryFile(this.location, patched));
            if (this.options.cache !== false) await saveStateCache(this.location, patched, data, parts.segments(), origin!.strings);
          } else await this.save(await this.open(bytes), data);
          this.lastWrite = patched ? 'patch' : 'full';
          return result;
        } finally {
          appender?.close();
        }
      }
      const { workbook, data } = await this.load(bytes);
      this.lastRead = { cache: false, lazy: [], segmented: [] };
      const { result, write } = await change(data);
      if (write) {
        guard.assertHeld();
        await this.save(workbook, data);
        this.lastWrite = 'full';
      }
      return result;
    });
  }

  /** Every sheet's rows from the parts, or null when a sheet uses what the part reader refuses (exceljs reads it instead). */
  private async readRows(parts: XlsxParts): Promise<RegistryData | null> {
    try {
      if (this.options.chunk === 0) return (await readParts(parts, this.location, false)).data;
      return await readStreamed(parts, this.location, this.options.chunk);
    } catch (error) {
      if (error instanceof UnsupportedWorkbook) return null;
      throw error;
    }
  }

  /** The chain anchor beside the file, and the log's verified state when the cache was derived from these very bytes. */
  private async attach(data: RegistryData, cached: CachedFile | null): Promise<void> {
    await attachLocalAnchor(this.location, data);
    cached?.apply(data);
  }

  /** NAME.state.json when it was derived from these very bytes (see state-cache.ts). */
  private async cached(bytes: Uint8Array): Promise<CachedFile | null> {
    return this.options.cache === false ? null : readStateCache(this.location, bytes);
  }

  /** The file's bytes, read once per command. */
  private async bytes(): Promise<Buffer> {
    const info = await stat(this.location).catch(() => null);
    if (!info) throw new CoopError('REGISTRY_MISSING', T.missing(this.location));
    // Checked before reading: a folder or a file of several GiB would otherwise end in raw errno text or an aborted process.
    checkRegistryFile(this.location, info);
    try {
      return await readFile(this.location);
    } catch (error) {
      if (isErrno(error)) throw fsError(error, this.location, false);
      throw new CoopError('INPUT_UNREADABLE', T.unreadable(this.location, (error as Error).message));
    }
  }

  /** The workbook as parts, or null when the part reader cannot handle it (exceljs reads it instead). */
  private async parts(bytes: Buffer): Promise<XlsxParts | null> {
    try {
      return await XlsxParts.load(bytes);
    } catch (error) {
      if (error instanceof UnsupportedWorkbook) return null;
      throw error;
    }
  }

  /** Creates a registry with every sheet of the schema and 设置 filled from `settings`. */
  async create(settings: Settings): Promise<void> {
    await withFileLock(this.location, async () => {
      if (await fileExists(this.location)) throw new CoopError('REGISTRY_EXISTS', T.exists(this.location));
      const workbook = await newRegistryWorkbook();
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

  private async open(bytes?: Buffer): Promise<ExcelJS.Workbook> {
    const content = bytes ?? (await this.bytes());
    const workbook = new (await excel()).Workbook();
    try {
      // A registry re-saved by openpyxl, WPS or LibreOffice opens like one we wrote (loaded lazily: it brings exceljs).
      const { normalizePackage } = await import('../excel/package-parts.js');
      await workbook.xlsx.load((await normalizePackage(content)) as unknown as ArrayBuffer);
      return workbook;
    } catch (error) {
      if (isErrno(error)) throw fsError(error, this.location, false);
      throw new CoopError('INPUT_UNREADABLE', T.unreadable(this.location, (error as Error).message));
    }
  }

  private async load(bytes?: Buffer): Promise<{ workbook: ExcelJS.Workbook; data: RegistryData }> {
    const content = bytes ?? (await this.bytes());
    const workbook = await this.open(content);
    const data = this.extract(workbook);
    await this.attach(data, await this.cached(content));
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
    await saveWithAnchor(this.location, data, () => writeRegistryFile(this.location, buffer));
    if (this.options.cache !== false) await saveStateCache(this.location, buffer, data);
  }
}

/** The registry replaced atomically, the new file written into the old backup's blocks (we hold the registry's lock). */
function writeRegistryFile(path: string, bytes: FileBytes): Promise<void> {
  return writeFileAtomic(path, bytes, { recycleBackup: true });
}

async function fileExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * exceljs, loaded only when the whole-model path runs (create, repair, fallback): loading it costs more than a
 * whole change-only tick on a small registry.
 */
async function excel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

export async function newRegistryWorkbook(): Promise<ExcelJS.Workbook> {
  const workbook = new (await excel()).Workbook();
  workbook.creator = 'coop-registry';
  workbook.created = new Date();
  for (const sheet of REGISTRY_SHEETS) writeHeader(workbook.addWorksheet(sheet.name), sheet);
  return workbook;
}

function readRows(ws: ExcelJS.Worksheet, sheet: SheetSpec, path: string): RegistryRow[] {
  const known = schemaColumns(headerMap(ws), sheet, path);
  const rows: RegistryRow[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.findRow(r);
    if (!row?.hasValues) continue;
    const cells: [number, ExcelJS.CellValue][] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => void cells.push([col, cell.value]));
    const read = registryRow(cells, known, sheet, r);
    if (read) rows.push(read);
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
