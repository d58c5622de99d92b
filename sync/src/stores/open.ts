/** Chooses the store for a registry location: a local .xlsx file (default) or the shared Google Sheet (`gsheet:ID`). */
import { CoopError } from '../../../core/errors.js';
import type { RegistryData } from '../../../core/registry.js';
import type { RegistryStore, UpdateResult } from './store.js';
import { STORE_TEXT as T } from './text.js';

export const GSHEET_PREFIX = 'gsheet:';

/** The spreadsheet ID of a `gsheet:ID` location, or null for a local file. */
export function spreadsheetIdOf(location: string): string | null {
  if (!location.startsWith(GSHEET_PREFIX)) return null;
  const id = location.slice(GSHEET_PREFIX.length).trim();
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new CoopError('USAGE', T.badSpreadsheet(location));
  return id;
}

/** Commands that only make sense on the local file say so clearly for the shared sheet. */
export function requireLocalRegistry(location: string, command: string): void {
  if (location.startsWith(GSHEET_PREFIX)) throw new CoopError('USAGE', T.xlsxOnly(command));
}

/**
 * A store whose implementation loads on first use: the Google clients (and exceljs) are loaded only by
 * the commands that touch that kind of registry, never by `coop --help` or local work.
 */
class DeferredStore implements RegistryStore {
  private store?: Promise<RegistryStore>;
  constructor(
    readonly location: string,
    private readonly load: () => Promise<RegistryStore>,
  ) {}
  private get(): Promise<RegistryStore> {
    this.store ??= this.load();
    return this.store;
  }
  async read(): Promise<RegistryData> {
    return (await this.get()).read();
  }
  async update<T>(change: (data: RegistryData) => Promise<UpdateResult<T>> | UpdateResult<T>): Promise<T> {
    return (await this.get()).update(change);
  }
}

export function openStore(location: string): RegistryStore {
  const spreadsheetId = spreadsheetIdOf(location);
  if (spreadsheetId) return new DeferredStore(location, async () => new (await import('./gsheet-store.js')).GsheetRegistryStore(spreadsheetId));
  return new DeferredStore(location, async () => new (await import('./xlsx-store.js')).XlsxRegistryStore(location));
}
