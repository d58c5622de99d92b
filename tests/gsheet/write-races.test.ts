// Rows moved by other editors while a CLI write waits (in flight, or backing off after a 429/5xx), and requests
// that fail for good: every edit lands on its own row, no log row is lost or doubled, no cell is half written.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reviewStampNote } from '../../core/index.js';
import { SAMPLE_APPLICANT, SAMPLE_APPROVERS } from '../../sync/src/demo/sample-data.js';
import { applyWorkflowEvent } from '../../sync/src/ops/workflow.js';
import type { GsheetRegistryStore } from '../../sync/src/stores/gsheet-store.js';
import type { MovableRow } from '../google/emulator.js';
import { startHarness, type Harness } from '../google/harness.js';
import { NOW, fill, setUpRegistry } from './fixture.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.emulator.stop());
beforeEach(() => {
  h.emulator.clearFaults();
  h.emulator.onApplied = undefined;
  h.emulator.beforeApply = undefined;
});

type Grid = (string | number | boolean | null)[][];
const WRITE = 'sheets.spreadsheets.batchUpdate';
const APPROVER = SAMPLE_APPROVERS['教务处'];
const STAMP = reviewStampNote('教务处', APPROVER, '2026-11-24 10:00:00');

/** A registry of four submitted projects, ready for 教务处 to tick. */
async function submitted(): Promise<{ id: string; store: GsheetRegistryStore }> {
  const reg = await setUpRegistry(h);
  await fill(reg.store, 4);
  await applyWorkflowEvent(reg.store, ['HZ2026-001', 'HZ2026-002', 'HZ2026-003', 'HZ2026-004'], { type: 'submit' }, SAMPLE_APPLICANT, NOW);
  return reg;
}

const tick = (store: GsheetRegistryStore, projectId: string) => applyWorkflowEvent(store, projectId, { type: 'tick', department: '教务处' }, APPROVER, NOW);

/** The sheet as the emulator holds it, with lookups by header and project ID. */
function view(id: string, title = '合作项目') {
  const values = h.emulator.sheetValues(id, title) as Grid;
  const col = (header: string) => values[0]!.indexOf(header);
  const row = (projectId: string) => values.findIndex((r) => r[col('项目编号')] === projectId);
  const cell = (projectId: string, header: string) => values[row(projectId)]![col(header)];
  const note = (projectId: string, header: string) => h.emulator.noteAt(id, title, row(projectId), col(header));
  return { values, col, row, cell, note };
}

/** Makes the first write attempt fail with `status` after `edit` ran: someone edits while the CLI backs off. */
function duringBackoff(edit: () => void, status = 503): void {
  h.emulator.inject({ endpoint: WRITE, kind: 'status', status, times: 1 });
  let done = false;
  h.emulator.beforeApply = (endpoint) => {
    if (endpoint !== WRITE || done) return;
    done = true;
    edit();
  };
}

const blankRow = (width: number, text: string): MovableRow => ({ values: Array.from({ length: width }, (_, i) => (i === 1 ? text : null)) });

/** Everything a tick of HZ2026-003 by 教务处 must leave, and nothing on its neighbours. */
function expectTickOn(id: string, projectId: string, others: string[]): void {
  const v = view(id);
  expect(v.cell(projectId, '教务处')).toBe(true);
  expect(v.note(projectId, '教务处')).toBe(STAMP);
  expect(v.cell(projectId, '状态')).toBe('审查中');
  for (const o of others) {
    expect(v.cell(o, '教务处') ?? false).toBe(false);
    expect(v.note(o, '教务处')).toBe('');
  }
  const log = view(id, '审批记录').values.filter((r) => r.includes(projectId) && r.includes('审查通过'));
  expect(log).toHaveLength(1);
}

