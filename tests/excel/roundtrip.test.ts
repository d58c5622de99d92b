// Random valid registries → coop export → coop import into an empty registry → the same registry, in several time zones.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRegistry, type RegistryData } from '../../core/index.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { randomRegistry } from './random-registry.js';

const SHEETS = ['partners', 'projects', 'evaluations', 'outcomes'] as const;

/**
 * What must survive: every cell but the project's 更新时间 (when the import wrote it) and the IDs, which the target
 * registry allocates itself (a new row never keeps an ID a file chose); references are compared by what they point at.
 */
function comparable(data: RegistryData) {
  const partnerName = new Map(data.partners.map((r) => [r.cells.partnerId, r.cells.name]));
  const projectTitle = new Map(data.projects.map((r) => [r.cells.projectId, `${partnerName.get(r.cells.partnerId)}|${r.cells.title}`]));
  return Object.fromEntries(
    SHEETS.map((k) => [
      k,
      data[k].map((r) => ({
        ...r.cells,
        ...(k === 'partners' ? { partnerId: null } : {}),
        ...(k === 'projects' ? { updatedAt: null, projectId: null, partnerId: partnerName.get(r.cells.partnerId) } : {}),
        ...(k === 'evaluations' || k === 'outcomes' ? { projectId: projectTitle.get(r.cells.projectId) } : {}),
      })),
    ]),
  );
}

describe('export → import round trip', () => {
  it.each([
    [1, 'Asia/Shanghai'],
    [2, 'America/Los_Angeles'],
    [3, 'Pacific/Kiritimati'],
  ])('seed %i in %s', { timeout: 240_000 }, async (seed, TZ) => {
    const dir = tempDir('coop-roundtrip-');
    const source = join(dir, 'source.xlsx');
    const generated = randomRegistry(seed, { partners: 8, projects: 14 });
    expect(validateRegistry(generated).problems).toEqual([]);
    const store = new XlsxRegistryStore(source);
    await store.create((await import('../../core/index.js')).defaultSettings());
    await store.update((data) => {
      Object.assign(data, generated);
      return { result: undefined, write: true };
    });
    const env = { TZ };
    const archive = join(dir, 'archive.xlsx');
    expect(coop(['export', '--registry', source, '--out', archive], { env }).code).toBe(0);

    const target = join(dir, 'target.xlsx');
    expect(coop(['init', '--registry', target], { env }).code).toBe(0);
    const r = coop(['import', archive, '--registry', target], { env, cwd: dir });
    const rows = SHEETS.reduce((n, k) => n + generated[k].length, 0);
    expect(r.stdout).toContain(`读取 ${rows} 行：新增 ${rows} · 更新 0 · 未变 0 · 拒绝 0`);
    expect(r.code).toBe(0);

    const before = comparable(await store.read());
    const after = comparable(await new XlsxRegistryStore(target).read());
    expect(after).toEqual(before);

    // And the export imported into its own source changes nothing.
    const again = coop(['import', archive, '--registry', source], { env, cwd: dir });
    expect(again.stdout).toContain(`读取 ${rows} 行：新增 0 · 更新 0 · 未变 ${rows} · 拒绝 0`);
  });
});
