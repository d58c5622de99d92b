// Valid sample rows for core tests, built from the demo's sample data so the two never disagree.
import {
  REVIEW_DEPARTMENT_NAMES,
  appendLogEntries,
  defaultSettings,
  emptyRegistry,
  emptyRow,
  partnersSheet,
  projectsSheet,
  writeSettings,
  type PartnerRow,
  type ProjectRow,
  type RawCells,
  type RegistryData,
  type ReviewLogRow,
  type Settings,
} from '../../core/index.js';
import { SAMPLE_APPROVERS, SAMPLE_OFFICE, SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../../sync/src/demo/sample-data.js';

export function demoSettings(): Settings {
  const settings = defaultSettings();
  for (const d of REVIEW_DEPARTMENT_NAMES) settings.approvers[d] = [SAMPLE_APPROVERS[d]];
  settings.officeStaff = [SAMPLE_OFFICE];
  return settings;
}

export function partner(overrides: Partial<PartnerRow> = {}): PartnerRow {
  return { ...emptyRow(partnersSheet), ...SAMPLE_PARTNERS[0]!, partnerId: 'P0001', ...overrides };
}

export function project(overrides: Partial<ProjectRow> = {}): ProjectRow {
  const { partnerName: _ignored, ...sample } = SAMPLE_PROJECTS[0]!;
  return {
    ...emptyRow(projectsSheet),
    ...sample,
    projectId: 'HZ2026-001',
    partnerId: 'P0001',
    partnerName: SAMPLE_PARTNERS[0]!.name,
    status: '草稿',
    ...overrides,
  };
}

/** A registry with the given rows at sheet rows 2, 3, … */
export function registry(partners: PartnerRow[], projects: ProjectRow[], settings = demoSettings()): RegistryData {
  const data = emptyRegistry();
  writeSettings(data, settings);
  data.partners = partners.map((p, i) => ({ cells: { ...p } as RawCells, sheetRow: i + 2 }));
  data.projects = projects.map((p, i) => ({ cells: { ...p } as RawCells, sheetRow: i + 2 }));
  return data;
}

/**
 * A registry whose 审批记录 vouches for each project's typed 状态 (one sealed row per project past 草稿), as the
 * workflow would have left it: only a verified log decides a status, so reports read these.
 */
export function vouchedRegistry(partners: PartnerRow[], projects: ProjectRow[], settings = demoSettings()): RegistryData {
  const data = registry(partners, projects, settings);
  const entries = projects
    .filter((p) => p.status && p.status !== '草稿')
    .map((p) => {
      const signed = p.status === '已生效' || p.status === '已到期';
      return {
        time: '2024-01-01 09:00:00',
        projectId: p.projectId,
        body: signed ? '合作交流处' : null,
        actor: SAMPLE_OFFICE,
        action: signed ? '签署' : '提交',
        fromStatus: null,
        toStatus: p.status,
        remark: signed ? `协议编号 ZQLG-HZ-${p.projectId}，签署日期 ${p.signedAt ?? '2024-01-01'}` : null,
      } as unknown as ReviewLogRow;
    });
  appendLogEntries(data.reviewLog, entries);
  return data;
}

/** Appends rows to 审批记录 as the system does: sealed into the hash chain. */
export function sealLog(data: RegistryData, ...rows: { cells: RawCells }[]): void {
  appendLogEntries(
    data.reviewLog,
    rows.map((r) => r.cells as unknown as ReviewLogRow),
  );
}
