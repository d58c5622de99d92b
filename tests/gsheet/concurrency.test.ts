// Concurrent editors and faults: rows inserted, deleted or edited by "someone else" between the read and the write,
// 429 storms, 500s and dropped connections. No edit is lost or lands on the wrong row; each case ends consistent or in a clear error.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isCoopError, type RegistryData } from '../../core/index.js';
import { addRecords } from '../../sync/src/ops/records.js';
import { startHarness, type Harness } from '../google/harness.js';
import { NOW, fill, projects, setUpRegistry } from './fixture.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.emulator.stop());
beforeEach(() => {
  h.emulator.clearFaults();
  h.emulator.onApplied = undefined;
  h.sleeps.length = 0;
});

type Grid = (string | number | boolean | null)[][];
const col = (values: Grid, text: string) => values[0]!.indexOf(text);
const rowOf = (values: Grid, id: string) => values.findIndex((r) => r[col(values, '项目编号')] === id);

/** Runs `edit` once, right after the store's first read has been answered. */
function afterFirstRead(edit: () => void): void {
  let done = false;
  h.emulator.onApplied = (endpoint) => {
    if (endpoint === 'sheets.values.batchGet' && !done) {
      done = true;
      edit();
    }
  };
}

const setLeader = (id: string, leader: string) => (data: RegistryData) => {
  const row = data.projects.find((p) => p.cells.projectId === id);
  if (!row) return { result: false, write: false };
  row.cells.leader = leader;
  return { result: true, write: true };
};

