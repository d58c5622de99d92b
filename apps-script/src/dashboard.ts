/**
 * The 统计看板 sheet: the core dashboard tables (the figures of `coop status`) written in one batch, and three
 * Sheets charts found by title and updated in place, so a rebuild costs a fixed number of calls whatever the rows.
 */
import {
  DASHBOARD_TEXT,
  dashboardTables,
  deriveColumns,
  emptyRegistry,
  schoolDate,
  summarize,
  type CalendarDate,
  type DashboardTable,
  type RegistryData,
  type Settings,
} from '../../core/index.js';
import { readLogRows } from './log.js';
import { freshSettings, readSheet, tableRows } from './registry.js';
import { toSheet } from './table.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const MONEY_FORMAT = '"¥"#,##0.00';
/** Charts sit right of the widest table (status × category: 11 columns) with a gap column. */
const CHART_COLUMN = 13;
const CHART_ROW_STEP = 20;

/** The registry as the core reports need it, read in one batch per sheet. */
export function readForReports(ss: Spreadsheet, today: CalendarDate): { data: RegistryData; settings: Settings } {
  const fresh = freshSettings(ss);
  const { settings } = fresh.parsed;
  const data = emptyRegistry();
  data.settings = tableRows(fresh.table);
  data.projects = tableRows(readSheet(ss, 'projects'));
  data.reviewLog = readLogRows(ss);
  data.evaluations = tableRows(readSheet(ss, 'evaluations'));
  // Statuses as 审批记录 vouches for them, never as typed into the 状态 cells: the same derivation coop status uses.
  deriveColumns(data, today);
  return { data, settings };
}

interface Placed {
  table: DashboardTable;
  /** 1-based row of the table's header. */
  headerRow: number;
}

/** Lays the tables out one under another: a title row, the header, the rows (or 「无」), a blank row. */
function layout(
  tables: DashboardTable[],
  school: string,
  today: string,
): { grid: unknown[][]; bold: boolean[]; placed: Placed[]; money: { row: number; col: number }[] } {
  const width = Math.max(...tables.map((t) => t.header.length));
  // Every text cell goes through the sheet's escaping: category, department and school names come from people.
  const pad = (cells: unknown[]) => [
    ...cells.map((v) => (typeof v === 'string' ? toSheet(v, undefined) : v)),
    ...Array.from({ length: width - cells.length }, () => ''),
  ];
  const grid: unknown[][] = [pad([DASHBOARD_TEXT.title(school)]), pad([DASHBOARD_TEXT.asOf(today)]), pad([])];
  const bold = [true, false, false];
  const placed: Placed[] = [];
  const money: { row: number; col: number }[] = [];
  for (const table of tables) {
    grid.push(pad([table.title]));
    bold.push(true);
    placed.push({ table, headerRow: grid.length + 1 });
    grid.push(pad(table.header));
    bold.push(true);
    if (!table.rows.length) {
      grid.push(pad([table.empty ?? DASHBOARD_TEXT.none]));
      bold.push(false);
    }
    for (const row of table.rows) {
      grid.push(pad(row));
      bold.push(false);
      for (const col of table.moneyColumns ?? []) money.push({ row: grid.length, col: col + 1 });
    }
    grid.push(pad([]));
    bold.push(false);
  }
  return { grid, bold, placed, money };
}

/** Rebuilds 统计看板; returns the charts placed and how many of them had to be created (none once they exist). */
export function rebuildDashboard(ss: Spreadsheet, now: Date): { charts: number; created: number } {
  const today = schoolDate(now);
  const { data, settings } = readForReports(ss, today);
  const tables = dashboardTables(summarize(data, settings, today));
  const sheet = ss.getSheetByName(DASHBOARD_TEXT.sheetName) ?? ss.insertSheet(DASHBOARD_TEXT.sheetName);
  const { grid, bold, placed, money } = layout(tables, settings.schoolName, today);
  const width = grid[0]!.length;
  // Values and formats go; charts stay, so they keep any styling the office gave them.
  sheet.clear();
  if (sheet.getMaxRows() < grid.length) sheet.insertRowsAfter(sheet.getMaxRows(), grid.length - sheet.getMaxRows());
  const range = sheet.getRange(1, 1, grid.length, width);
  range.setValues(grid);
  range.setFontWeights(grid.map((_, i) => Array.from({ length: width }, () => (bold[i] ? 'bold' : 'normal'))));
  const formats = grid.map(() => Array.from({ length: width }, () => 'General'));
  for (const m of money) formats[m.row - 1]![m.col - 1] = MONEY_FORMAT;
  range.setNumberFormats(formats);
  return placeCharts(sheet, placed);
}

function placeCharts(sheet: Sheet, placed: Placed[]): { charts: number; created: number } {
  const existing = new Map<string, GoogleAppsScript.Spreadsheet.EmbeddedChart>();
  for (const chart of sheet.getCharts()) {
    const title = chart.getOptions().get('title');
    if (typeof title === 'string' && !existing.has(title)) existing.set(title, chart);
  }
  let created = 0;
  let charts = 0;
  for (const { table, headerRow } of placed) {
    const intent = table.chart;
    if (!intent) continue;
    const rows = Math.max(1, table.rows.length) + 1;
    const source = sheet.getRange(headerRow, 1, rows, intent.columns);
    const row = 1 + charts * CHART_ROW_STEP;
    charts++;
    const old = existing.get(intent.title);
    if (old) {
      // Only the data moves: where the office put the chart, and how it styled it, stay.
      sheet.updateChart(old.modify().clearRanges().addRange(source).build());
      continue;
    }
    const builder = sheet.newChart();
    const typed = intent.kind === 'line' ? builder.asLineChart().setTitle(intent.title) : builder.asBarChart().setTitle(intent.title);
    if (intent.kind === 'stackedBar') (typed as GoogleAppsScript.Spreadsheet.EmbeddedBarChartBuilder).setStacked();
    sheet.insertChart(typed.addRange(source).setNumHeaders(1).setPosition(row, CHART_COLUMN, 0, 0).build());
    created++;
  }
  return { charts, created };
}
