/** The registry as adapters hand it to the core: raw rows per sheet, each remembering where it came from. */
import { SETTINGS_TEXT } from './messages.js';
import type { RawCells } from './rows.js';
import type { SheetKey } from './schema.js';
import { parseSettings, settingsRows, type Settings } from './settings.js';

export interface RegistryRow {
  cells: RawCells;
  /** 1-based row in the sheet it was read from; absent for a row added in this run. */
  sheetRow?: number;
  /** Adapter-owned data carried along untouched (e.g. cells of columns the schema does not know). */
  extra?: unknown;
}

export type RegistryData = Record<SheetKey, RegistryRow[]>;

export function emptyRegistry(): RegistryData {
  return { partners: [], projects: [], reviewLog: [], evaluations: [], outcomes: [], settings: [] };
}

export function readSettings(data: RegistryData): ReturnType<typeof parseSettings> {
  return parseSettings(data.settings.map((r) => r.cells));
}

/** Replaces every 设置 row with those of a settings model (used when a registry is created). */
export function writeSettings(data: RegistryData, settings: Settings): void {
  data.settings = settingsRows(settings).map((cells) => ({ cells: { ...cells } }));
}

/** Records the ID high-water marks in 设置, touching only the 编号计数 rows so the office's edits stay as they are. */
export function writeCounters(data: RegistryData, counters: Settings['counters']): void {
  const { groups, items } = SETTINGS_TEXT;
  const wanted = new Map<string, number>([[items.partnerCounter, counters.partners]]);
  for (const [year, n] of Object.entries(counters.projects)) wanted.set(`${items.projectCounterPrefix}${year}`, n);
  for (const row of data.settings) {
    if (row.cells.group !== groups.counters) continue;
    const item = String(row.cells.item ?? '');
    if (wanted.has(item)) {
      row.cells.value = String(wanted.get(item));
      wanted.delete(item);
    }
  }
  for (const [item, n] of wanted) data.settings.push({ cells: { group: groups.counters, item, value: String(n), note: null } });
}

/** Records template IDs (template key → document ID) in 设置's 协议模板 group, touching no other row. */
export function writeTemplateIds(data: RegistryData, ids: Readonly<Record<string, string>>): void {
  const { groups } = SETTINGS_TEXT;
  const wanted = new Map(Object.entries(ids));
  for (const row of data.settings) {
    if (row.cells.group !== groups.templates) continue;
    const item = String(row.cells.item ?? '');
    if (wanted.has(item)) {
      row.cells.value = wanted.get(item)!;
      wanted.delete(item);
    }
  }
  for (const [item, id] of wanted) data.settings.push({ cells: { group: groups.templates, item, value: id, note: null } });
}
