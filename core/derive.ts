/** Columns the system derives rather than anyone typing them: the partner name beside its ID, expiry from the end date. */
import type { CalendarDate } from './dates.js';
import type { RegistryData } from './registry.js';
import { normalizeName } from './rules.js';
import { effectiveStatus } from './workflow.js';

export function deriveColumns(data: RegistryData, today: CalendarDate): void {
  const names = new Map(data.partners.map((p) => [String(p.cells.partnerId ?? ''), p.cells.name ?? null]));
  for (const { cells } of data.projects) {
    const name = names.get(String(cells.partnerId ?? '')) ?? null;
    if (cells.partnerName !== name) cells.partnerName = name;
    if (cells.status === '已生效') cells.status = effectiveStatus(cells as never, today);
  }
}

/** Finds a partner by ID, or by its name after normalisation (trim, full/half-width brackets). */
export function findPartner(data: RegistryData, idOrName: string): RegistryData['partners'][number] | undefined {
  const byId = data.partners.find((p) => p.cells.partnerId === idOrName);
  if (byId) return byId;
  const wanted = normalizeName(idOrName);
  return data.partners.find((p) => typeof p.cells.name === 'string' && normalizeName(p.cells.name) === wanted);
}
