/** `coop renew`'s operation: a draft renewing an agreement, with the next ID and 前序项目 set, written atomically. */
import {
  CoopError,
  IdAllocator,
  dateParts,
  deriveColumns,
  readSettings,
  renewalDraft,
  schoolDate,
  schoolTimestamp,
  writeCounters,
} from '../../../core/index.js';
import type { RegistryStore } from '../stores/store.js';

export interface Renewal {
  from: string;
  projectId: string;
  startDate: string;
  endDate: string;
}

export async function renewProject(store: RegistryStore, projectId: string, now: Date): Promise<Renewal> {
  return store.update((data) => {
    const today = schoolDate(now);
    const draft = renewalDraft(data, projectId, today, schoolTimestamp(now));
    if (!draft.ok) throw new CoopError(draft.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'WORKFLOW_REFUSED', draft.message);
    const { settings } = readSettings(data);
    const ids = new IdAllocator(settings.counters, [
      ...data.partners.map((r) => String(r.cells.partnerId ?? '')),
      ...data.projects.map((r) => String(r.cells.projectId ?? '')),
    ]);
    const id = ids.project(dateParts(today).year);
    data.projects.push({ cells: { ...draft.cells, projectId: id } });
    writeCounters(data, ids.counters);
    deriveColumns(data, today);
    return { result: { from: String(draft.cells.predecessor), projectId: id, startDate: draft.startDate, endDate: draft.endDate }, write: true };
  });
}
