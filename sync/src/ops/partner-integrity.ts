/** Changing a partner's 诚信状况 (第六条（一）): the office's decision, with a reason, logged in 审批记录; never an import's. */
import {
  partnerFromCells,
  CoopError,
  appendLogEntries,
  INTEGRITY_LEVELS,
  canonicalOption,
  findPartner,
  integrityChange,
  readSettings,
  suggestOption,
  type ReviewLogRow,
} from '../../../core/index.js';
import { IMPORT_TEXT as T } from '../excel/text.js';
import type { RegistryStore } from '../stores/store.js';
import { localOperator } from './operator.js';
import { requireActor, requireIntactLog } from './workflow.js';

export interface IntegrityResult {
  partnerId: string;
  name: string;
  from: string;
  to: string;
  log: ReviewLogRow;
}

/** Sets one partner's 诚信状况 as the office member `actor`, in one locked write with its 诚信状况变更 entry. */
export async function changeIntegrity(
  store: RegistryStore,
  partnerRef: string,
  level: string,
  reason: string,
  actor: string | undefined,
  now: Date,
): Promise<IntegrityResult> {
  const who = requireActor(actor);
  const wanted = canonicalOption(level.trim(), INTEGRITY_LEVELS);
  if (!(INTEGRITY_LEVELS as readonly string[]).includes(wanted)) {
    const hint = suggestOption(level, INTEGRITY_LEVELS);
    throw new CoopError('USAGE', T.integrityLevel(level, INTEGRITY_LEVELS, hint));
  }
  const operator = localOperator();
  return store.update((data) => {
    // Like every workflow step: never act on a history that may be false.
    requireIntactLog(data);
    const partner = findPartner(data, partnerRef.trim().toUpperCase()) ?? findPartner(data, partnerRef.trim());
    if (!partner) throw new CoopError('NOT_FOUND', T.partnerNotFound(partnerRef));
    const { settings } = readSettings(data);
    const from = String(partner.cells.integrity ?? '');
    const change = integrityChange(partnerFromCells(partner.cells), wanted, reason, { settings, actor: who, now, operator });
    if (!change.ok) throw new CoopError('WORKFLOW_REFUSED', change.message);
    partner.cells.integrity = wanted;
    // Sealed into the hash chain like every other 审批记录 row (appendLogEntries appends it to the log).
    const [log] = appendLogEntries(data.reviewLog, [change.log]);
    return { result: { partnerId: String(partner.cells.partnerId), name: String(partner.cells.name), from, to: wanted, log: log! }, write: true };
  });
}
