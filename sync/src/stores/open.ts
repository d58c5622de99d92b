/** Chooses the store for a registry location: a local .xlsx file (default) or, later, the shared Google Sheet. */
import { CoopError } from '../../../core/index.js';
import type { RegistryStore } from './store.js';
import { XlsxRegistryStore } from './xlsx-store.js';

export const GSHEET_PREFIX = 'gsheet:';

export function openStore(location: string): RegistryStore {
  if (location.startsWith(GSHEET_PREFIX)) {
    throw new CoopError('USAGE', `暂不支持直接操作 Google 表格登记表（${location}）；请使用本地 .xlsx 登记表`);
  }
  return new XlsxRegistryStore(location);
}
