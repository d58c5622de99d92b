// 统计看板: the built bundle rebuilds the sheet from the same registry `coop status` reads; its figures equal the
// CLI's, its three charts are created once and updated in place, and a rebuild's cost does not grow with rows.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REVIEW_DEPARTMENT_NAMES, STATUSES, type RegistryData, type StatusSummary } from '../../core/index.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import type { FakeEmbeddedChart } from './fake/charts.js';
import type { Harness } from './fake/harness.js';
import { OFFICE, plantRecord, registry } from './fixture.js';
import { plantRegistry } from './plant-registry.js';

const SHEET = '统计看板';

/** The dashboard's tables, found by their title rows: title → rows under the header (until a blank row). */
function tables(h: Harness): Map<string, { header: unknown[]; rows: unknown[][] }> {
  const values = h.log.quiet(() => h.sheet(SHEET).getDataRange().getValues());
  const out = new Map<string, { header: unknown[]; rows: unknown[][] }>();
  for (let i = 3; i < values.length; i++) {
    const title = values[i]![0];
    if (typeof title !== 'string' || !title || values[i - 1]!.some((v) => v !== '')) continue;
    const header = values[i + 1]!;
    const rows: unknown[][] = [];
    for (let j = i + 2; j < values.length && values[j]!.some((v) => v !== ''); j++) rows.push(values[j]!);
    out.set(title, { header, rows });
    i = i + 1 + rows.length;
  }
  return out;
}

const charts = (h: Harness) => h.sheet(SHEET).charts as FakeEmbeddedChart[];

