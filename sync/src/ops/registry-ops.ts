/** Whole-registry operations behind init, validate and status: they return results and never print. */
import { defaultSettings, deriveColumns, schoolDate, summarize, validateRegistry, type StatusSummary, type ValidationReport } from '../../../core/index.js';
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

export async function statusOf(store: RegistryStore, now: Date): Promise<StatusSummary> {
  const data = await store.read();
  const today = schoolDate(now);
  const report = validateRegistry(data, today);
  deriveColumns(data, today);
  return summarize(data, report.settings, today);
}
