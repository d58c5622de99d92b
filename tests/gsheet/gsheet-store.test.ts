// The shared-sheet store through the real @googleapis/sheets client against the loopback emulator:
// one request to read, a constant handful to write, columns by header, typed dates, no formula injection.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { projectsSheet, validateRegistry, type RawCells } from '../../core/index.js';
import { SAMPLE_PARTNERS } from '../../sync/src/demo/sample-data.js';
import { dateFromSerial, serialFromDate } from '../../sync/src/gsheet/cells.js';
import { GsheetRegistryStore } from '../../sync/src/stores/gsheet-store.js';
import { startHarness, type Harness } from '../google/harness.js';
import { fill, setUpRegistry } from './fixture.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.emulator.stop());
beforeEach(() => {
  h.emulator.clearFaults();
  h.emulator.onApplied = undefined;
});

const header = (values: unknown[][], text: string) => values[0]!.indexOf(text);

describe('gsheet store', () => {
  it('reads the whole registry with one values.batchGet, dates as calendar dates', async () => {
    const { id, store } = await setUpRegistry(h);
    await fill(store, 3);
    h.emulator.resetLog();
    const data = await store.read();
    expect(h.emulator.counts()).toEqual({ 'sheets.values.batchGet': 1 });
    const get = h.emulator.log[0]!.path;
    expect(get).toContain('valueRenderOption=UNFORMATTED_VALUE');
    expect(get).toContain('dateTimeRenderOption=SERIAL_NUMBER');
    expect(data.projects).toHaveLength(3);
    expect(data.partners.map((p) => p.cells.partnerId)).toEqual(SAMPLE_PARTNERS.map((_, i) => `P000${i + 1}`));
    const first = data.projects[0]!.cells;
    // Stored as a typed serial date, read back as the same calendar date.
    const sheet = h.emulator.sheetValues(id, '合作项目');
    const stored = sheet[1]![header(sheet, '开始日期')];
    expect(typeof stored).toBe('number');
    expect(dateFromSerial(stored as number)).toBe(first.startDate);
    expect(validateRegistry(data).problems).toEqual([]);
  });

  it('writes new rows with one atomic spreadsheets.batchUpdate (appendCells, typed cells), whatever their number, after one checking read', async () => {
    const counts: Record<string, number>[] = [];
    for (const n of [2, 120]) {
      const { store } = await setUpRegistry(h);
      h.emulator.resetLog();
      await fill(store, n);
      counts.push(h.emulator.counts());
      const body = h.emulator.log.find((r) => r.endpoint === 'sheets.spreadsheets.batchUpdate')!.body as { requests: Record<string, any>[] };
      const appends = body.requests.filter((r) => r.appendCells);
      expect(appends.map((r) => r.appendCells.rows.length)).toEqual(expect.arrayContaining([SAMPLE_PARTNERS.length, n]));
      // Text goes in as stringValue, which Sheets never parses as a formula or a date.
      expect(JSON.stringify(appends)).not.toContain('formulaValue');
      expect((await store.read()).projects).toHaveLength(n);
    }
    expect(counts[0]).toEqual(counts[1]);
    expect(counts[0]!['sheets.values.batchGet']).toBe(2);
    expect(counts[0]!['sheets.spreadsheets.batchUpdate']).toBe(1);
    expect(counts[0]!['sheets.values.batchUpdate']).toBeUndefined();
  });

  it('grows the sheet when appends pass its last row (a write beyond the grid fails on Google)', async () => {
    const { id, store } = await setUpRegistry(h);
    const sheet = h.emulator.spreadsheets.get(id)!.find((s) => s.title === '合作项目')!;
    sheet.rowCount = 5;
    await fill(store, 10);
    expect(h.emulator.sheetValues(id, '合作项目').filter((r) => r.length).length).toBe(11);
  });

  it('touches only changed cells and finds columns by header: reordered and user-added columns stay as they are', async () => {
    const { id, store } = await setUpRegistry(h);
    await fill(store, 3);
    const values = h.emulator.sheetValues(id, '合作项目');
    // Someone moves 项目名称 to the end and inserts a column of their own at the front.
    const t = header(values, '项目名称');
    for (const row of values) {
      const [moved] = row.splice(t, 1);
      row.push(moved ?? null);
      row.unshift(row === values[0] ? '我的备注' : 'x');
    }
    const data = await store.read();
    expect(data.projects[1]!.cells.title).toMatch(/（2）$/);
    h.emulator.resetLog();
    await store.update((d) => {
      d.projects[1]!.cells.leader = '张老师';
      return { result: undefined, write: true };
    });
    const write = h.emulator.log.find((r) => r.endpoint === 'sheets.spreadsheets.batchUpdate')!.body as { requests: Record<string, any>[] };
    const leaderCol = header(h.emulator.sheetValues(id, '合作项目'), '项目负责人');
    expect(write.requests).toEqual([
      {
        updateCells: {
          range: { sheetId: expect.any(Number), startRowIndex: 2, endRowIndex: 3, startColumnIndex: leaderCol, endColumnIndex: leaderCol + 1 },
          rows: [{ values: [{ userEnteredValue: { stringValue: '张老师' } }] }],
          fields: 'userEnteredValue',
        },
      },
    ]);
    const after = h.emulator.sheetValues(id, '合作项目');
    expect(after[2]![header(after, '项目负责人')]).toBe('张老师');
    expect(after.slice(1).every((r) => r[0] === 'x')).toBe(true);
    expect(after[2]![after[0]!.length - 1]).toMatch(/（2）$/);
  });

  it('writes free text RAW and neutralised, and reads it back unchanged', async () => {
    const { id, store } = await setUpRegistry(h);
    await fill(store, 1);
    const evil = '=HYPERLINK("http://evil.example","点我")';
    await store.update((d) => {
      d.projects[0]!.cells.content = evil;
      return { result: undefined, write: true };
    });
    const values = h.emulator.sheetValues(id, '合作项目');
    expect(values[1]![header(values, '合作内容及双方权责')]).toBe(`'${evil}`);
    expect((await store.read()).projects[0]!.cells.content).toBe(evil);
  });

  it('a change that writes nothing costs the read alone', async () => {
    const { store } = await setUpRegistry(h);
    await fill(store, 2);
    h.emulator.resetLog();
    await store.update((d) => {
      const cells = d.projects[0]!.cells as RawCells;
      cells.title = String(cells.title);
      return { result: undefined, write: true };
    });
    expect(h.emulator.counts()).toEqual({ 'sheets.values.batchGet': 1 });
  });

  it('names a missing sheet or header in Chinese and points at coop google setup', async () => {
    const id = h.emulator.addSpreadsheet([{ title: '合作单位', values: [['单位编号']] }]);
    const store = new GsheetRegistryStore(id, h.clients);
    await expect(store.read()).rejects.toThrow(/缺少工作表：合作项目、审批记录.*coop google setup/);
    const { id: full, store: ok } = await setUpRegistry(h);
    const values = h.emulator.sheetValues(full, '合作项目');
    values[0]![header(values, '成果权属')] = '权属';
    await expect(ok.read()).rejects.toThrow(/「合作项目」缺少列：成果权属/);
    await expect(new GsheetRegistryStore('nope', h.clients).read()).rejects.toThrow(/找不到共享登记表 gsheet:nope/);
  });

  it('converts serial dates without a day shift at the edges of the calendar', () => {
    for (const d of ['1900-03-01', '2024-02-29', '2026-12-31', '2100-12-31']) expect(dateFromSerial(serialFromDate(d))).toBe(d);
    expect(serialFromDate('2024-03-01')).toBe(45352);
    expect(projectsSheet.columns.some((c) => c.type === 'date')).toBe(true);
  });
});
