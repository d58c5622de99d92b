// The review tick at the speed of the change (issue 16): with the state cache in place a step leaves the sheets in their
// deflate segments, finds rows by the IDs the cache recorded and derives only rows that can have changed — and still
// sees every row exactly as the whole file holds it; a file edited by another program (openpyxl) misses the cache and
// is read in full, never patched from stale row indexes.
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CoopError, type RegistryData, type ReviewDepartment } from '../../core/index.js';
import { SAMPLE_APPROVERS } from '../../sync/src/demo/sample-data.js';
import { applyWorkflowEvent } from '../../sync/src/ops/workflow.js';
import { statePath } from '../../sync/src/stores/state-cache.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { makeRegistry } from '../../bench/registry-io.bench.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';
import { prng } from '../excel/random-registry.js';

const NOW = new Date('2026-11-24T02:00:00Z');
const LAZY = ['partners', 'projects', 'reviewLog'] as const;
/** The sheets a tick has written change-only (合作单位 keeps the deflate stream exceljs wrote until something changes it). */
const SEGMENTED = ['projects', 'reviewLog'];
/** makeRegistry ticks every department but this one. */
const DEPT: ReviewDepartment = '招就处';
const tick = (store: XlsxRegistryStore, id: string) => applyWorkflowEvent(store, id, { type: 'tick', department: DEPT }, SAMPLE_APPROVERS[DEPT], NOW);
const cellsOf = (data: RegistryData, key: (typeof LAZY)[number]) => data[key].map((r) => r.cells);

let seed = '';
/** A copy of the seeded registry with its state cache and chain anchor, in a folder of its own. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coop-tick-'));
  const path = join(dir, 'registry.xlsx');
  for (const [from, to] of [
    [seed, path],
    [statePath(seed), statePath(path)],
    [seed.replace(/\.xlsx$/, '.chain.json'), path.replace(/\.xlsx$/, '.chain.json')],
  ] as const)
    if (existsSync(from)) copyFileSync(from, to);
  return path;
}

describe('a tick on the state cache', () => {
  beforeAll(async () => {
    seed = join(mkdtempSync(join(tmpdir(), 'coop-tick-seed-')), 'registry.xlsx');
    // 300 projects: the log sheet (2,100 rows) spans several deflate segments, so rows straddle segment boundaries.
    await makeRegistry(seed, 300);
    // One tick leaves the file written change-only, with segments and row indexes in its cache.
    await tick(new XlsxRegistryStore(seed), 'HZ2026-001');
  }, 120_000);

  it('keeps the sheets in segments and still reads every row as the whole file holds it, in any order', async () => {
    const path = copy();
    const store = new XlsxRegistryStore(path);
    const [step] = await tick(store, 'HZ2026-150');
    expect(step!.to).toBe('待审议');
    expect(store.lastWrite).toBe('patch');
    expect(store.lastRead).toEqual({ cache: true, lazy: [...LAZY], segmented: SEGMENTED });
    const whole = await new XlsxRegistryStore(path, { cache: false }).read();
    expect(whole.reviewLog.length).toBe(300 * 7 + 2);
    const rnd = prng(16);
    for (const order of ['in order', 'shuffled'] as const) {
      await store.update((data) => {
        expect(store.lastRead?.segmented).toEqual(SEGMENTED);
        for (const key of LAZY) {
          const indexes = data[key].map((_, i) => i);
          if (order === 'shuffled') indexes.sort(() => rnd() - 0.5);
          for (const i of indexes) expect(data[key][i]!.cells, `${key}[${i}] ${order}`).toEqual(whole[key][i]!.cells);
          expect(cellsOf(data, key)).toEqual(cellsOf(whole, key));
        }
        return { result: undefined, write: false };
      });
    }
  }, 60_000);

  it('derives a renamed partner into the rows of its projects the next step does not touch', async () => {
    const path = copy();
    const store = new XlsxRegistryStore(path);
    const renamed = '肇庆星湖精密机械有限公司（更名）';
    let partnerId = '';
    await store.update((data) => {
      const partner = data.partners[0]!;
      partnerId = String(partner.cells.partnerId);
      partner.cells.name = renamed;
      return { result: undefined, write: true };
    });
    expect(store.lastWrite).toBe('patch');
    // A project of another partner: the renamed partner's projects are rows this step never reads itself.
    const before = await new XlsxRegistryStore(path, { cache: false }).read();
    const other = before.projects.find((r) => r.cells.partnerId !== partnerId && r.cells.status === '审查中')!;
    await tick(store, String(other.cells.projectId));
    expect(store.lastRead?.cache).toBe(true);
    const after = await new XlsxRegistryStore(path, { cache: false }).read();
    const ofPartner = after.projects.filter((r) => r.cells.partnerId === partnerId);
    expect(ofPartner.length).toBeGreaterThan(10);
    expect(new Set(ofPartner.map((r) => r.cells.partnerName))).toEqual(new Set([renamed]));
    // And the whole-model reader agrees.
    const exceljs = await new XlsxRegistryStore(path, { read: 'exceljs', cache: false }).read();
    expect(cellsOf(exceljs, 'projects')).toEqual(cellsOf(after, 'projects'));
  }, 60_000);

  describe.skipIf(!OPENPYXL_PYTHON)(`edited by openpyxl between two ticks (${OPENPYXL_PYTHON ? 'openpyxl' : NO_OPENPYXL_REASON})`, () => {
    it('is read in full, never patched from the stale indexes of its cache', async () => {
      const path = copy();
      const store = new XlsxRegistryStore(path);
      await tick(store, 'HZ2026-002');
      expect(store.lastRead?.segmented).toEqual(SEGMENTED);
      // A project's ID and another's title typed in openpyxl: the cache beside the file still names the old ID's row.
      runOpenpyxl(
        [
          'import sys, openpyxl',
          'wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["合作项目"]',
          'h = {c.value: c.column for c in ws[1]}',
          'for r in range(2, ws.max_row + 1):',
          '    v = ws.cell(r, h["项目编号"]).value',
          '    if v == "HZ2026-003": ws.cell(r, h["项目编号"]).value = "HZ2026-903"',
          '    if v == "HZ2026-004": ws.cell(r, h["项目名称"]).value = "手工改过的名称"',
          'wb.save(sys.argv[1])',
        ].join('\n'),
        [path],
      );
      const [step] = await tick(store, 'HZ2026-004');
      expect(store.lastRead?.cache).toBe(false);
      expect(step!.title).toBe('手工改过的名称');
      const missing = await tick(store, 'HZ2026-003').catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(CoopError);
      expect((missing as CoopError).code).toBe('NOT_FOUND');
      const read = await new XlsxRegistryStore(path, { cache: false }).read();
      expect(read.projects.find((r) => r.cells.projectId === 'HZ2026-903')?.cells.title).toBe('项目 2');
      expect(read.projects.find((r) => r.cells.projectId === 'HZ2026-004')?.cells.status).toBe('待审议');
      // Now a log cell: the chain catches it through the cache miss, and the workflow stops.
      runOpenpyxl(
        [
          'import sys, openpyxl',
          'wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["审批记录"]',
          'col = [c.value for c in ws[1]].index("备注") + 1',
          'ws.cell(5, col).value = "手工补记"',
          'wb.save(sys.argv[1])',
        ].join('\n'),
        [path],
      );
      const refused = await tick(store, 'HZ2026-005').catch((e: unknown) => e);
      expect(store.lastRead?.cache).toBe(false);
      expect((refused as CoopError).code).toBe('WORKFLOW_REFUSED');
      expect((refused as CoopError).message).toContain('审批操作暂停');
    }, 120_000);
  });
});
