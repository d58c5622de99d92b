// Test registries for agreements: the demo's sample data, with statuses and cells set as each test needs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistryData, RegistryRow } from '../../core/index.js';
import { runDemo } from '../../sync/src/ops/demo.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { tempDir } from '../helpers/cli.js';

export const NOW = new Date('2026-11-24T02:00:00Z');

export interface Fixture {
  dir: string;
  registry: string;
  /** Where `coop agreement` writes by default: 协议/ beside the registry. */
  out: string;
}

/** The demo registry, then `change` applied to its projects (by position) in one locked update. */
export async function registryWith(change: (projects: RegistryRow['cells'][], data: RegistryData) => void): Promise<Fixture> {
  const dir = tempDir('coop-agreement-');
  const { registryPath } = await runDemo(dir, NOW);
  await new XlsxRegistryStore(registryPath).update((data) => {
    change(
      data.projects.map((p) => p.cells),
      data,
    );
    return { result: undefined, write: true };
  });
  return { dir, registry: registryPath, out: join(dir, '协议') };
}

export function approve(...indexes: number[]) {
  return (projects: RegistryRow['cells'][]) => {
    for (const i of indexes) projects[i]!.status = '已批准';
  };
}

export function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
