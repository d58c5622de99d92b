/**
 * The shared Google Sheet as a registry store: one values.batchGet reads every sheet; a write re-reads
 * the touched sheets to check that every target row and cell still holds what the change was based on,
 * then sends one values.batchUpdate of only the changed cells. On a mismatch it re-reads and retries.
 */
import {
  CoopError,
  REGISTRY_SHEETS,
  emptyRegistry,
  type RegistryData,
  type RegistryRow,
  type SheetSpec,
} from '../../../core/index.js';
import { createGoogleClients, type GoogleClients } from '../google/clients.js';
import { a1, quoteSheet, readSheetCell, sameCell, writeSheetCell, type SheetCell } from '../google/sheet-values.js';
import type { RegistryStore, UpdateResult } from './store.js';
import { STORE_TEXT as T } from './text.js';

type Grid = SheetCell[][];

/** What one read saw of one sheet: where the schema columns are, and every raw row. */
interface SheetSnapshot {
  spec: SheetSpec;
  /** Schema key → 0-based column index. */
  columns: Map<string, number>;
  grid: Grid;
}

type Snapshot = Map<string, SheetSnapshot>;

/** Row payload carried in RegistryRow.extra: the raw row as read, to diff against. */
interface RowOrigin {
  gsheetRow: SheetCell[];
}

interface CellWrite {
  sheet: string;
  row0: number;
  col0: number;
  /** What the cell held when read ('' for empty). */
  before: SheetCell;
  value: SheetCell;
}

/** Attempts of read → change → verify → write before giving up when others keep editing. */
const MAX_ATTEMPTS = 3;

export class GSheetRegistryStore implements RegistryStore {
  readonly location: string;
  private clientsPromise?: Promise<GoogleClients>;

  constructor(
    readonly spreadsheetId: string,
    clients?: GoogleClients | Promise<GoogleClients>,
  ) {
    this.location = `gsheet:${spreadsheetId}`;
    if (clients) this.clientsPromise = Promise.resolve(clients);
  }

  private clients(): Promise<GoogleClients> {
    return (this.clientsPromise ??= createGoogleClients());
  }

  async read(): Promise<RegistryData> {
    return this.toData(await this.snapshot(REGISTRY_SHEETS));
  }

