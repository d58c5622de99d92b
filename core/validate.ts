/** Validation of a whole registry: every row by its sheet's rules, then the rules that span rows and sheets. */
import { checkLog } from './log-chain.js';
import { signatureProblems } from './log-keys.js';
import { loggedStatesOf } from './derive.js';
import { schoolDate, type CalendarDate } from './dates.js';
import { cellAgreesWithLog, loggedCells } from './workflow.js';
import { LOG_CHAIN_TEXT, LOG_CHECK_TEXT as L } from './log-text.js';
import { RULE_TEXT as R } from './messages.js';
import { naturalKeyOf, parseRow, type Problem } from './rows.js';
import { REGISTRY_SHEETS, REVIEW_COLUMNS, columnOf, reviewLogSheet, sheetSpec, type SheetKey, type SheetSpec } from './schema.js';
import { readSettings, type RegistryData, type RegistryRow } from './registry.js';
import { normalizeName } from './rules.js';
import { mayRecord, type Settings } from './settings.js';

export interface ValidationReport {
  settings: Settings;
  problems: Problem[];
  rowsChecked: number;
}

function at(sheet: SheetSpec, row: RegistryRow, key: string, rule: string, message: string): Problem {
  const column = sheet.columns.find((c) => c.key === key);
  return {
    sheet: sheet.name,
    ...(row.sheetRow === undefined ? {} : { row: row.sheetRow }),
    ...(column ? { column: column.header, value: row.cells[key] ?? null } : {}),
    rule,
    message,
  };
}

/** Flags values that must be unique in a column (IDs; partner names after normalisation). */
function checkUnique(sheet: SheetSpec, rows: RegistryRow[], key: string, normalize: (v: string) => string, message: (other: string) => string): Problem[] {
  const seen = new Map<string, RegistryRow>();
  const problems: Problem[] = [];
  for (const row of rows) {
    const value = row.cells[key];
    if (value === null || value === undefined || value === '') continue;
    const norm = normalize(String(value));
    const first = seen.get(norm);
    if (first) problems.push(at(sheet, row, key, '唯一', message(R.row(first.sheetRow))));
    else seen.set(norm, row);
  }
  return problems;
}

/** Flags references to rows that do not exist. */
function checkRefs(sheet: SheetSpec, rows: RegistryRow[], key: string, ids: Set<string>, targetName: string): Problem[] {
  return rows
    .filter((r) => r.cells[key] !== null && r.cells[key] !== undefined && r.cells[key] !== '' && !ids.has(String(r.cells[key])))
    .map((r) => at(sheet, r, key, '引用', R.ref(targetName, String(r.cells[key]))));
}

/** What a second row with the same natural key is told (SheetSpec.naturalKey.unique). */
const DUPLICATE_TEXT: Partial<Record<SheetKey, (cells: RegistryRow['cells']) => string>> = {
  evaluations: (cells) => R.evaluationDuplicate(String(cells.projectId), Number(cells.year)),
};

/** Flags a second row with the same natural key; the problem sits on the key's last column. */
function checkNaturalKey(sheet: SheetSpec, rows: RegistryRow[]): Problem[] {
  const columns = sheet.naturalKey?.columns ?? [];
  const seen = new Map<string, RegistryRow>();
  const problems: Problem[] = [];
  for (const row of rows) {
    const key = naturalKeyOf(sheet, row.cells);
    if (!key) continue;
    const first = seen.get(key);
    if (first) problems.push(at(sheet, row, columns[columns.length - 1]!, '唯一', DUPLICATE_TEXT[sheet.key]?.(row.cells) ?? R.uniqueId(R.row(first.sheetRow))));
    else seen.set(key, row);
  }
  return problems;
}

/**
 * The rules the column declarations of core/schema.ts state across rows: `unique` columns, `ref` references (`or`: a
 * second sheet the value may name instead), and natural keys declared `unique`. The schema, not this code, says where.
 */
export function crossRowProblems(data: RegistryData): Problem[] {
  const problems: Problem[] = [];
  const idsIn = (ref: { sheet: SheetKey; key: string }) => data[ref.sheet].map((r) => String(r.cells[ref.key] ?? ''));
  for (const sheet of REGISTRY_SHEETS as readonly SheetSpec[]) {
    const rows = data[sheet.key];
    for (const column of sheet.columns) {
      if (column.unique)
        problems.push(
          ...(column.unique === 'normalized'
            ? checkUnique(sheet, rows, column.key, normalizeName, R.uniqueName)
            : checkUnique(sheet, rows, column.key, (v) => v.trim(), R.uniqueId)),
        );
      const ref = column.ref;
      // A sheet without rows has no reference to check (the set of every referenced ID is not built for nothing).
      if (ref && rows.length)
        problems.push(...checkRefs(sheet, rows, column.key, new Set([...idsIn(ref), ...(ref.or ? idsIn(ref.or) : [])]), sheetSpec(ref.sheet).name));
    }
    if (sheet.naturalKey?.unique) problems.push(...checkNaturalKey(sheet, rows));
  }
  return problems;
}

