/** The interface every registry store offers: the local .xlsx file and the shared Google Sheet. */
import type { RegistryData, RegistryRow, SheetSpec } from '../../../core/index.js';

export interface RegistryStore {
  /** Where the registry lives, for messages: a file path or a spreadsheet ID. */
  readonly location: string;
  read(): Promise<RegistryData>;
  /**
   * Read, change and write back as one locked step, so two writers never lose each other's changes.
   * When `change` returns `{ write: false }` nothing is written. A store may run `change` again on fresh data
   * (the shared sheet does when someone edited the same rows meanwhile), so `change` must only change `data`.
   */
  update<T>(change: (data: RegistryData, append?: RowAppend) => Promise<UpdateResult<T>> | UpdateResult<T>): Promise<T>;
}

/**
 * Offered by a store that can write new rows as they come rather than holding them in `data` (the local file):
 * `append` returns false when this sheet's rows must go into `data` after all. Appended rows are written only if the
 * change then asks for a write.
 */
export interface RowAppend {
  append(sheet: SheetSpec, row: RegistryRow): boolean;
}

export interface UpdateResult<T> {
  result: T;
  write: boolean;
}
