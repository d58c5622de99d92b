// A shared registry in the loopback emulator, set up by `coop google setup`'s own code and filled through the store.
import { REVIEW_DEPARTMENT_NAMES, readSettings, writeSettings, type RegistryData } from '../../core/index.js';
import { SAMPLE_APPROVERS, SAMPLE_OFFICE, SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../../sync/src/demo/sample-data.js';
import { setupSpreadsheet } from '../../sync/src/ops/google-setup.js';
import { addRecords, type NewProject } from '../../sync/src/ops/records.js';
import { GsheetRegistryStore } from '../../sync/src/stores/gsheet-store.js';
import type { Harness } from '../google/harness.js';

export const NOW = new Date('2026-11-24T02:00:00Z');

/** Sample projects, cycled and retitled, to any count. */
export function projects(n: number): NewProject[] {
  return Array.from({ length: n }, (_, i) => {
    const { partnerName, ...p } = SAMPLE_PROJECTS[i % SAMPLE_PROJECTS.length]!;
    return { ...p, title: `${p.title}（${i + 1}）`, partnerName };
  });
}

/** An empty spreadsheet brought to the registry layout, with approvers and office staff in 设置. */
export async function setUpRegistry(h: Harness): Promise<{ id: string; store: GsheetRegistryStore }> {
  const id = h.emulator.addSpreadsheet([]);
  await setupSpreadsheet(id, h.clients);
  const store = new GsheetRegistryStore(id, h.clients);
  await store.update((data) => {
    const { settings } = readSettings(data);
    for (const d of REVIEW_DEPARTMENT_NAMES) settings.approvers[d] = [SAMPLE_APPROVERS[d]];
    settings.officeStaff = [SAMPLE_OFFICE];
    writeSettings(data, settings);
    return { result: undefined, write: true };
  });
  return { id, store };
}

/** Registers the sample partners and `n` projects through the store, as an import would. */
export async function fill(store: GsheetRegistryStore, n: number): Promise<{ projectIds: string[] }> {
  return store.update((data: RegistryData) => ({ result: addRecords(data, SAMPLE_PARTNERS, projects(n), NOW), write: true }));
}

/** The row of a sheet whose first matching cell equals `value`, as the emulator holds it (0-based index). */
export function rowIndexOf(values: unknown[][], value: unknown): number {
  return values.findIndex((r) => r.includes(value));
}
