import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RegistryData } from '../../core/index.js';
import { addRecords } from '../../sync/src/ops/records.js';
import { GsheetRegistryStore } from '../../sync/src/stores/gsheet-store.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, coopAsync, tempDir } from '../helpers/cli.js';
import { startHarness, type Harness } from './harness.js';
import { seedSpreadsheet } from './registry-seed.js';

const cellsOf = (data: RegistryData) => Object.fromEntries(Object.entries(data).map(([k, rows]) => [k, rows.map((r) => r.cells)]));
const NOW = new Date('2026-11-24T02:00:00Z');

describe('Google Sheets registry store (real @googleapis/sheets → emulator)', () => {
  let h: Harness;
  let xlsx: string;
  let id: string;
  let store: GsheetRegistryStore;
  beforeAll(() => {
    const demo = join(tempDir('coop-gsheet-'), 'demo');
    expect(coop(['demo', '--dir', demo]).code).toBe(0);
    xlsx = join(demo, 'registry.xlsx');
  });
  beforeEach(async () => {
    h = await startHarness();
    id = await seedSpreadsheet(h.emulator, xlsx);
    store = new GsheetRegistryStore(id, h.clients);
  });
  afterEach(() => h.emulator.stop());

  const projectRows = () => h.emulator.sheetValues(id, '合作项目');
  const col = (header: string) => projectRows()[0]!.indexOf(header);
  const rowOf = (projectId: string) => projectRows().findIndex((r) => r[col('项目编号')] === projectId);

  it('reads every sheet with ONE values.batchGet, finding columns by header, the same as the .xlsx store reads', async () => {
    const fromSheet = await store.read();
    const fromXlsx = await new XlsxRegistryStore(xlsx).read();
    expect(cellsOf(fromSheet)).toEqual(cellsOf(fromXlsx));
    expect(fromSheet.projects.length).toBeGreaterThan(2);
    expect(h.emulator.counts()).toEqual({ 'oauth.token': 1, 'sheets.values.batchGet': 1 });
    const get = h.emulator.log.find((r) => r.endpoint === 'sheets.values.batchGet')!;
    expect(get.path).toContain('valueRenderOption=UNFORMATTED_VALUE');
  });

  it('a write re-checks, then sends ONE atomic spreadsheets.batchUpdate of only the changed cells; office columns untouched', async () => {
    const before = await store.read();
    const target = String(before.projects[1]!.cells.projectId);
    h.emulator.resetLog();
    const added = await store.update((data) => {
      data.projects.find((p) => p.cells.projectId === target)!.cells.title = '=HYPERLINK("http://evil")';
      const ids = addRecords(
        data,
        [],
        [
          {
            title: '新项目',
            department: '基础部',
            partnerId: String(data.partners[0]!.cells.partnerId),
            category: '培训服务',
            content: '培训',
            startDate: '2027-01-01',
            endDate: '2027-12-31',
            ipOwnership: '学校所有',
            income: 1234.5,
            leader: '王老师',
          },
        ],
        NOW,
      );
      return { result: ids.projectIds[0]!, write: true };
    });
    // read, sheet IDs (once per store), checking read, the write: values, formats and the new row in one request.
    expect(h.emulator.counts()).toEqual({ 'sheets.values.batchGet': 2, 'sheets.spreadsheets.get': 1, 'sheets.spreadsheets.batchUpdate': 1 });
    const update = h.emulator.log.find((r) => r.endpoint === 'sheets.spreadsheets.batchUpdate')!.body as { requests: Record<string, any>[] };
    // The title cell and the counter in 设置 as cell updates; the new project row as one append.
    // (plus the date and money formats of the appended row's columns, once per column)
    expect(
      update.requests
        .map((r) => Object.keys(r)[0])
        .filter((k) => k !== 'repeatCell')
        .sort(),
    ).toEqual(['appendCells', 'updateCells', 'updateCells']);
    for (const r of update.requests.filter((x) => x.repeatCell)) expect(r.repeatCell.fields).toBe('userEnteredFormat.numberFormat');
    const title = update.requests.find((r) => r.updateCells?.rows[0].values[0].userEnteredValue?.stringValue?.includes('HYPERLINK'))!;
    expect(title.updateCells.rows[0].values[0].userEnteredValue.stringValue).toBe(`'=HYPERLINK("http://evil")`);
    const r = rowOf(target);
    expect(projectRows()[r]![col('项目名称')]).toBe(`'=HYPERLINK("http://evil")`);
    expect(projectRows()[r]![col('自建备注')]).toBe(`备注${r}`);
    const n = rowOf(added);
    expect(projectRows()[n]![col('开始日期')]).toBe(46388); // 2027-01-01 as a date serial, not text
    expect(h.emulator.formatAt(id, '合作项目', n, col('开始日期'))).toBe('yyyy-mm-dd');
    expect(h.emulator.formatAt(id, '合作项目', n, col('预计收入（元）'))).toBe('#,##0.00');
    expect(projectRows()[n]![col('预计收入（元）')]).toBe(1234.5);
    const after = await store.read();
    expect(after.projects.find((p) => p.cells.projectId === target)!.cells.title).toBe('=HYPERLINK("http://evil")');
    expect(after.projects.find((p) => p.cells.projectId === added)!.cells.startDate).toBe('2027-01-01');
  });

  it('dates survive a write and a read in any host time zone', async () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
        process.env.TZ = tz;
        await store.update((data) => {
          data.projects[0]!.cells.endDate = '2030-02-28';
          return { result: undefined, write: true };
        });
        expect((await store.read()).projects[0]!.cells.endDate).toBe('2030-02-28');
        expect(projectRows()[1]![col('结束日期')]).toBe(47542);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('a row inserted above and another deleted by someone else between read and write: the edit still lands on its project', async () => {
    const data0 = await store.read();
    const target = String(data0.projects[2]!.cells.projectId);
    const victim = String(data0.projects[4]!.cells.projectId);
    let interfered = false;
    h.emulator.onApplied = (endpoint) => {
      if (endpoint !== 'sheets.values.batchGet' || interfered) return;
      interfered = true;
      const rows = projectRows();
      rows.splice(rowOf(victim), 1);
      rows.splice(1, 0, ['HZ2026-900', '别人新加的项目']);
    };
    h.emulator.resetLog();
    await store.update((data) => {
      data.projects.find((p) => p.cells.projectId === target)!.cells.title = '改过的名称';
      return { result: undefined, write: true };
    });
    expect(projectRows()[rowOf(target)]![col('项目名称')]).toBe('改过的名称');
    expect(projectRows()[rowOf('HZ2026-900')]![col('项目名称')]).toBe('别人新加的项目');
    expect(rowOf(victim)).toBe(-1);
    // The checking read finds the project on its new row: no retry needed.
    expect(h.emulator.counts()).toEqual({ 'sheets.values.batchGet': 2, 'sheets.spreadsheets.get': 1, 'sheets.spreadsheets.batchUpdate': 1 });
  });

  it('someone editing the very cell meanwhile is never overwritten: the change is recomputed on their value', async () => {
    const target = String((await store.read()).projects[0]!.cells.projectId);
    let interfered = false;
    h.emulator.onApplied = (endpoint) => {
      if (endpoint !== 'sheets.values.batchGet' || interfered) return;
      interfered = true;
      projectRows()[rowOf(target)]![col('项目名称')] = '同事改的名称';
    };
    await store.update((data) => {
      const p = data.projects.find((x) => x.cells.projectId === target)!;
      p.cells.title = `${p.cells.title}（已核）`;
      return { result: undefined, write: true };
    });
    expect(projectRows()[rowOf(target)]![col('项目名称')]).toBe('同事改的名称（已核）');
  });

  it('when others never stop editing it gives up with a clear message and writes nothing', async () => {
    const target = String((await store.read()).projects[3]!.cells.projectId);
    let n = 1;
    h.emulator.onApplied = (endpoint) => {
      if (endpoint === 'sheets.values.batchGet') projectRows()[rowOf(target)]![col('项目负责人')] = `同事第 ${n++} 次修改`;
    };
    h.emulator.resetLog();
    await expect(
      store.update((data) => {
        data.projects.find((p) => p.cells.projectId === target)!.cells.title = 'x';
        return { result: undefined, write: true };
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining('未写入任何内容') });
    expect(h.emulator.counts()['sheets.spreadsheets.batchUpdate']).toBeUndefined();
  });

  it('429 storms, 500s and a connection dropped mid-write end in a consistent sheet', async () => {
    h.emulator.inject({ endpoint: 'sheets.values.batchGet', kind: 'status', status: 429, times: 3 });
    h.emulator.inject({ endpoint: 'sheets.spreadsheets.batchUpdate', kind: 'status', status: 500, times: 1 });
    h.emulator.inject({ endpoint: 'sheets.spreadsheets.batchUpdate', kind: 'drop', times: 1, afterApply: true });
    const target = String((await store.read()).projects[1]!.cells.projectId);
    await store.update((data) => {
      data.projects.find((p) => p.cells.projectId === target)!.cells.leader = '李老师';
      return { result: undefined, write: true };
    });
    expect(projectRows()[rowOf(target)]![col('项目负责人')]).toBe('李老师');
    // 500, then applied-but-dropped; the third try re-reads, finds the cell written and sends nothing.
    expect(h.emulator.counts()['sheets.spreadsheets.batchUpdate']).toBe(2);
    expect(h.sleeps).toHaveLength(5);
    expect(cellsOf(await store.read()).projects).toHaveLength((await new XlsxRegistryStore(xlsx).read()).projects.length);
  });

  it('a missing sheet is named in a Chinese error', async () => {
    h.emulator.spreadsheets.get(id)!.splice(2, 1);
    await expect(store.read()).rejects.toMatchObject({ code: 'REGISTRY_LAYOUT', message: expect.stringContaining('审批记录') });
  });

  it('coop status and coop validate work on --registry gsheet:ID exactly as on the .xlsx', async () => {
    for (const command of [['status', '--json'], ['validate']]) {
      const local = coop([...command, '--registry', xlsx]);
      h.emulator.resetLog();
      const remote = await coopAsync([...command, '--registry', `gsheet:${id}`], { env: h.env });
      expect(remote.stderr).toBe('');
      expect(remote.code).toBe(local.code);
      expect(remote.stdout.replaceAll(`gsheet:${id}`, xlsx)).toBe(local.stdout);
      expect(h.emulator.counts()).toEqual({ 'oauth.token': 1, 'sheets.values.batchGet': 1 });
    }
  });
});
