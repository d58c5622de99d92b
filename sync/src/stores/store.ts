/** The interface every registry store offers (local .xlsx now; the shared Google Sheet later). */
import type { RegistryData } from '../../../core/index.js';

export interface RegistryStore {
  /** Where the registry lives, for messages: a file path or a spreadsheet ID. */
  readonly location: string;
  read(): Promise<RegistryData>;
  /**
   * Read, change and write back as one locked step, so two writers never lose each other's changes.
   * When `change` returns `{ write: false }` nothing is written.
   */
  update<T>(change: (data: RegistryData) => Promise<UpdateResult<T>> | UpdateResult<T>): Promise<T>;
}

export interface UpdateResult<T> {
  result: T;
  write: boolean;
}
