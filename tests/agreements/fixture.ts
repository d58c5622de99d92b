// Test registries for agreements: the demo's sample data, with statuses and cells set as each test needs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { appendLogEntries, type RegistryData, type RegistryRow, type ReviewLogRow } from '../../core/index.js';
import { seedDemoRegistry } from '../../sync/src/ops/demo.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { tempDir } from '../helpers/cli.js';

export const NOW = new Date('2026-11-24T02:00:00Z');

export interface Fixture {
  dir: string;
  registry: string;
  /** Where `coop agreement` writes by default: 协议/ beside the registry. */
  out: string;
}

/** The demo's sample registry (drafts only), then `change` applied to its projects (by position) in one locked update. */
export async function registryWith(change: (projects: RegistryRow['cells'][], data: RegistryData) => void): Promise<Fixture> {
  const dir = tempDir('coop-agreement-');
  const registryPath = join(dir, 'registry.xlsx');
  await seedDemoRegistry(registryPath, NOW);
  await new XlsxRegistryStore(registryPath).update((data) => {
    change(
      data.projects.map((p) => p.cells),
      data,
    );
    return { result: undefined, write: true };
  });
  return { dir, registry: registryPath, out: join(dir, '协议') };
}

/**
 * Gives projects a status the way the workflow would record it: the status cell and the 审批记录 entry
 * that vouches for it (a status typed without its log entry does not count).
 */
export function setStatus(projects: RegistryRow['cells'][], data: RegistryData, index: number, status: '已批准' | '已生效' | '审查中'): void {
  const project = projects[index]!;
  project.status = status;
  const [action, body] = status === '已生效' ? ['签署', '合作交流处'] : status === '已批准' ? ['会议通过', '党委会'] : ['审查通过', '教务处'];
  appendLogEntries(data.reviewLog, [
    {
      time: '2026-11-20 10:00:00',
      projectId: String(project.projectId ?? ''),
      body,
      actor: 'hezuo@zqlg.example.edu.cn',
      action,
      fromStatus: null,
      toStatus: status,
      remark: null,
      operator: null,
      signature: null,
      hash: null,
    } as ReviewLogRow,
  ]);
}

export function approve(...indexes: number[]) {
  return (projects: RegistryRow['cells'][], data: RegistryData) => {
    for (const i of indexes) setStatus(projects, data, i, '已批准');
  };
}

export function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
