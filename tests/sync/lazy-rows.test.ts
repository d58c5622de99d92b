// A locked step on a registry its state cache vouches for gets the lazy sheets (审批记录, 合作项目, 合作单位) as arrays whose
// rows are made when first read: a tick makes a handful of row objects, not one per log row. The arrays must behave
// exactly as plain arrays of the rows the file holds — indexing, slice, iteration, keys, splice — and a step that moves
// rows must fall back to the full rewrite and read back as the change said. The first step of a school day derives only
// the projects whose end date lies between the day the file was derived for and today (expiry), and must leave the
// file exactly as deriving every project would.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLog, deriveColumns, rowsByText, rowsWithText, type PeekableRow, type RegistryData } from '../../core/index.js';
import { SAMPLE_APPROVERS } from '../../sync/src/demo/sample-data.js';
import { applyWorkflowToData } from '../../sync/src/ops/workflow.js';
import { copyRegistry, generateRegistry } from '../../bench/registries.js';
import { columnTexts, rowsMade } from '../../sync/src/stores/xlsx-patch.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';

const NOW = new Date('2026-11-24T02:00:00Z');
const SHEETS = ['partners', 'projects', 'reviewLog'] as const;
let seed = '';

/** A copy of the generated registry, its state cache and anchor included. */
function copy(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'coop-lazy-rows-')), 'registry.xlsx');
  copyRegistry(seed, path);
  return path;
}
const cellsOf = (rows: RegistryData['reviewLog']) => rows.map((r) => r.cells);
/** A copy, what a read without the cache sees in it, and a store on it. */
async function fresh() {
  const path = copy();
  return { path, whole: await new XlsxRegistryStore(path, { cache: false }).read(), store: new XlsxRegistryStore(path) };
}