describe('concurrent editors', () => {
  it('a row inserted above and another deleted meanwhile: the edit lands on its project, wherever it now is', async () => {
    const { id, store } = await setUpRegistry(h);
    await fill(store, 5);
    const values = h.emulator.sheetValues(id, '合作项目') as Grid;
    const before = JSON.stringify(values);
    afterFirstRead(() => {
      values.splice(
        1,
        0,
        values[0]!.map((_, i) => (i === col(values, '项目名称') ? '他人新插入的行' : null)),
      );
      values.splice(rowOf(values, 'HZ2026-002'), 1);
    });
    expect(await store.update(setLeader('HZ2026-004', '新负责人'))).toBe(true);
    const after = h.emulator.sheetValues(id, '合作项目') as Grid;
    expect(after[rowOf(after, 'HZ2026-004')]![col(after, '项目负责人')]).toBe('新负责人');
    expect(after[1]![col(after, '项目名称')]).toBe('他人新插入的行');
    expect(rowOf(after, 'HZ2026-002')).toBe(-1);
    // Every other project is exactly as it was.
    const old = JSON.parse(before) as Grid;
    for (const pid of ['HZ2026-001', 'HZ2026-003', 'HZ2026-005']) expect(after[rowOf(after, pid)]).toEqual(old[rowOf(old, pid)]);
  });

  it('the rows sorted meanwhile: the edit follows its project', async () => {
    const { id, store } = await setUpRegistry(h);
    await fill(store, 4);
    const values = h.emulator.sheetValues(id, '合作项目') as Grid;
    afterFirstRead(() => {
      const body = values.splice(1).reverse();
      values.push(...body);
    });
    await store.update(setLeader('HZ2026-002', '新负责人'));
    const after = h.emulator.sheetValues(id, '合作项目') as Grid;
    expect(rowOf(after, 'HZ2026-002')).toBe(3);
    expect(after[3]![col(after, '项目负责人')]).toBe('新负责人');
    expect(after.filter((r) => r[col(after, '项目负责人')] === '新负责人')).toHaveLength(1);
  });

  it('on a sheet without IDs (年度评价) a row is found again by its content after an insertion above it', async () => {
    const { id, store } = await setUpRegistry(h);
    await fill(store, 2);
    const evaluation = (projectId: string, year: number) => ({
      cells: {
        projectId,
        year,
        timing: null,
        teacherPractice: 3,
        studentsTrained: 20,
        baseBuilding: null,
        labBuilding: null,
        researchResults: null,
        serviceIncome: 0,
        grade: '良好',
        reporter: '李明',
        reportedAt: '2026-11-20',
      },
    });
    await store.update((data) => {
      data.evaluations.push(evaluation('HZ2026-001', 2025), evaluation('HZ2026-002', 2025));
      return { result: undefined, write: true };
    });
    const values = h.emulator.sheetValues(id, '年度评价') as Grid;
    afterFirstRead(
      () =>
        void values.splice(
          1,
          0,
          values[1]!.map((v, i) => (i === 1 ? 2024 : v)),
        ),
    );
    await store.update((data) => {
      data.evaluations.find((e) => e.cells.projectId === 'HZ2026-002')!.cells.grade = '优秀';
      return { result: undefined, write: true };
    });
    const after = h.emulator.sheetValues(id, '年度评价') as Grid;
    const grade = col(after, '综合评价');
    expect(after.slice(1).map((r) => [r[0], r[1], r[grade]])).toEqual([
      ['HZ2026-001', 2024, '良好'],
      ['HZ2026-001', 2025, '良好'],
      ['HZ2026-002', 2025, '优秀'],
    ]);
  });

  it('someone edits the same row meanwhile: the change is worked out again on their version, both edits kept', async () => {
    const { id, store } = await setUpRegistry(h);
    await fill(store, 3);
    const values = h.emulator.sheetValues(id, '合作项目') as Grid;
    afterFirstRead(() => {
      values[rowOf(values, 'HZ2026-002')]![col(values, '合作内容及双方权责')] = '他人修改的内容';
    });
    h.emulator.resetLog();
    let runs = 0;
    await store.update((data) => {
      runs++;
      return setLeader('HZ2026-002', '新负责人')(data);
    });
    expect(runs).toBe(2);
    const row = (h.emulator.sheetValues(id, '合作项目') as Grid)[rowOf(values, 'HZ2026-002')]!;
    expect(row[col(values, '合作内容及双方权责')]).toBe('他人修改的内容');
    expect(row[col(values, '项目负责人')]).toBe('新负责人');
    // read, check (conflict: it becomes the next read), check, one atomic write.
    expect(h.emulator.counts()['sheets.values.batchGet']).toBe(3);
    expect(h.emulator.counts()['sheets.spreadsheets.batchUpdate']).toBe(1);
  });

  it('someone keeps editing the row: stops after bounded retries with a Chinese message, writing nothing', async () => {
    const { id, store } = await setUpRegistry(h);
    await fill(store, 2);
    const values = h.emulator.sheetValues(id, '合作项目') as Grid;
    let n = 0;
    h.emulator.onApplied = (endpoint) => {
      if (endpoint === 'sheets.values.batchGet') values[rowOf(values, 'HZ2026-001')]![col(values, '项目名称')] = `他人第 ${++n} 次修改`;
    };
    h.emulator.resetLog();
    const error = await store.update(setLeader('HZ2026-001', '新负责人')).catch((e) => e);
    expect(isCoopError(error)).toBe(true);
    expect(error.message).toMatch(/正被他人同时编辑，3 次重新读取后仍有冲突；.*未写入任何内容/);
    expect(error.details.join('\n')).toMatch(/「合作项目」第 2 行（HZ2026-001）在读取后被他人修改：项目名称/);
    expect(h.emulator.counts()['sheets.spreadsheets.batchUpdate']).toBeUndefined();
    expect(values[rowOf(values, 'HZ2026-001')]![col(values, '项目负责人')]).not.toBe('新负责人');
  });

  it('the target row deleted meanwhile: the change, run again, finds no project and writes nothing', async () => {
    const { id, store } = await setUpRegistry(h);
    await fill(store, 3);
    const values = h.emulator.sheetValues(id, '合作项目') as Grid;
    afterFirstRead(() => void values.splice(rowOf(values, 'HZ2026-003'), 1));
    expect(await store.update(setLeader('HZ2026-003', '新负责人'))).toBe(false);
    const after = JSON.stringify(h.emulator.sheetValues(id, '合作项目'));
    expect(after).not.toContain('新负责人');
    expect(after).not.toContain('HZ2026-003');
  });

  it('someone appends a project with the ID this import was about to use: the import takes the next ID below theirs', async () => {
    const { id, store } = await setUpRegistry(h);
    await fill(store, 2);
    const values = h.emulator.sheetValues(id, '合作项目') as Grid;
    afterFirstRead(() => {
      const row = [...values[1]!];
      row[col(values, '项目编号')] = 'HZ2026-003';
      row[col(values, '项目名称')] = '他人同时登记的项目';
      values.push(row);
    });
    const result = await store.update((data) => ({ result: addRecords(data, [], projects(1), NOW), write: true }));
    expect(result.projectIds).toEqual(['HZ2026-004']);
    const after = h.emulator.sheetValues(id, '合作项目') as Grid;
    expect(after[rowOf(after, 'HZ2026-003')]![col(after, '项目名称')]).toBe('他人同时登记的项目');
    expect(rowOf(after, 'HZ2026-004')).toBe(rowOf(after, 'HZ2026-003') + 1);
  });
});

