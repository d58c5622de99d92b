// One suite, two stores: the same registry work (new records, a submission, three ticks, settings rewritten) through the
// local .xlsx store and through the shared sheet ends in the same rows — IDs, statuses, stamps and 审批记录 entries alike.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REGISTRY_SHEETS,
  REVIEW_DEPARTMENT_NAMES,
  parseRow,
  projectsSheet,
  readSettings,
  transition,
  writeSettings,
  type PartnerRow,
  type ProjectRow,
  type RawCells,
  type RegistryData,
  type WorkflowEvent,
} from '../../core/index.js';
import { SAMPLE_APPROVERS, SAMPLE_OFFICE, SAMPLE_PARTNERS } from '../../sync/src/demo/sample-data.js';
import { setupSpreadsheet } from '../../sync/src/ops/google-setup.js';
import { createRegistry } from '../../sync/src/ops/registry-ops.js';
import { addRecords } from '../../sync/src/ops/records.js';
import { GsheetRegistryStore } from '../../sync/src/stores/gsheet-store.js';
import type { RegistryStore } from '../../sync/src/stores/store.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { tempDir } from '../helpers/cli.js';
import { startHarness, type Harness } from '../google/harness.js';
import { NOW, projects } from './fixture.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.emulator.stop());

/** Applies a workflow event to one project as any command would: the core decides, the store writes patch and log together. */
function act(data: RegistryData, projectId: string, actor: string, event: (project: ProjectRow) => WorkflowEvent, at: Date): void {
  const { settings } = readSettings(data);
  const row = data.projects.find((p) => p.cells.projectId === projectId)!;
  const project = row.cells as unknown as ProjectRow;
  const t = transition(project, event(project), { settings, actor, now: at });
  if (!t.ok) throw new Error(t.message);
  Object.assign(row.cells, t.patch);
  data.reviewLog.push(...t.log.map((l) => ({ cells: { ...l } as RawCells })));
}

async function scenario(store: RegistryStore): Promise<RegistryData> {
  await store.update((data) => {
    const { settings } = readSettings(data);
    for (const d of REVIEW_DEPARTMENT_NAMES) settings.approvers[d] = [SAMPLE_APPROVERS[d]];
    settings.officeStaff = [SAMPLE_OFFICE];
    writeSettings(data, settings);
    addRecords(data, SAMPLE_PARTNERS, projects(4), NOW);
    return { result: undefined, write: true };
  });
  await store.update((data) => {
    const { settings } = readSettings(data);
    const row = data.projects[1]!;
    const problems = (() => {
      const r = parseRow(projectsSheet, row.cells, settings, row.sheetRow);
      return r.ok ? [] : r.problems;
    })();
    const partner = data.partners.find((p) => p.cells.partnerId === row.cells.partnerId)!.cells as unknown as PartnerRow;
    act(data, String(row.cells.projectId), SAMPLE_OFFICE, () => ({ type: 'submit', problems, partner }), new Date('2026-11-24T03:00:00Z'));
    return { result: undefined, write: true };
  });
  for (const [i, d] of REVIEW_DEPARTMENT_NAMES.slice(0, 3).entries()) {
    await store.update((data) => {
      act(
        data,
        String(data.projects[1]!.cells.projectId),
        SAMPLE_APPROVERS[d],
        () => ({ type: 'tick', department: d }),
        new Date(Date.UTC(2026, 10, 24, 4 + i)),
      );
      return { result: undefined, write: true };
    });
  }
  return store.read();
}

const rowsOf = (data: RegistryData) => Object.fromEntries(REGISTRY_SHEETS.map((s) => [s.key, data[s.key].map((r) => r.cells)]));

describe('the same work through both stores', () => {
  it('ends in the same rows', async () => {
    const path = join(tempDir(), 'registry.xlsx');
    await createRegistry(path);
    const local = await scenario(new XlsxRegistryStore(path));
    const id = h.emulator.addSpreadsheet([]);
    await setupSpreadsheet(id, h.clients);
    const shared = await scenario(new GsheetRegistryStore(id, h.clients));
    expect(rowsOf(shared)).toEqual(rowsOf(local));
    const project = shared.projects[1]!.cells;
    expect(project.status).toBe('审查中');
    expect(project.applicant).toBe(SAMPLE_OFFICE);
    expect(shared.reviewLog.map((r) => r.cells.action)).toEqual(['提交', '审查通过', '审查通过', '审查通过']);
    expect(shared.reviewLog[3]!.cells.time).toBe('2026-11-24 14:00:00');
  });
});
