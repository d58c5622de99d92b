/** Validation of a whole registry: every row by its sheet's rules, then the rules that span rows and sheets. */
import { checkLog } from './log-chain.js';
import { signatureProblems } from './log-keys.js';
import { loggedStatesOf } from './derive.js';
import { schoolDate, type CalendarDate } from './dates.js';
import { cellAgreesWithLog, loggedCells } from './workflow.js';
import { LOG_CHAIN_TEXT, LOG_CHECK_TEXT as L } from './log-text.js';
import { RULE_TEXT as R } from './messages.js';
import { parseRow, type Problem } from './rows.js';
import { REGISTRY_SHEETS, REVIEW_COLUMNS, sheetSpec, type SheetKey, type SheetSpec } from './schema.js';
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

function checkRefs(sheet: SheetSpec, rows: RegistryRow[], key: string, target: SheetKey, ids: Set<string>): Problem[] {
  const targetName = sheetSpec(target).name;
  return rows
    .filter((r) => r.cells[key] !== null && r.cells[key] !== undefined && r.cells[key] !== '' && !ids.has(String(r.cells[key])))
    .map((r) => at(sheet, r, key, '引用', R.ref(targetName, String(r.cells[key]))));
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
    if (evaluationKeys.has(key))
      problems.push(at(evaluations, row, 'year', '唯一', R.evaluationDuplicate(String(row.cells.projectId), Number(row.cells.year))));
    evaluationKeys.add(key);
  }

  problems.push(...checkUnique(projects, data.projects, 'agreementNo', (v) => v.trim(), R.uniqueId));
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
      column: '校验值',
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
        column: '操作人',
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
