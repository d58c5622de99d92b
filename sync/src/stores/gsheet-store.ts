/**
 * The shared registry in Google Sheets behind the same interface as the local .xlsx store. A read is one
 * values.batchGet; a write re-reads once to place and check its rows, then sends one values.batchUpdate
 * (plus one spreadsheets.batchUpdate when rows or date/money formats are needed) — whatever the number of rows.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import { CoopError, REGISTRY_SHEETS, type RegistryData, type SheetKey } from '../../../core/index.js';
import { createGoogleClients } from '../google/clients.js';
import type { CallOptions } from '../google/retry.js';
import { statusOf } from '../google/retry.js';
import { quoteSheet, type SheetValue } from '../gsheet/cells.js';
import { formatRequests } from '../gsheet/layout-requests.js';
import { WriteConflict, diffRegistry, parseTable, placeChanges, toRegistryData, type PlacedWrite, type RegistryTables } from '../gsheet/table.js';
import { GSHEET_TEXT as T } from '../gsheet/text.js';
import type { RegistryStore, UpdateResult } from './store.js';

/** What the store needs of the Google clients (GoogleClients provides it). */
export interface SheetsAccess {
  sheets: sheets_v4.Sheets;
  call<R>(what: string, options: CallOptions, fn: () => Promise<R>): Promise<R>;
}

/** Re-reads after a conflict before giving up: people rarely edit the same rows for long. */
export const MAX_WRITE_ATTEMPTS = 3;

export class GsheetRegistryStore implements RegistryStore {
  readonly location: string;
  private access?: Promise<SheetsAccess>;

  constructor(
    readonly spreadsheetId: string,
    access?: SheetsAccess,
  ) {
    this.location = `gsheet:${spreadsheetId}`;
    if (access) this.access = Promise.resolve(access);
  }

  private clients(): Promise<SheetsAccess> {
    this.access ??= createGoogleClients();
    return this.access;
  }

  async read(): Promise<RegistryData> {
    return toRegistryData(await this.fetch('读取共享登记表'));
  }

  /**
   * Read, change, then write only what changed, after checking (on a fresh read) that every target row still
   * holds what was read: rows are found again by ID (or content) wherever they moved. On a conflict the change
   * is run again on the fresh data, at most MAX_WRITE_ATTEMPTS times, then the command stops and writes nothing.
   */
  async update<R>(change: (data: RegistryData) => Promise<UpdateResult<R>> | UpdateResult<R>): Promise<R> {
    let tables = await this.fetch('读取共享登记表');
    for (let attempt = 1; ; attempt++) {
      const data = toRegistryData(tables);
      const { result, write } = await change(data);
      if (!write) return result;
      const changes = diffRegistry(tables, data);
      if (!changes.length) return result;
      const current = await this.fetch('写入前核对共享登记表');
      let placed: PlacedWrite;
      try {
        placed = placeChanges(changes, current);
      } catch (error) {
        if (!(error instanceof WriteConflict)) throw error;
        if (attempt >= MAX_WRITE_ATTEMPTS) throw new CoopError('REGISTRY_LOCKED', T.conflictGaveUp(this.location, attempt), error.reasons);
        tables = current;
        continue;
      }
      await this.write(placed);
      return result;
    }
  }

  /** One values.batchGet of every registry sheet, parsed by header text. */
  async fetch(what: string): Promise<RegistryTables> {
    const { sheets, call } = await this.clients();
    let valueRanges: sheets_v4.Schema$ValueRange[];
    try {
      const response = await call(what, { idempotent: true }, () =>
        sheets.spreadsheets.values.batchGet({
          spreadsheetId: this.spreadsheetId,
          ranges: REGISTRY_SHEETS.map((s) => quoteSheet(s.name)),
          majorDimension: 'ROWS',
          valueRenderOption: 'UNFORMATTED_VALUE',
          dateTimeRenderOption: 'SERIAL_NUMBER',
        }),
      );
      valueRanges = response.data.valueRanges ?? [];
    } catch (error) {
      throw await this.explain(error);
    }
    const tables = {} as RegistryTables;
    REGISTRY_SHEETS.forEach((spec, i) => {
      const values = (valueRanges[i]?.values ?? []) as SheetValue[][];
      try {
        tables[spec.key as SheetKey] = parseTable(spec, values, this.location);
      } catch (error) {
        if ((error as { layout?: boolean }).layout) throw new CoopError('REGISTRY_LAYOUT', (error as Error).message);
        throw error;
      }
    });
    return tables;
  }

  /** A failed read becomes a clear message: a missing spreadsheet, or missing sheets (found with one more request). */
  private async explain(error: unknown): Promise<unknown> {
    const status = (error as { status?: number }).status ?? statusOf(error);
    if (status === 404) return new CoopError('REGISTRY_MISSING', T.notFound(this.location));
    if (status !== 400) return error;
    const titles = await this.sheetTitles().catch(() => null);
    if (!titles) return error;
    const missing = REGISTRY_SHEETS.map((s) => s.name).filter((name) => !titles.has(name));
    return missing.length ? new CoopError('REGISTRY_LAYOUT', T.missingSheets(this.location, missing)) : error;
  }

  private async sheetTitles(): Promise<Set<string>> {
    const props = await this.sheetProperties();
    return new Set(props.map((p) => p.title ?? ''));
  }

  async sheetProperties(): Promise<sheets_v4.Schema$SheetProperties[]> {
    const { sheets, call } = await this.clients();
    const response = await call('读取共享登记表结构', { idempotent: true }, () =>
      sheets.spreadsheets.get({ spreadsheetId: this.spreadsheetId, fields: 'sheets.properties(sheetId,title,gridProperties)' }),
    );
    return (response.data.sheets ?? []).map((s) => s.properties ?? {});
  }

  /** Grows sheets and sets number formats first (one request, only when needed), then writes every cell in one request. */
  private async write(placed: PlacedWrite): Promise<void> {
    const { sheets, call } = await this.clients();
    if (placed.formats.length || placed.notes.length || placed.neededRows.size) {
      const props = await this.sheetProperties();
      const requests = formatRequests(placed, props);
      if (requests.length) {
        // Absolute row counts, formats and notes: sending them twice changes nothing, so a retry is safe.
        await call('调整共享登记表行数、格式与批注', { idempotent: true }, () =>
          sheets.spreadsheets.batchUpdate({ spreadsheetId: this.spreadsheetId, requestBody: { requests } }),
        );
      }
    }
    if (!placed.ranges.length) return;
    // Fixed values into fixed cells: idempotent, so a dropped connection is retried without harm.
    try {
      await call('写入共享登记表', { idempotent: true }, () =>
        sheets.spreadsheets.values.batchUpdate({
          spreadsheetId: this.spreadsheetId,
          requestBody: { valueInputOption: 'RAW', data: placed.ranges },
        }),
      );
    } catch (error) {
      // Status, stamps and 审批记录 are protected for the office: a refused write almost always means this account is not listed.
      if (statusOf(error) === 403 || (error as { status?: number }).status === 403) throw new CoopError('GOOGLE', T.writeForbidden(this.location), [(error as Error).message]);
      throw error;
    }
  }
}
