/** `coop log` as operations: verify 审批记录's chain against its anchor, and the office's repair (日志更正). */
import {
  CoopError,
  LOG_CHAIN_TEXT,
  attachedAnchor,
  checkLog,
  isOfficeStaff,
  readSettings,
  repairChain,
  schoolTimestamp,
  type ChainReport,
  verifyChain,
  type ReviewLogRow,
} from '../../../core/index.js';
import type { RegistryStore } from '../stores/store.js';
import { localOperator } from './operator.js';
import { requireActor } from './workflow.js';

/** Hashes the whole log every time: what everyday steps take from a cache, the explicit check never does. */
export async function verifyLog(store: RegistryStore): Promise<ChainReport> {
  const log = (await store.read()).reviewLog;
  const attached = attachedAnchor(log);
  return verifyChain(log, attached?.anchor, attached?.where ?? '');
}

export interface RepairResult {
  found: string;
  entry: ReviewLogRow;
  /** Sheet rows the repair took out of the count. */
  excluded: number[];
}

/**
 * Re-seals the log as it stands and appends a 日志更正 entry (office only). Rows that broke the chain stop
 * counting unless `keep` says the office checked them and vouches for them. Nothing is deleted.
 */
export async function repairLog(store: RegistryStore, reason: string, actor: string | undefined, now: Date, keep: boolean): Promise<RepairResult> {
  const who = requireActor(actor);
  if (!reason.trim()) throw new CoopError('USAGE', LOG_CHAIN_TEXT.repairReasonRequired);
  return store.update((data) => {
    const { settings } = readSettings(data);
    if (!isOfficeStaff(settings, who)) throw new CoopError('WORKFLOW_REFUSED', LOG_CHAIN_TEXT.repairOfficeOnly(who));
    const report = checkLog(data.reviewLog);
    if (report.ok) throw new CoopError('WORKFLOW_REFUSED', LOG_CHAIN_TEXT.nothingToRepair);
    const excluded = keep ? [] : report.badRows.map((i) => data.reviewLog[i]!.sheetRow ?? i + 2);
    const entry = repairChain(
      data.reviewLog,
      {
        time: schoolTimestamp(now),
        projectId: null,
        body: '合作交流处',
        actor: who,
        action: '日志更正',
        fromStatus: null,
        toStatus: null,
        remark: reason.trim(),
        operator: localOperator(),
        signature: null,
        hash: null,
      },
      report,
      keep,
    );
    return { result: { found: report.break?.message ?? '', entry, excluded }, write: true };
  });
}