  async update<R>(change: (data: RegistryData) => Promise<UpdateResult<R>> | UpdateResult<R>): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      const snapshot = await this.snapshot(REGISTRY_SHEETS);
      const data = this.toData(snapshot);
      const { result, write } = await change(data);
      if (!write) return result;
      const writes = this.diff(snapshot, data);
      if (!writes.length) return result;
      const conflicts = await this.verify(snapshot, writes);
      if (!conflicts.length) {
        await this.write(writes);
        return result;
      }
      if (attempt >= MAX_ATTEMPTS) throw new CoopError('REGISTRY_LOCKED', T.concurrentEdits(this.location, conflicts.slice(0, 5)));
    }
  }

  /** One values.batchGet of the given sheets; headers located by text. */
  private async snapshot(sheets: readonly SheetSpec[]): Promise<Snapshot> {
    const clients = await this.clients();
    let res;
    try {
      res = await clients.call(`读取登记表 ${this.location}`, { idempotent: true }, () =>
        clients.sheets.spreadsheets.values.batchGet({
          spreadsheetId: this.spreadsheetId,
          ranges: sheets.map((s) => quoteSheet(s.name)),
          valueRenderOption: 'UNFORMATTED_VALUE',
          dateTimeRenderOption: 'SERIAL_NUMBER',
          majorDimension: 'ROWS',
        }),
      );
    } catch (error) {
      if ((error as { status?: number }).status === 400) await this.explainMissingSheet(clients);
      throw error;
    }
    const snapshot: Snapshot = new Map();
    sheets.forEach((spec, i) => {
      const grid = (res.data.valueRanges?.[i]?.values ?? []) as Grid;
      const headerRow = grid[0] ?? [];
      const byHeader = new Map<string, number>();
      headerRow.forEach((h, c) => {
        const text = typeof h === 'string' ? h.trim() : '';
        if (text && !byHeader.has(text)) byHeader.set(text, c);
      });
      const missing = spec.columns.filter((c) => !byHeader.has(c.header)).map((c) => c.header);
      if (missing.length) throw new CoopError('REGISTRY_LAYOUT', T.missingHeaders(this.location, spec.name, missing));
      snapshot.set(spec.key, { spec, columns: new Map(spec.columns.map((c) => [c.key, byHeader.get(c.header)!])), grid });
    });
    return snapshot;
  }

  /** A range naming a sheet that does not exist fails the whole batchGet; say which one is missing. */
  private async explainMissingSheet(clients: GoogleClients): Promise<void> {
    const res = await clients.call(`读取登记表 ${this.location}`, { idempotent: true }, () =>
      clients.sheets.spreadsheets.get({ spreadsheetId: this.spreadsheetId, fields: 'sheets(properties(title))' }),
    );
    const titles = new Set((res.data.sheets ?? []).map((s) => s.properties?.title));
    const missing = REGISTRY_SHEETS.find((s) => !titles.has(s.name));
    if (missing) throw new CoopError('REGISTRY_LAYOUT', T.missingSheet(this.location, missing.name));
  }

  private toData(snapshot: Snapshot): RegistryData {
    const data = emptyRegistry();
    for (const { spec, columns, grid } of snapshot.values()) {
      const rows: RegistryRow[] = [];
      for (let r = 1; r < grid.length; r++) {
        const raw = grid[r] ?? [];
        if (!raw.some((v) => v !== '' && v !== null && v !== undefined && v !== false)) continue;
        const cells: RegistryRow['cells'] = {};
        for (const column of spec.columns) cells[column.key] = readSheetCell(raw[columns.get(column.key)!], column);
        rows.push({ cells, sheetRow: r + 1, extra: { gsheetRow: raw } satisfies RowOrigin });
      }
      data[spec.key] = rows;
    }
    return data;
  }

  /** The cells that differ from what was read: changed cells of kept rows, cleared rows, appended rows. */
  private diff(snapshot: Snapshot, data: RegistryData): CellWrite[] {
    const writes: CellWrite[] = [];
    for (const { spec, columns, grid } of snapshot.values()) {
      const kept = new Set<number>();
      let next = grid.length;
      for (const row of data[spec.key]) {
        const read = row.sheetRow !== undefined && row.extra && typeof row.extra === 'object' && 'gsheetRow' in row.extra;
        const row0 = read ? row.sheetRow! - 1 : next++;
        if (read) kept.add(row0);
        const before = read ? (row.extra as RowOrigin).gsheetRow : [];
        for (const column of spec.columns) {
          const col0 = columns.get(column.key)!;
          const value = writeSheetCell(row.cells[column.key] ?? null, column);
          // A new row gets every schema cell (empty ones too), so it goes out as one contiguous range.
          if (!read || !sameCell(before[col0], value, column)) writes.push({ sheet: spec.name, row0, col0, before: before[col0] ?? '', value });
        }
      }
      // Rows the change dropped lose their schema cells; columns the office added stay as they are.
      for (let r = 1; r < grid.length; r++) {
        if (kept.has(r)) continue;
        const raw = grid[r] ?? [];
        for (const column of spec.columns) {
          const col0 = columns.get(column.key)!;
          const empty = writeSheetCell(null, column);
          if (!sameCell(raw[col0], empty, column)) writes.push({ sheet: spec.name, row0: r, col0, before: raw[col0] ?? '', value: empty });
        }
      }
    }
    return writes;
  }

  /**
   * Re-reads the touched sheets and lists every write whose target moved or changed meanwhile:
   * the row's ID (on sheets with one), the cell itself, and appended rows that must still be empty.
   */
  private async verify(snapshot: Snapshot, writes: CellWrite[]): Promise<string[]> {
    const touched = [...snapshot.values()].filter((s) => writes.some((w) => w.sheet === s.spec.name));
    const fresh = await this.snapshot(touched.map((s) => s.spec));
    const conflicts: string[] = [];
    for (const w of writes) {
      const old = [...snapshot.values()].find((s) => s.spec.name === w.sheet)!;
      const now = fresh.get(old.spec.key)!;
      const rowNow = now.grid[w.row0] ?? [];
      const rowThen = old.grid[w.row0] ?? [];
      const idKey = old.spec.idColumn;
      const moved = idKey !== undefined && !sameCell(rowNow[now.columns.get(idKey)!], rowThen[old.columns.get(idKey)!], undefined);
      const colNow = now.columns.get([...old.columns].find(([, c]) => c === w.col0)![0]);
      const edited = colNow !== w.col0 || !sameCell(rowNow[w.col0], w.before, undefined);
      if (moved || edited) conflicts.push(`${w.sheet} ${a1(w.sheet, w.row0, w.col0).split('!')[1]}`);
    }
    return conflicts;
  }

  /** One values.batchUpdate, RAW: text is never parsed as a formula; numbers, booleans and date serials stay typed. */
  private async write(writes: CellWrite[]): Promise<void> {
    const clients = await this.clients();
    // Neighbouring cells of one row go in one range, so a new row is one range, not thirty.
    const sorted = [...writes].sort((a, b) => a.sheet.localeCompare(b.sheet) || a.row0 - b.row0 || a.col0 - b.col0);
    const data: { range: string; values: SheetCell[][] }[] = [];
    let run: { sheet: string; row0: number; col0: number; values: SheetCell[] } | undefined;
    const flush = () => run && data.push({ range: a1(run.sheet, run.row0, run.col0), values: [run.values] });
    for (const w of sorted) {
      if (run && run.sheet === w.sheet && run.row0 === w.row0 && run.col0 + run.values.length === w.col0) run.values.push(w.value);
      else {
        flush();
        run = { sheet: w.sheet, row0: w.row0, col0: w.col0, values: [w.value] };
      }
    }
    flush();
    // Writing fixed values to fixed cells twice has the effect of writing them once: safe to retry.
    await clients.call(`写入登记表 ${this.location}`, { idempotent: true }, () =>
      clients.sheets.spreadsheets.values.batchUpdate({
        spreadsheetId: this.spreadsheetId,
        requestBody: { valueInputOption: 'RAW', data },
      }),
    );
  }
}
