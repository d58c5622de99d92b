// Real registries for the workflow tests: created by the built CLI, staffed and filled through the store, read back with exceljs.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import {
  REVIEW_DEPARTMENT_NAMES,
  projectsSheet,
  readSettings,
  reviewLogSheet,
  writeSettings,
  type ReviewDepartment,
  type Settings,
  type SheetSpec,
} from '../../core/index.js';
import { SAMPLE_APPROVERS, SAMPLE_OFFICE, SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../../sync/src/demo/sample-data.js';
import { addRecords, type NewProject } from '../../sync/src/ops/records.js';
import { applyWorkflowToData, type WorkflowRequest } from '../../sync/src/ops/workflow.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir, type CliResult } from '../helpers/cli.js';

export { SAMPLE_APPROVERS, SAMPLE_OFFICE };
export const APPLICANT = 'shukong@zqlg.example.edu.cn';
export const STRANGER = 'visitor@example.com';
/** COOP_NOW of tests/helpers/cli.ts, in school time. */
export const STAMP = '2026-11-24 10:00:00';
export const TODAY = '2026-11-24';

export function sample(title: string): NewProject {
  const p = SAMPLE_PROJECTS.find((s) => s.title?.includes(title));
  if (!p) throw new Error(`no sample project ${title}`);
  return { ...p };
}

/**
 * A registry made by `coop init`, its 设置 staffed with the demo approvers and office, holding the
 * sample partners and the given projects as drafts (HZ2026-001, -002, … in order).
 */
export async function registryWith(
  projects: NewProject[],
  configure: (settings: Settings) => void = () => {},
): Promise<{ dir: string; path: string; run: (args: string[], env?: Record<string, string>) => CliResult }> {
  const dir = tempDir('coop-workflow-');
  const path = join(dir, 'registry.xlsx');
  const init = coop(['init', '--registry', path]);
  expect(init.code, init.stderr).toBe(0);
  await new XlsxRegistryStore(path).update((data) => {
    const { settings } = readSettings(data);
    for (const [department, email] of Object.entries(SAMPLE_APPROVERS)) settings.approvers[department as ReviewDepartment] = [email];
    settings.officeStaff = [SAMPLE_OFFICE];
    configure(settings);
    writeSettings(data, settings);
    addRecords(data, SAMPLE_PARTNERS, projects, new Date('2026-11-20T02:00:00Z'));
    return { result: undefined, write: true };
  });
  const run = (args: string[], env: Record<string, string> = {}) => coop([...args, '--registry', path], { env });
  return { dir, path, run };
}

export function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A sheet's rows read straight with exceljs by header text, as plain values keyed by schema key. */
export async function readSheet(path: string, sheet: SheetSpec): Promise<Record<string, unknown>[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const ws = workbook.getWorksheet(sheet.name)!;
  const keyByColumn = new Map<number, string>();
  ws.getRow(1).eachCell((cell, col) => {
    const column = sheet.columns.find((c) => c.header === cell.value);
    if (column) keyByColumn.set(col, column.key);
  });
  const rows: Record<string, unknown>[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (!row.hasValues) continue;
    const out: Record<string, unknown> = {};
    for (const [col, key] of keyByColumn) {
      const v = row.getCell(col).value;
      out[key] = v instanceof Date ? v.toISOString().slice(0, 10) : (v ?? null);
    }
    if (Object.values(out).some((v) => v !== null && v !== false)) rows.push(out);
  }
  return rows;
}

/** 审批记录's rows without the integrity columns (执行账户, 签名, 校验值), which vary by machine and by run. */
export const readLog = async (path: string) => (await readSheet(path, reviewLogSheet)).map(({ operator: _o, signature: _s, hash: _h, ...rest }) => rest);
/** 审批记录's rows with every column. */
export const readFullLog = (path: string) => readSheet(path, reviewLogSheet);

export async function readProject(path: string, projectId: string): Promise<Record<string, unknown>> {
  const row = (await readSheet(path, projectsSheet)).find((r) => r.projectId === projectId);
  if (!row) throw new Error(`no project ${projectId} in ${path}`);
  return row;
}

/** Writes one cell of a project row with exceljs, as someone editing the workbook by hand would. */
export async function typeIntoProject(path: string, projectId: string, header: string, value: ExcelJS.CellValue): Promise<number> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const ws = workbook.getWorksheet(projectsSheet.name)!;
  let idCol = 0;
  let targetCol = 0;
  ws.getRow(1).eachCell((cell, col) => {
    if (cell.value === '项目编号') idCol = col;
    if (cell.value === header) targetCol = col;
  });
  for (let r = 2; r <= ws.rowCount; r++) {
    if (ws.getRow(r).getCell(idCol).value === projectId) {
      ws.getRow(r).getCell(targetCol).value = value;
      await workbook.xlsx.writeFile(path);
      return r;
    }
  }
  throw new Error(`no project ${projectId}`);
}

/** Steps that merely set the scene, applied in-process through the same op (one write), to keep CLI runs for what is under test. */
export async function advance(
  path: string,
  projectId: string,
  steps: [actor: string, request: WorkflowRequest][],
  now = new Date('2026-11-24T02:00:00Z'),
): Promise<void> {
  await new XlsxRegistryStore(path).update((data) => {
    for (const [actor, request] of steps) {
      const outcome = applyWorkflowToData(data, [projectId], request, actor, now);
      if (!outcome.ok) throw new Error(`${projectId} ${request.type}: ${outcome.refusals[0]!.message}`);
    }
    return { result: undefined, write: true };
  });
}

export const SUBMITTED: [string, WorkflowRequest][] = [[APPLICANT, { type: 'submit' }]];
export const REVIEWED: [string, WorkflowRequest][] = [
  ...SUBMITTED,
  ...REVIEW_DEPARTMENT_NAMES.map((department): [string, WorkflowRequest] => [SAMPLE_APPROVERS[department], { type: 'tick', department }]),
];
export const APPROVED: [string, WorkflowRequest][] = [
  ...REVIEWED,
  [SAMPLE_OFFICE, { type: 'meeting', body: '校长办公会', decision: '通过', minutes: '校办〔2026〕1号' }],
  [SAMPLE_OFFICE, { type: 'meeting', body: '党委会', decision: '通过', minutes: '党委〔2026〕1号' }],
];
