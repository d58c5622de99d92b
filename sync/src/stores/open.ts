/** Chooses the store for a registry location: a local .xlsx file (default) or the shared Google Sheet (`gsheet:ID`). */
import { CoopError } from '../../../core/index.js';
import type { RegistryStore, UpdateResult } from './store.js';
import type { RegistryData } from '../../../core/index.js';
import { XlsxRegistryStore } from './xlsx-store.js';

export const GSHEET_PREFIX = 'gsheet:';

/** Loads the Google store (and the Google client libraries) only when a command first touches the sheet. */
class LazyGSheetStore implements RegistryStore {
  private store?: Promise<RegistryStore>;
  constructor(
    readonly location: string,
    private readonly spreadsheetId: string,
  ) {}

  private open(): Promise<RegistryStore> {
    return (this.store ??= import('./gsheet-store.js').then((m) => new m.GSheetRegistryStore(this.spreadsheetId)));
  }

  async read(): Promise<RegistryData> {
    return (await this.open()).read();
  }

  async update<T>(change: (data: RegistryData) => Promise<UpdateResult<T>> | UpdateResult<T>): Promise<T> {
    return (await this.open()).update(change);
  }
}

export function openStore(location: string): RegistryStore {
  if (location.startsWith(GSHEET_PREFIX)) {
    const id = location.slice(GSHEET_PREFIX.length).trim();
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new CoopError('USAGE', `Google 表格登记表应写作 gsheet:表格ID（表格网址 /spreadsheets/d/ 之后的一段），现为「${location}」`);
    return new LazyGSheetStore(`${GSHEET_PREFIX}${id}`, id);
  }
  return new XlsxRegistryStore(location);
}