describe('rows moved between the check and the write', () => {
  it('a row inserted above during the back-off: tick, 状态, stamp and log land on the project', async () => {
    const { id, store } = await submitted();
    duringBackoff(() => h.emulator.moveRows(id, '合作项目', (rows) => [blankRow(rows[0]!.values.length, '他人插入的行'), ...rows]));
    await tick(store, 'HZ2026-003');
    expectTickOn(id, 'HZ2026-003', ['HZ2026-001', 'HZ2026-002', 'HZ2026-004']);
    expect(view(id).values[1]![1]).toBe('他人插入的行');
  });

  it('a row deleted above during the back-off', async () => {
    const { id, store } = await submitted();
    duringBackoff(() => h.emulator.moveRows(id, '合作项目', (rows) => rows.filter((r) => !r.values.includes('HZ2026-001'))));
    await tick(store, 'HZ2026-003');
    expectTickOn(id, 'HZ2026-003', ['HZ2026-002', 'HZ2026-004']);
    expect(view(id).row('HZ2026-001')).toBe(-1);
  });

  it('the rows sorted during the back-off', async () => {
    const { id, store } = await submitted();
    duringBackoff(() => h.emulator.moveRows(id, '合作项目', (rows) => [...rows].reverse()));
    await tick(store, 'HZ2026-002');
    expectTickOn(id, 'HZ2026-002', ['HZ2026-001', 'HZ2026-003', 'HZ2026-004']);
    expect(view(id).row('HZ2026-004')).toBe(1);
  });

  it('another log row appended during the back-off is kept; ours goes below it', async () => {
    const { id, store } = await submitted();
    const theirs = ['HZ2026-004', '2026-11-24 09:59:00', '计财处', '审查通过', SAMPLE_APPROVERS['计财处'], '他人同时写入'];
    duringBackoff(() => {
      const log = view(id, '审批记录');
      const row: (string | null)[] = Array.from({ length: log.values[0]!.length }, () => null);
      ['项目编号', '时间', '部门', '操作', '操作人', '备注'].forEach((header, i) => {
        if (log.col(header) >= 0) row[log.col(header)] = theirs[i]!;
      });
      log.values.push(row);
    });
    const before = view(id, '审批记录').values.length;
    await tick(store, 'HZ2026-003');
    const log = view(id, '审批记录').values;
    expect(log).toHaveLength(before + 2);
    expect(log[before]).toContain('他人同时写入');
    expect(log[before + 1]).toContain('HZ2026-003');
    expectTickOn(id, 'HZ2026-003', ['HZ2026-004']);
  });

  it('the same row edited during the back-off: the change is worked out again, both edits kept', async () => {
    const { id, store } = await submitted();
    duringBackoff(() => {
      const v = view(id);
      v.values[v.row('HZ2026-003')]![v.col('项目负责人')] = '他人改的负责人';
    });
    await tick(store, 'HZ2026-003');
    expectTickOn(id, 'HZ2026-003', ['HZ2026-002', 'HZ2026-004']);
    expect(view(id).cell('HZ2026-003', '项目负责人')).toBe('他人改的负责人');
  });

  it('a 429 storm with a row inserted on every wait: the write still lands right after the last one', async () => {
    const { id, store } = await submitted();
    h.emulator.inject({ endpoint: WRITE, kind: 'status', status: 429, times: 4 });
    let n = 0;
    h.emulator.beforeApply = (endpoint) => {
      if (endpoint === WRITE && n < 4) h.emulator.moveRows(id, '合作项目', (rows) => [blankRow(rows[0]!.values.length, `插入 ${++n}`), ...rows]);
    };
    await tick(store, 'HZ2026-001');
    expectTickOn(id, 'HZ2026-001', ['HZ2026-002', 'HZ2026-003', 'HZ2026-004']);
    expect(h.sleeps.length).toBeGreaterThanOrEqual(4);
  });
});

describe('requests that fail', () => {
  it('a persistent 500 on the write: no tick, no stamp, no 状态, no log row — nothing half written', async () => {
    const { id, store } = await submitted();
    const before = { projects: JSON.stringify(view(id).values), log: JSON.stringify(view(id, '审批记录').values) };
    h.emulator.inject({ endpoint: WRITE, kind: 'status', status: 500, times: Infinity });
    await expect(tick(store, 'HZ2026-003')).rejects.toThrow(/写入共享登记表/);
    expect(JSON.stringify(view(id).values)).toBe(before.projects);
    expect(JSON.stringify(view(id, '审批记录').values)).toBe(before.log);
    expect(view(id).note('HZ2026-003', '教务处')).toBe('');
  });

  it('a request in the batch failing on Google undoes the whole batch', async () => {
    const { id } = await submitted();
    const before = JSON.stringify(view(id).values);
    const sheetId = h.emulator.spreadsheets.get(id)!.find((s) => s.title === '合作项目')!.sheetId;
    const token = h.emulator.issueToken();
    const response = await fetch(`${h.emulator.url}v4/spreadsheets/${id}:batchUpdate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        requests: [
          {
            updateCells: {
              range: { sheetId, startRowIndex: 1, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 1 },
              rows: [{ values: [{ userEnteredValue: { stringValue: 'X' } }] }],
              fields: 'userEnteredValue',
            },
          },
          {
            updateCells: {
              range: { sheetId: 99999, startRowIndex: 1, endRowIndex: 2, startColumnIndex: 0, endColumnIndex: 1 },
              rows: [{ values: [{ note: 'n' }] }],
              fields: 'note',
            },
          },
        ],
      }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(view(id).values)).toBe(before);
  });

  it('the answer lost after Google applied the write: the retry finds it landed and appends no second log row', async () => {
    const { id, store } = await submitted();
    h.emulator.inject({ endpoint: WRITE, kind: 'drop', times: 1, afterApply: true });
    const before = view(id, '审批记录').values.length;
    await tick(store, 'HZ2026-003');
    expect(view(id, '审批记录').values).toHaveLength(before + 1);
    expectTickOn(id, 'HZ2026-003', ['HZ2026-004']);
  });
});
