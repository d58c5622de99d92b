// Valid sample rows for core tests, built from the demo's sample data so the two never disagree.
import {
  REVIEW_DEPARTMENT_NAMES,
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