describe('统计看板', () => {
  let data: RegistryData;
  let status: StatusSummary;
  let h: Harness;

  beforeAll(async () => {
    const dir = tempDir('coop-dashboard-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    const path = join(dir, 'registry.xlsx');
    await new XlsxRegistryStore(path).update((d) => {
      // An older year, a formula-like title (must land as text), money summed in cents.
      d.projects[1]!.cells.projectId = 'HZ2025-007';
      d.projects[2]!.cells.income = 0.1;
      d.projects[3]!.cells.income = 0.2;
      d.projects[4]!.cells.department = '=HYPERLINK("http://evil.example","系部")';
      return { result: undefined, write: true };
    });
    data = await new XlsxRegistryStore(path).read();
    const r = coop(['status', '--json', '--registry', path]);
    expect(r.code).toBe(0);
    status = JSON.parse(r.stdout) as StatusSummary;
    h = registry();
    plantRegistry(h, data);
    // A 状态 and a tick pasted into the shared sheet (no log entry): the dashboard, like coop status, counts the log's.
    const pasted = data.projects.findIndex((p) => p.cells.status !== '已生效');
    plantRecord(h, '合作项目', pasted + 2, { 状态: '已生效', 计财处: true });
  }, 300_000);

  it('shows the figures of coop status on the same data', () => {
    h.as(OFFICE);
    h.click('刷新统计看板');
    expect(h.ss.toasts.at(-1)).toContain('统计看板');
    const t = tables(h);
    const byStatus = Object.fromEntries(t.get('按状态')!.rows.map((r) => [r[0], r[1]]));
    for (const s of STATUSES) expect(byStatus[s]).toBe(status.byStatus[s]);
    expect(byStatus['合计']).toBe(status.total);
    const matrix = t.get('各类别项目状态')!;
    expect(matrix.header.slice(0, 11)).toEqual(['合作类别', ...STATUSES, '合计']);
    expect(matrix.rows.map((r) => r[0])).toEqual(
      Object.entries(status.byCategory)
        .filter(([, n]) => n)
        .map(([c]) => c),
    );
    for (const r of matrix.rows) expect(r.slice(1, 10)).toEqual(STATUSES.map((s) => status.byCategoryStatus[String(r[0])]![s]));
    expect(Object.fromEntries(t.get('按承办系部')!.rows.map((r) => [r[0], r[1]]))).toEqual(status.byDepartment);
    expect(t.get('按申请年度')!.rows.map((r) => r.slice(0, 4))).toEqual(status.byYear.map((y) => [y.year, y.projects, y.income, y.expense]));
    expect(t.get('各部门待审查')!.rows.map((r) => r.slice(0, 3))).toEqual(
      REVIEW_DEPARTMENT_NAMES.map((d) => [d, status.waitingOn[d].length, status.oldestWaitingDays[d]]),
    );
    expect(t.get('收支合计')!.rows.map((r) => r[1])).toEqual([status.totals.income, status.totals.expense]);
    expect(t.get('逾期未填报的年度评价')!.rows.filter((r) => r[1] !== '').length).toBe(status.overdueEvaluations.length);
    expect(t.get('即将到期的协议')!.rows.filter((r) => r[1] !== '').length).toBe(status.expiring.length);
    // Text from the registry lands as text: the formula-like department is a label, not a formula.
    expect(Object.keys(status.byDepartment)).toContain('=HYPERLINK("http://evil.example","系部")');
    expect(h.log.quiet(() => h.sheet(SHEET).getDataRange().getFormulas().flat().filter(Boolean))).toEqual([]);
  });

  it('draws a stacked bar by category, a line per year and a bar of waiting reviews, over the tables', () => {
    const list = charts(h);
    expect(list.map((c) => [c.state.type, c.state.options.title, c.state.options.isStacked ?? false])).toEqual([
      ['BAR', '各类别项目状态', true],
      ['LINE', '各年度项目数', false],
      ['BAR', '各部门待审查项目数', false],
    ]);
    const values = h.log.quiet(() => h.sheet(SHEET).getDataRange().getValues());
    const [matrix, years, waiting] = list.map((c) => h.log.quiet(() => c.state.ranges[0]!.getValues()));
    expect(matrix![0]).toEqual(['合作类别', ...STATUSES]);
    expect(matrix!.length).toBe(1 + Object.values(status.byCategory).filter(Boolean).length);
    expect(years).toEqual([['申请年度', '项目数'], ...status.byYear.map((y) => [y.year, y.projects])]);
    expect(waiting!.slice(1).map((r) => r[1])).toEqual(REVIEW_DEPARTMENT_NAMES.map((d) => status.waitingOn[d].length));
    expect(values.length).toBeGreaterThan(20);
  });

  it('updates its charts on rebuild instead of adding more, and costs the same with many more rows', () => {
    const ids = charts(h).map((c) => c.id);
    // The office moved a chart and gave it a colour: a rebuild keeps both.
    charts(h)[0]!.state.position = { row: 40, column: 2 };
    charts(h)[0]!.state.options.colors = ['#123456'];
    h.log.reset();
    h.click('刷新统计看板');
    const first = h.log.count('spreadsheet');
    expect(charts(h).map((c) => c.id)).toEqual(ids);
    expect(charts(h)[0]!.state.position).toEqual({ row: 40, column: 2 });
    expect(charts(h)[0]!.state.options.colors).toEqual(['#123456']);
    // Many more projects in a later year: the line chart's range grows, no chart is added, no extra calls.
    const more = structuredClone(data);
    for (let i = 0; i < 400; i++)
      more.projects.push({ cells: { ...data.projects[0]!.cells, projectId: `HZ2027-${String(i + 1).padStart(3, '0')}` }, sheetRow: 0 });
    plantRegistry(h, more);
    h.log.reset();
    h.click('刷新统计看板');
    expect(h.log.count('spreadsheet')).toBe(first);
    expect(charts(h).map((c) => c.id)).toEqual(ids);
    const years = h.log.quiet(() => charts(h)[1]!.state.ranges[0]!.getValues());
    expect(years.at(-1)).toEqual(['2027', 400]);
    // Fixed reads of four sheets, six writes, then four calls per chart: bounded by charts, not rows.
    expect(first).toBeLessThanOrEqual(22 + 4 * 3);
    expect(h.log.methods('spreadsheet').filter((m) => m === 'Range.setValues')).toHaveLength(1);
  });

  it('is rebuilt by the daily trigger', () => {
    h.log.quiet(() => h.sheet(SHEET).getRange(2, 1).setValue('旧数据'));
    h.setNow('2026-11-25T02:00:00Z');
    h.runDaily();
    const asOf = h.log.quiet(() => h.sheet(SHEET).getRange(2, 1).getValue());
    expect(asOf).toContain('2026-11-25');
    expect(charts(h)).toHaveLength(3);
  });
});
