/** Where things live in the bound spreadsheet: its sheets by schema key, the cached 设置, who is acting, and the lock. */
import {
  isOfficeStaff,
  parseSettings,
  sheetSpec,
  type RawCells,
  type RegistryData,
  type Settings,
  type SettingsProblem,
  type SheetKey,
} from '../../core/index.js';
import { readTable, rowCells, dataRows, type Table } from './table.js';
import { UI_TEXT } from './text.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const SETTINGS_CACHE_KEY = 'coop.settingsRows';

export function sheetOf(ss: Spreadsheet, key: SheetKey): Sheet | null {
  return ss.getSheetByName(sheetSpec(key).name);
}

export function readSheet(ss: Spreadsheet, key: SheetKey): Table | null {
  const sheet = sheetOf(ss, key);
  return sheet ? readTable(sheet, sheetSpec(key)) : null;
}

export function tableRows(table: Table | null): RegistryData[SheetKey] {
  if (!table) return [];
  return dataRows(table).map((r0) => ({ cells: rowCells(table, r0), sheetRow: r0 + 1 }));
}

/**
 * 设置 as last read from its sheet. The edit handler refreshes it whenever 设置 is edited, and every
 * full read stores it, so a tick does not pay for reading 设置 again.
 */
export function cachedSettings(ss: Spreadsheet): { settings: Settings; problems: SettingsProblem[] } {
  return parseSettings(cachedSettingsRows(ss));
}

export function cachedSettingsRows(ss: Spreadsheet): RawCells[] {
  const stored = PropertiesService.getDocumentProperties().getProperty(SETTINGS_CACHE_KEY);
  if (stored) return JSON.parse(stored) as RawCells[];
  return tableRows(freshSettings(ss).table).map((r) => r.cells);
}

export function freshSettings(ss: Spreadsheet): { table: Table | null; parsed: ReturnType<typeof parseSettings> } {
  const table = readSheet(ss, 'settings');
  const rows = tableRows(table);
  storeSettingsRows(rows.map((r) => r.cells));
  const parsed = parseSettings(rows.map((r) => r.cells));
  // IDs the sidebar reserved for rows the owner's trigger has not written yet count as used by every allocator.
  parsed.settings.counters = withReservedIds(parsed.settings.counters);
  return { table, parsed };
}

const RESERVED_IDS_KEY = 'coop.reservedIds';

/**
 * The ID high-water marks the sidebar reserved under the lock (script properties, which any user of the script may
 * write, unlike 设置's protected counters), merged into `counters`: an ID shown to someone is never handed out again.
 */
export function withReservedIds(counters: Settings['counters']): Settings['counters'] {
  const stored = PropertiesService.getScriptProperties().getProperty(RESERVED_IDS_KEY);
  if (!stored) return counters;
  const reserved = JSON.parse(stored) as Settings['counters'];
  const projects = { ...counters.projects };
  for (const [year, n] of Object.entries(reserved.projects ?? {})) projects[year] = Math.max(projects[year] ?? 0, n);
  return { partners: Math.max(counters.partners, reserved.partners ?? 0), projects };
}

export function reserveIds(counters: Settings['counters']): void {
  PropertiesService.getScriptProperties().setProperty(RESERVED_IDS_KEY, JSON.stringify(withReservedIds(counters)));
}

export function storeSettingsRows(rows: readonly RawCells[]): void {
  PropertiesService.getDocumentProperties().setProperty(SETTINGS_CACHE_KEY, JSON.stringify(rows));
}

/** Who is acting: the installable trigger's user, else the session's, lower-cased; blank when Google will not say. */
export function actorEmail(user?: GoogleAppsScript.Base.User | null): string {
  const fromEvent = user && typeof user.getEmail === 'function' ? user.getEmail() : '';
  const email = fromEvent || Session.getActiveUser().getEmail() || '';
  return email.trim().toLowerCase();
}

/**
 * Runs `work` holding the document lock. `tryLock` gives up after a few seconds instead of queueing for 30:
 * an edit trigger that waits that long makes the sheet feel frozen, and the user can simply retry.
 */
export function withLock<T>(work: () => T, onBusy: () => T): T {
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(5000)) return onBusy();
  try {
    return work();
  } finally {
    SpreadsheetApp.flush();
    lock.releaseLock();
  }
}

export function busyToast(ss: Spreadsheet): void {
  ss.toast(UI_TEXT.busy, '合作交流', 5);
}

/** The spreadsheet's address for mails, remembered so a tick that ends in a mail costs no extra call. */
export function spreadsheetUrl(ss: Spreadsheet): string {
  const props = PropertiesService.getDocumentProperties();
  const stored = props.getProperty('coop.url');
  if (stored) return stored;
  const url = ss.getUrl();
  props.setProperty('coop.url', url);
  return url;
}

/** The owner may always act; in a shared drive there is no owner. */
export function ownerEmail(ss: Spreadsheet): string {
  const owner = ss.getOwner();
  return owner ? owner.getEmail().trim().toLowerCase() : '';
}

/**
 * Whether `actor` may act for the office: listed as office staff in 设置, or the spreadsheet's owner. A blank
 * identity (a personal account Google does not name) is never taken for an owner Google does not name either.
 */
export function actsForOffice(ss: Spreadsheet, settings: Settings, actor: string): boolean {
  return isOfficeStaff(settings, actor) || (actor !== '' && actor === ownerEmail(ss));
}
