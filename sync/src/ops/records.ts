/** Adding partners and projects to a registry: IDs from the allocator, counters recorded, derived columns set. */
import {
  IdAllocator,
  emptyRow,
  findPartner,
  newProject,
  partnersSheet,
  projectsSheet,
  readSettings,
  writeCounters,
  type PartnerRow,
  type ProjectRow,
  type RawCells,
  type RegistryData,
} from '../../../core/index.js';

export function allocatorFor(data: RegistryData): IdAllocator {
  const { settings } = readSettings(data);
  const existing = [...data.partners.map((r) => String(r.cells.partnerId ?? '')), ...data.projects.map((r) => String(r.cells.projectId ?? ''))];
  return new IdAllocator(settings.counters, existing);
}

export interface NewProject extends Partial<Omit<ProjectRow, 'projectId'>> {
  /** The partner, by ID or by name. */
  partnerId?: string | null;
  partnerName?: string | null;
}

/**
 * Registers new partners and projects as drafts: assigns IDs (never reused), resolves each
 * project's partner by ID or name, stamps the time, and records the ID counters in 设置.
 */
export function addRecords(
  data: RegistryData,
  partners: readonly Partial<Omit<PartnerRow, 'partnerId'>>[],
  projects: readonly NewProject[],
  now: Date,
): { partnerIds: string[]; projectIds: string[] } {
  const ids = allocatorFor(data);
  const partnerIds = partners.map((p) => {
    const partnerId = ids.partner();
    data.partners.push({ cells: { ...emptyRow(partnersSheet), ...p, partnerId } as RawCells });
    return partnerId;
  });
  const projectIds = projects.map((p) => {
    const fresh = newProject(ids, now);
    const partner = findPartner(data, String(p.partnerId ?? p.partnerName ?? ''));
    const cells = {
      ...emptyRow(projectsSheet),
      ...p,
      ...fresh,
      partnerId: partner?.cells.partnerId ?? p.partnerId ?? null,
      partnerName: partner?.cells.name ?? null,
    };
    data.projects.push({ cells: cells as RawCells });
    return fresh.projectId;
  });
  writeCounters(data, ids.counters);
  return { partnerIds, projectIds };
}
