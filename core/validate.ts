/** Validation of a whole registry: every row by its sheet's rules, then the rules that span rows and sheets. */
import { loggedReviews } from './workflow.js';
import { RULE_TEXT as R } from './messages.js';
import { parseRow, type Problem } from './rows.js';
import { REGISTRY_SHEETS, REVIEW_COLUMNS, sheetSpec, type SheetKey, type SheetSpec } from './schema.js';
import { readSettings, type RegistryData, type RegistryRow } from './registry.js';
import { normalizeName } from './rules.js';
import type { Settings } from './settings.js';

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

function checkRefs(sheet: SheetSpec, rows: RegistryRow[], key: string, target: SheetKey, ids: Set<string>): Problem[] {
  const targetName = sheetSpec(target).name;
  return rows
    .filter((r) => r.cells[key] !== null && r.cells[key] !== undefined && r.cells[key] !== '' && !ids.has(String(r.cells[key])))
    .map((r) => at(sheet, r, key, '引用', R.ref(targetName, String(r.cells[key]))));
}

export function validateRegistry(data: RegistryData): ValidationReport {
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

  const partners = sheetSpec('partners');
  const projects = sheetSpec('projects');
  problems.push(
    ...checkUnique(partners, data.partners, 'partnerId', (v) => v, R.uniqueId),
    ...checkUnique(partners, data.partners, 'name', normalizeName, R.uniqueName),
    ...checkUnique(projects, data.projects, 'projectId', (v) => v, R.uniqueId),
  );
  const partnerIds = new Set(data.partners.map((r) => String(r.cells.partnerId ?? '')));
  const projectIds = new Set(data.projects.map((r) => String(r.cells.projectId ?? '')));
  problems.push(...checkRefs(projects, data.projects, 'partnerId', 'partners', partnerIds));
  for (const key of ['evaluations', 'outcomes'] as const) {
    problems.push(...checkRefs(sheetSpec(key), data[key], 'projectId', 'projects', projectIds));
  }
  // A 诚信状况变更 entry names a partner where other entries name a project.
  problems.push(...checkRefs(sheetSpec('reviewLog'), data.reviewLog, 'projectId', 'projects', new Set([...projectIds, ...partnerIds])));

  const evaluations = sheetSpec('evaluations');
  const evaluationKeys = new Set<string>();
  for (const row of data.evaluations) {
    const key = `${row.cells.projectId}|${row.cells.year}`;
    if (evaluationKeys.has(key)) problems.push(at(evaluations, row, 'year', '唯一', R.evaluationDuplicate(String(row.cells.projectId), Number(row.cells.year))));
    evaluationKeys.add(key);
  }

  problems.push(...unregisteredTicks(data));
  return { settings, problems, rowsChecked };
}

/** Ticks typed into review columns with no 审批记录 entry behind them do not count, and are reported. */
export function unregisteredTicks(data: RegistryData): Problem[] {
  const projects = sheetSpec('projects');
  const vouchedByProject = loggedReviews(data.reviewLog.map((r) => r.cells) as never);
  const problems: Problem[] = [];
  for (const row of data.projects) {
    const vouched = vouchedByProject.get(String(row.cells.projectId ?? '')) ?? new Set();
    for (const column of REVIEW_COLUMNS) {
      const value = row.cells[column.key];
      if ((value === true || value === 'TRUE') && !vouched.has(column.reviewDepartment)) {
        problems.push(at(projects, row, column.key, '未登记的审查', R.unregisteredTick));
      }
    }
  }
  return problems;
}
