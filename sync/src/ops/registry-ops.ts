/** Whole-registry operations behind init, validate and status: they return results and never print. */
import {
  defaultSettings,
  deriveColumns,
  readSettings,
  schoolDate,
  summarize,
  validateRegistry,
  type CalendarDate,
  type Settings,
  type StatusSummary,
  type ValidationReport,
} from '../../../core/index.js';
import type { RegistryStore } from '../stores/store.js';
import { requireLocalRegistry } from '../stores/open.js';
import { XlsxRegistryStore } from '../stores/xlsx-store.js';

export async function createRegistry(path: string): Promise<void> {
  requireLocalRegistry(path, 'coop init');
  await new XlsxRegistryStore(path).create(defaultSettings());
}

export async function repairRegistry(path: string): Promise<{ addedSheets: string[]; addedHeaders: string[] }> {
  requireLocalRegistry(path, 'coop init --repair');
  return new XlsxRegistryStore(path).repair();
}

export async function validateStore(store: RegistryStore, now: Date = new Date()): Promise<ValidationReport> {
  return validateRegistry(await store.read(), schoolDate(now));
}

export async function registrySummary(store: RegistryStore, now: Date): Promise<StatusSummary> {
  return (await summaryOf(store, now)).summary;
}

/** The summary with the settings and date it was made for: `coop status` and `coop report` both start here. */
export async function summaryOf(store: RegistryStore, now: Date): Promise<{ summary: StatusSummary; settings: Settings; today: CalendarDate }> {
  const data = await store.read();
  const today = schoolDate(now);
  // Only the settings: the counts come from the log and the cells, and checking every rule is validate's work (it was
  // a third of status's time on a long registry).
  const { settings } = readSettings(data);
  deriveColumns(data, today);
  return { summary: summarize(data, settings, today), settings, today };
}
