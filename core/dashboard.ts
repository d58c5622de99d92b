/**
 * The dashboard as tables with titles and chart intents, laid out once from `summarize`: the sheet's 统计看板
 * and `coop report --html` both render these, so their figures and charts cannot drift from `coop status`.
 */
import { REVIEW_DEPARTMENT_NAMES, STATUSES } from './enums.js';
import type { StatusSummary } from './reports.js';

export type DashboardCell = string | number;

export interface DashboardChart {
  kind: 'stackedBar' | 'line' | 'bar';
  title: string;
  /** The chart plots the table's first `columns` columns: labels, then one series per column. */
  columns: number;
}

export interface DashboardTable {
  key: 'statusByCategory' | 'byStatus' | 'byDepartment' | 'byYear' | 'waiting' | 'expiring' | 'overdue' | 'totals';
  title: string;
  header: string[];
  rows: DashboardCell[][];
  /** Shown in place of rows when there are none. */
  empty?: string;
  chart?: DashboardChart;
  /** Columns holding yuan amounts (0-based), formatted as money. */
  moneyColumns?: number[];
}

export const DASHBOARD_TEXT = {
  sheetName: '统计看板',
  title: (school: string) => `${school} 合作交流统计`,
  asOf: (today: string) => `统计日期：${today}（数据与命令行 coop status 一致）`,
  reportTitle: '合作交流报告',
  none: '（无）',
} as const;

export function dashboardTables(s: StatusSummary): DashboardTable[] {
  const categories = Object.entries(s.byCategoryStatus).filter(([category]) => (s.byCategory[category] ?? 0) > 0);
  return [
    {
      key: 'statusByCategory',
      title: '各类别项目状态',
      header: ['合作类别', ...STATUSES, '合计'],
      rows: categories.map(([category, counts]) => [category, ...STATUSES.map((st) => counts[st]), s.byCategory[category] ?? 0]),
      empty: DASHBOARD_TEXT.none,
      chart: { kind: 'stackedBar', title: '各类别项目状态', columns: 1 + STATUSES.length },
    },
    {
      key: 'byStatus',
      title: '按状态',
      header: ['状态', '项目数'],
      rows: [...STATUSES.map((st) => [st, s.byStatus[st]] as DashboardCell[]), ['合计', s.total]],
    },
    {
      key: 'byDepartment',
      title: '按承办系部',
      header: ['承办系部', '项目数'],
      rows: Object.entries(s.byDepartment).map(([d, n]) => [d, n]),
    },
    {
      key: 'byYear',
      title: '按申请年度',
      header: ['申请年度', '项目数', '预计收入（元）', '预计支出（元）'],
      rows: s.byYear.map((y) => [y.year, y.projects, y.income, y.expense]),
      empty: DASHBOARD_TEXT.none,
      chart: { kind: 'line', title: '各年度项目数', columns: 2 },
      moneyColumns: [2, 3],
    },
    {
      key: 'waiting',
      title: '各部门待审查',
      header: ['审查部门', '待审查项目数', '最久等待（天）'],
      rows: REVIEW_DEPARTMENT_NAMES.map((d) => [d, s.waitingOn[d].length, s.oldestWaitingDays[d]]),
      chart: { kind: 'bar', title: '各部门待审查项目数', columns: 2 },
    },
    {
      key: 'expiring',
      title: '即将到期的协议',
      header: ['项目编号', '项目名称', '结束日期'],
      rows: s.expiring.map((e) => [e.projectId, e.title, e.endDate]),
      empty: DASHBOARD_TEXT.none,
    },
    {
      key: 'overdue',
      title: '逾期未填报的年度评价',
      header: ['项目编号', '年度', '项目名称', '承办系部'],
      rows: s.overdueEvaluations.map((e) => [e.projectId, e.year, e.title, e.department]),
      empty: DASHBOARD_TEXT.none,
    },
    {
      key: 'totals',
      title: '收支合计',
      header: ['项目', '金额（元）'],
      rows: [
        ['预计收入合计', s.totals.income],
        ['预计支出合计', s.totals.expense],
      ],
      moneyColumns: [1],
    },
  ];
}

/** Yuan as the office writes it: ¥1,234.50. */
export function formatYuan(n: number): string {
  const [int = '0', dec = '00'] = Math.abs(n).toFixed(2).split('.');
  return `${n < 0 ? '-' : ''}¥${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}
