/**
 * The shared registry in Google Sheets behind the same interface as the local .xlsx store. A read is one
 * values.batchGet; a write re-reads to place and check its rows, then sends one atomic spreadsheets.batchUpdate
 * (values, formats, notes, appended rows) — whatever the number of rows.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import { CoopError, REGISTRY_SHEETS, type RegistryData, type SheetKey } from '../../../core/index.js';
import { createGoogleClients } from '../google/clients.js';
import type { CallOptions } from '../google/retry.js';
import { httpStatusOf } from '../google/retry.js';
import { quoteSheet, type SheetValue } from '../gsheet/cells.js';
import { writeRequests } from '../gsheet/layout-requests.js';
import {
  WriteConflict,
  diffRegistry,
  isEmptyWrite,
  parseTable,
  placeChanges,
  toRegistryData,
  type PlacedWrite,
  type RegistryTables,
  type SheetChanges,
} from '../gsheet/table.js';
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
   * Read, change, then write only what changed. Every attempt to send re-reads first and finds each target row
   * where it stands at that moment (by ID, or by content), so neither a slow change nor a retry's back-off leaves a
   * stale row number in the write; new rows go in with an append. If someone edited a target row since the read,
   * the change is run again on the fresh data, at most MAX_WRITE_ATTEMPTS times, then the command stops and writes nothing.
   */
  async update<R>(change: (data: RegistryData) => Promise<UpdateResult<R>> | UpdateResult<R>): Promise<R> {
    let tables = await this.fetch('读取共享登记表');
    for (let attempt = 1; ; attempt++) {
      const data = toRegistryData(tables);
      const { result, write } = await change(data);
      if (!write) return result;
      const changes = diffRegistry(tables, data);
      if (!changes.length) return result;
      const conflict = await this.write(changes);
      if (!conflict) return result;
      if (attempt >= MAX_WRITE_ATTEMPTS) throw new CoopError('REGISTRY_LOCKED', T.conflictGaveUp(this.location, attempt), conflict.error.reasons);
      tables = conflict.current;
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
    const status = (error as { status?: number }).status ?? httpStatusOf(error);
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

  /** Sheet IDs by title, fetched once per store: a sheet keeps its ID when renamed or moved, and ours are never renamed. */
  private sheetIds?: Promise<Map<string, number>>;

  private ids(): Promise<Map<string, number>> {
    this.sheetIds ??= this.sheetProperties().then((props) => new Map(props.map((p) => [p.title ?? '', p.sheetId ?? 0])));
    this.sheetIds.catch(() => (this.sheetIds = undefined));
    return this.sheetIds;
  }

  /**
   * Sends one change as ONE spreadsheets.batchUpdate (values, formats, notes and appended rows together: Google
   * applies all or nothing). Each try — the first and every retry after a 429, a 5xx or a dropped connection —
   * re-reads and places the rows again, so a row moved during the back-off is found where it now is, and cells an
   * earlier try already wrote (its answer lost) are not written twice. Returns the conflict when someone edited a target row.
   */
  private async write(changes: SheetChanges[]): Promise<{ error: WriteConflict; current: RegistryTables } | undefined> {
    const { sheets, call } = await this.clients();
    const sheetIds = await this.ids();
    let conflict: { error: WriteConflict; current: RegistryTables } | undefined;
    try {
      await call('写入共享登记表', { idempotent: true }, async () => {
        // Its failures are CoopErrors, already retried: the outer retry passes them through.
        const current = await this.fetch('写入前核对共享登记表');
        let placed: PlacedWrite;
        try {
          placed = placeChanges(changes, current);
        } catch (error) {
          if (!(error instanceof WriteConflict)) throw error;
          conflict = { error, current };
          return;
        }
        if (isEmptyWrite(placed)) return;
        const requests = writeRequests(placed, sheetIds);
        await sheets.spreadsheets.batchUpdate({ spreadsheetId: this.spreadsheetId, requestBody: { requests } });
      });
    } catch (error) {
      // Status, stamps and 审批记录 are protected for the office: a refused write almost always means this account is not listed.
      if (httpStatusOf(error) === 403 || (error as { status?: number }).status === 403)
        throw new CoopError('GOOGLE', T.writeForbidden(this.location), [(error as Error).message]);
      throw error;
    }
    return conflict;
  }
}