describe('faults', () => {
  it('a 429 storm on the write: backs off with jitter up to 64 s, then writes once', async () => {
    const { store } = await setUpRegistry(h);
    h.emulator.inject({ endpoint: 'sheets.spreadsheets.batchUpdate', kind: 'status', status: 429, times: 8 });
    await fill(store, 3);
    expect(h.sleeps).toHaveLength(8);
    expect(Math.max(...h.sleeps)).toBeLessThanOrEqual(64_000);
    expect(h.sleeps[7]).toBe(64_000);
    expect((await store.read()).projects).toHaveLength(3);
  });

  it('500s on the reads are retried', async () => {
    const { store } = await setUpRegistry(h);
    h.emulator.inject({ endpoint: 'sheets.values.batchGet', kind: 'status', status: 500, times: 3 });
    await fill(store, 2);
    expect((await store.read()).projects).toHaveLength(2);
  });

  it('a connection dropped mid-write (after Google applied it): the retry re-reads, finds it landed, appends nothing twice', async () => {
    const { id, store } = await setUpRegistry(h);
    h.emulator.inject({ endpoint: 'sheets.spreadsheets.batchUpdate', kind: 'drop', times: 1, afterApply: true });
    h.emulator.resetLog();
    await fill(store, 4);
    const values = h.emulator.sheetValues(id, '合作项目') as Grid;
    expect(values.filter((r) => r.some((v) => v !== null && v !== '')).length).toBe(5);
    expect(h.emulator.counts()['sheets.spreadsheets.batchUpdate']).toBe(1);
    expect(h.emulator.counts()['sheets.values.batchGet']).toBe(3);
  });

  it('a connection dropped before the write arrives: retried, written once', async () => {
    const { store } = await setUpRegistry(h);
    h.emulator.inject({ endpoint: 'sheets.spreadsheets.batchUpdate', kind: 'drop', times: 1 });
    await fill(store, 2);
    expect((await store.read()).projects).toHaveLength(2);
  });

  it('a write refused by the protections (403): says which account to add to 设置, writes nothing', async () => {
    const { id, store } = await setUpRegistry(h);
    const before = JSON.stringify(h.emulator.sheetValues(id, '合作项目'));
    h.emulator.inject({ endpoint: 'sheets.spreadsheets.batchUpdate', kind: 'status', status: 403, times: 1 });
    await expect(fill(store, 1)).rejects.toThrow(/Google 拒绝写入共享登记表 gsheet:.*client_email.*coop google setup/);
    expect(JSON.stringify(h.emulator.sheetValues(id, '合作项目'))).toBe(before);
  });

  it('Google failing throughout: a clear Chinese error and the sheet as it was', async () => {
    const { id, store } = await setUpRegistry(h);
    const before = JSON.stringify(h.emulator.sheetValues(id, '合作项目'));
    h.emulator.inject({ endpoint: 'sheets.spreadsheets.batchUpdate', kind: 'status', status: 503, times: 50 });
    await expect(fill(store, 2)).rejects.toThrow(/Google 接口（写入共享登记表）连续 9 次繁忙或出错，已停止重试/);
    expect(JSON.stringify(h.emulator.sheetValues(id, '合作项目'))).toBe(before);
  });
});