export function validateRegistry(data: RegistryData, today: CalendarDate = schoolDate(new Date())): ValidationReport {
  const { settings, problems: settingsProblems } = readSettings(data);
  const problems: Problem[] = settingsProblems.map((p) => ({
    sheet: sheetSpec('settings').name,
    ...(data.settings[p.index]?.sheetRow === undefined ? {} : { row: data.settings[p.index]!.sheetRow! }),
    rule: '设置',
    message: p.message,
  }));
  let rowsChecked = 0;
  for (const sheet of REGISTRY_SHEETS) {
    if (sheet.key === 'settings') continue;
    for (const row of data[sheet.key]) {
      rowsChecked++;
      const result = parseRow(sheet, row.cells, settings, row.sheetRow);
      if (!result.ok) problems.push(...result.problems);
    }
  }

  problems.push(...crossRowProblems(data));
  problems.push(...chainProblems(data), ...signatureProblems(data.reviewLog, settings, sheetSpec('reviewLog').name), ...logDisagreements(data, today));
  return { settings, problems, rowsChecked };
}

/** The first broken link of 审批记录's chain, as a problem naming its row. */
export function chainProblems(data: RegistryData): Problem[] {
  const report = checkLog(data.reviewLog);
  if (report.ok || !report.break) return unentitledProblems(data, report.unvouched);
  return [
    {
      sheet: sheetSpec('reviewLog').name,
      ...(report.break.sheetRow === undefined ? {} : { row: report.break.sheetRow }),
      column: columnOf(reviewLogSheet, 'hash').header,
      rule: '校验链',
      message: `${report.break.message}。${L.advice}`,
    },
  ];
}

/** Rows of a shared log no verification vouched for whose actor could not have written them (they do not count). */
function unentitledProblems(data: RegistryData, unvouched: readonly number[]): Problem[] {
  const { settings } = readSettings(data);
  return unvouched.flatMap((i) => {
    const { cells, sheetRow } = data.reviewLog[i]!;
    if (mayRecord(settings, cells)) return [];
    const [actor, action, body] = [cells.actor, cells.action, cells.body].map((v) => String(v ?? ''));
    return [
      {
        sheet: sheetSpec('reviewLog').name,
        row: sheetRow ?? i + 2,
        column: columnOf(reviewLogSheet, 'actor').header,
        value: cells.actor ?? null,
        rule: '校验链',
        message: LOG_CHAIN_TEXT.notEntitled(sheetRow, i, actor!, action!, body!),
      },
    ];
  });
}

/**
 * Every cell the log decides (status, review ticks, meetings, signing) whose typed value differs from what
 * 审批记录 records, naming the typed and the logged value. Blank cells are not disagreements.
 */
export function logDisagreements(data: RegistryData, today: CalendarDate): Problem[] {
  const projects = sheetSpec('projects');
  const logged = loggedStatesOf(data);
  const problems: Problem[] = [];
  const shown = (v: unknown) =>
    v === true || v === 'TRUE' ? '已勾选' : v === false || v === 'FALSE' || v === null || v === undefined || v === '' ? '空' : String(v);
  for (const row of data.projects) {
    const expected = loggedCells(logged.get(String(row.cells.projectId ?? '')), row.cells.endDate, today);
    for (const [key, value] of Object.entries(expected)) {
      const typed = row.cells[key];
      if (cellAgreesWithLog(key, typed, value)) continue;
      const column = projects.columns.find((c) => c.key === key);
      const rule = REVIEW_COLUMNS.some((c) => c.key === key) && (typed === true || typed === 'TRUE') ? '未登记的审查' : '与审批记录不符';
      problems.push(
        at(projects, row, key, rule, rule === '未登记的审查' ? R.unregisteredTick : L.disagrees(column?.header ?? key, shown(typed), shown(value))),
      );
    }
    const state = logged.get(String(row.cells.projectId ?? ''));
    if (!state?.signedAt) {
      for (const key of ['signedAt'] as const) {
        const typed = row.cells[key];
        if (typed !== null && typed !== undefined && typed !== '')
          problems.push(
            at(projects, row, key, '与审批记录不符', L.disagrees(sheetSpec('projects').columns.find((c) => c.key === key)!.header, shown(typed), L.notSigned)),
          );
      }
    }
  }
  return problems;
}

/** Ticks typed into review columns with no 审批记录 entry behind them do not count, and are reported. */
export function unregisteredTicks(data: RegistryData, today: CalendarDate = schoolDate(new Date())): Problem[] {
  return logDisagreements(data, today).filter((p) => p.rule === '未登记的审查');
}
