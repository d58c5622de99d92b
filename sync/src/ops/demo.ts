/** The main job on built-in sample data: a fresh registry, sample partners and projects, then its status. */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { deriveColumns, readSettings, schoolDate, writeSettings, type RegistryData, type ReviewDepartment, type StatusSummary } from '../../../core/index.js';
import { SAMPLE_APPROVERS, SAMPLE_OFFICE, SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../demo/sample-data.js';
import { backupPath } from '../stores/atomic-file.js';
import { XlsxRegistryStore } from '../stores/xlsx-store.js';
import { createRegistry, registrySummary } from './registry-ops.js';
import { addRecords } from './records.js';
import { demoAgreements } from './demo-agreements.js';
import { runArchiveDemo, runExcelDemo, runHistoricalDemo } from './demo-excel.js';
import { runDemoWorkflow } from './demo-workflow.js';
import { runRemindDemo } from './demo-remind.js';
import type { OnProgress } from './progress.js';

/** The steps the demo reports, in the order it runs them. */
type DemoStep = 'registry' | 'records' | 'excel-forms' | 'excel-import' | 'workflow' | 'agreements' | 'excel-historical' | 'renew' | 'remind' | 'excel-export';

export interface DemoResult {
  registryPath: string;
  summary: StatusSummary;
}

/**
 * The demo's approvers and office staff in 设置, then the sample partners and the given projects as drafts; returns
 * the projects' IDs. The demo, the benchmarks and their fixtures all start from it.
 */
export function addSampleRecords(data: RegistryData, projects: Parameters<typeof addRecords>[2], now: Date): string[] {
  const { settings } = readSettings(data);
  for (const [department, email] of Object.entries(SAMPLE_APPROVERS)) settings.approvers[department as ReviewDepartment] = [email];
  settings.officeStaff = [SAMPLE_OFFICE];
  writeSettings(data, settings);
  return addRecords(data, SAMPLE_PARTNERS, projects, now).projectIds;
}

/** A new registry with the demo's staff in 设置 and the sample partners and projects as drafts. */
export async function seedDemoRegistry(registryPath: string, now: Date): Promise<void> {
  await createRegistry(registryPath);
  await new XlsxRegistryStore(registryPath).update((data) => {
    addSampleRecords(data, SAMPLE_PROJECTS, now);
    deriveColumns(data, schoolDate(now));
    return { result: undefined, write: true };
  });
}

export async function runDemo(dir: string, now: Date, onProgress: OnProgress<DemoStep> = () => {}): Promise<DemoResult> {
  await mkdir(dir, { recursive: true });
  const registryPath = join(dir, 'registry.xlsx');
  await rm(registryPath, { force: true });
  await rm(backupPath(registryPath), { force: true });
  await seedDemoRegistry(registryPath, now);
  onProgress({ step: 'registry', path: registryPath });
  const store = new XlsxRegistryStore(registryPath);
  onProgress({ step: 'records', partners: SAMPLE_PARTNERS.length, projects: SAMPLE_PROJECTS.length });
  // Departments' forms come in first; the workflow then approves some projects, agreements follow,
  // and the archive is exported last so it shows the whole story.
  await runExcelDemo(dir, registryPath, now, onProgress);
  await runDemoWorkflow(store, now, onProgress);
  onProgress({ step: 'agreements', ...(await demoAgreements(registryPath, now)) });
  await runHistoricalDemo(dir, registryPath, now, onProgress);
  await runRemindDemo(store, now, onProgress);
  await runArchiveDemo(dir, registryPath, now, onProgress);

  return { registryPath, summary: await registrySummary(store, now) };
}