describe('rows made when first read', () => {
  beforeAll(async () => {
    seed = join(mkdtempSync(join(tmpdir(), 'coop-lazy-rows-seed-')), 'registry.xlsx');
    // 130 projects: past the open ones, so the log holds reviews, returns, meetings and signings (≈1,400 rows).
    await generateRegistry(seed, 130);
  }, 120_000);

  it('behave as plain arrays of the rows the file holds', async () => {
    const { whole, store } = await fresh();
    await store.update((data) => {
      expect(store.lastRead?.lazy).toEqual([...SHEETS]);
      const log = data.reviewLog;
      // Reading the chain head made the last row only.
      expect(rowsMade(log).unmade).toBeGreaterThanOrEqual(log.length - 1);
      expect(log.length).toBe(whole.reviewLog.length);
      expect(Array.isArray(log)).toBe(true);
      expect(log.at(-1)!.cells).toEqual(whole.reviewLog.at(-1)!.cells);
      expect(cellsOf(log.slice(100, 140))).toEqual(cellsOf(whole.reviewLog.slice(100, 140)));
      expect(rowsMade(log).unmade).toBe(log.length - 41);
      expect(Object.keys(log)).toEqual(Object.keys(whole.reviewLog));
      expect(5 in log && !(log.length in log)).toBe(true);
      for (const key of SHEETS) {
        expect(cellsOf([...data[key]]), key).toEqual(cellsOf(whole[key]));
        expect(data[key].map((r) => r.sheetRow)).toEqual(whole[key].map((r) => r.sheetRow));
      }
      expect(log.findIndex((r) => r.cells.action === '签署')).toBe(whole.reviewLog.findIndex((r) => r.cells.action === '签署'));
      return { result: undefined, write: false };
    });
  }, 60_000);

  it('make a handful of rows for a step, which writes change-only and reads back whole', async () => {
    const { path, whole: before, store } = await fresh();
    let made = 0;
    await store.update((data) => {
      const outcome = applyWorkflowToData(data, ['HZ2026-007'], { type: 'tick', department: '招就处' }, SAMPLE_APPROVERS['招就处'], NOW);
      expect(outcome.ok).toBe(true);
      made = data.reviewLog.length - rowsMade(data.reviewLog).unmade;
      return { result: undefined, write: true };
    });
    expect(store.lastWrite).toBe('patch');
    // The chain head read, and the entry appended.
    expect(made).toBeLessThanOrEqual(3);
    const read = await new XlsxRegistryStore(path, { cache: false }).read();
    expect(checkLog(read.reviewLog).ok).toBe(true);
    expect(cellsOf(read.reviewLog.slice(0, -1))).toEqual(cellsOf(before.reviewLog));
    expect(read.reviewLog.at(-1)!.cells).toMatchObject({ projectId: 'HZ2026-007', toStatus: '待审议' });
    expect(read.projects.find((r) => r.cells.projectId === 'HZ2026-007')!.cells.status).toBe('待审议');
  }, 60_000);

  it('fall back to the full rewrite when rows are taken out, and read back as the change left them', async () => {
    const { path, whole: before, store } = await fresh();
    await store.update((data) => {
      // A partner removed from the middle: the rows after it move up (through the array, so each is made as it moves).
      data.partners.splice(2, 1);
      return { result: undefined, write: true };
    });
    expect(store.lastWrite).toBe('full');
    const read = await new XlsxRegistryStore(path, { cache: false }).read();
    expect(cellsOf(read.partners)).toEqual(cellsOf(before.partners.filter((_, i) => i !== 2)));
    expect(cellsOf(read.reviewLog)).toEqual(cellsOf(before.reviewLog));
  }, 60_000);

  it("give a key column's texts from the cache's record for unmade rows and from the cells for made, changed and added ones", async () => {
    const { store } = await fresh();
    await store.update((data) => {
      const projects = data.projects;
      const textOf = (r: (typeof projects)[number]) => String(r.cells.projectId ?? '');
      // Nothing made yet: the record alone, equal to every row's own text.
      const recorded = columnTexts(projects, 'projectId', textOf);
      expect(rowsMade(projects).unmade).toBe(projects.length);
      // Rows made (read, one ID changed) and one added: their own texts, the rest still the record's.
      projects[3]!.cells.projectId = 'HZ2026-999';
      void projects[7]!.cells.title;
      projects.push({ cells: { ...projects[0]!.cells, projectId: 'HZ2026-1000' }, extra: [] });
      const texts = columnTexts(projects, 'projectId', textOf);
      // Rows 3, 7, the added one, and row 0 (its cells were copied).
      expect(rowsMade(projects).unmade).toBe(projects.length - 4);
      // Lookups by ID read the changed row's cells and the others' recorded texts, and make only the row they find.
      const unmade = rowsMade(projects).unmade;
      expect(rowsWithText(projects, 'projectId', 'HZ2026-999')).toEqual([projects[3]]);
      expect(rowsWithText(projects, 'projectId', recorded[3]!)).toEqual([]);
      expect(rowsWithText(projects, 'projectId', 'HZ2026-1000')).toEqual([projects.at(-1)]);
      expect(rowsMade(projects).unmade).toBe(unmade);
      const found = rowsByText(projects, 'projectId', [recorded[50]!, recorded[120]!, 'HZ2026-404']);
      expect(rowsMade(projects).unmade).toBe(unmade - 2);
      expect([found.get(recorded[50]!), found.get(recorded[120]!), found.get('HZ2026-404')]).toEqual([[projects[50]], [projects[120]], []]);
      expect(projects[50]!.cells.projectId).toBe(recorded[50]);
      // Every row's own text (this makes them all).
      expect(texts).toEqual(projects.map(textOf));
      expect(texts.slice(0, 3)).toEqual(recorded.slice(0, 3));
      expect([texts[3], texts.at(-1)]).toEqual(['HZ2026-999', 'HZ2026-1000']);
      return { result: undefined, write: false };
    });
  });

  it('derive on a new school day the projects that expire since, and the file reads as if every project were derived', async () => {
    const path = copy();
    const step = async (id: string, now: Date) => {
      let parsed = 0;
      const store = new XlsxRegistryStore(path);
      await store.update((data) => {
        expect(applyWorkflowToData(data, [id], { type: 'tick', department: '招就处' }, SAMPLE_APPROVERS['招就处'], now).ok).toBe(true);
        // Rows whose cells were parsed (derived); the others were only looked up by the keys the cache recorded.
        parsed = data.projects.filter((r) => !(r as Partial<PeekableRow>).pristine).length;
        return { result: undefined, write: true };
      });
      expect(store.lastRead?.lazy).toContain('projects');
      return parsed;
    };
    // Derived for 2026-12-30, then a step on 2027-01-01: the signed projects ending 2026-12-31 expire.
    await step('HZ2026-008', new Date('2026-12-30T02:00:00Z'));
    const before = await new XlsxRegistryStore(path, { cache: false }).read();
    const ending = before.projects.filter((r) => r.cells.endDate === '2026-12-31' && r.cells.status === '已生效').map((r) => r.cells.projectId);
    expect(ending.length).toBeGreaterThan(5);
    const parsed = await step('HZ2026-009', new Date('2027-01-01T02:00:00Z'));
    // Those whose end date lies between the two days (signed or not) and the one acted on, not every project.
    const between = new Set(before.projects.filter((r) => r.cells.endDate === '2026-12-31').map((r) => r.cells.projectId));
    expect(parsed).toBe(new Set([...between, 'HZ2026-009']).size);
    const read = await new XlsxRegistryStore(path, { cache: false }).read();
    for (const id of ending) expect(read.projects.find((r) => r.cells.projectId === id)!.cells.status, String(id)).toBe('已到期');
    // Deriving every project again for the day changes nothing.
    const again = structuredClone(read);
    deriveColumns(again, '2027-01-01');
    expect(cellsOf(again.projects)).toEqual(cellsOf(read.projects));
  }, 60_000);
});
