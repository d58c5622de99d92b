/**
 * Applies workflow events (第十五条) to a registry: the core state machine decides, this op reads the
 * project as 审批记录 vouches for it, writes the patch and the log entries atomically, and on a refusal
 * writes nothing but the 越权尝试 entry a trespass leaves.
 */
import {
  CoopError,
  LOG_CHAIN_TEXT,
  agreementHolders,
  allowedActions,
  appendLogEntries,
  cellText as text,
  checkLog,
  loggedStateOf,
  loggedStatesOf,
  coerceRow,
  deriveColumns,
  isEmail,
  parseRow,
  partnersSheet,
  projectsSheet,
  readSettings,
  rowsByText,
  rowsWithText,
  schoolDate,
  signingFacts,
  transition,
  workflowProject,
  type PartnerRow,
  type Problem,
  type RefusalCode,
  type RegistryData,
  type RegistryRow,
  type ReviewLogRow,
  type Settings,
  type Status,
  type AgreementHolders,
  type EntrySigner,
  type WorkflowEvent,
} from '../../../core/index.js';
import { InputError } from '../io/input-error.js';
import type { RegistryStore } from '../stores/store.js';
import { localOperator } from './operator.js';
import { keyPath, signerFor } from './keys.js';
import './log-crypto.js';
import { WORKFLOW_OP_TEXT as T } from './workflow-text.js';

/** Events as a command states them; submission's problems and partner are read from the registry here. */
export type WorkflowRequest = Exclude<WorkflowEvent, { type: 'submit' | 'contentEdited' | 'expire' }> | { type: 'submit' };

export interface WorkflowStep {
  projectId: string;
  title: string;
  from: Status;
  to: Status;
  log: ReviewLogRow[];
}

export interface WorkflowRefusal {
  projectId: string;
  title: string;
  status: Status;
  code: RefusalCode;
  message: string;
  reasons: string[];
  /** What the project's current status allows, in words. */
  allowed: string[];
  /** Log entries written despite the refusal (a trespass). */
  log: ReviewLogRow[];
}

export type WorkflowOutcome = { ok: true; steps: WorkflowStep[] } | { ok: false; refusals: WorkflowRefusal[] };

/** The acting e-mail, lower-cased; a missing or malformed actor is a usage error, not a refusal. */
export function requireActor(actor: string | undefined): string {
  const email = actor?.trim().toLowerCase();
  if (!email) throw new InputError('USAGE', 'actor', T.actorMissing);
  if (!isEmail(email)) throw new CoopError('USAGE', T.actorInvalid(email));
  return email;
}

/** The rows of the given projects, in the order asked; unknown or ambiguous IDs are errors (exit 2 / 1). */
function findProjects(data: RegistryData, projectIds: readonly string[], location: string): RegistryRow[] {
  const missing: string[] = [];
  // One pass over the sheet for every ID (a step on thousands of projects would otherwise scan it once per ID), by the
  // ID alone: rows the store has not parsed are matched on the ID it read for them.
  const wanted = rowsByText(data.projects, 'projectId', projectIds);
  const rows = projectIds.map((id) => {
    const matches = wanted.get(id)!;
    if (matches.length > 1)
      throw new CoopError(
        'VALIDATION',
        T.duplicateRows(
          id,
          matches.map((r) => `第 ${r.sheetRow ?? '?'} 行`),
        ),
      );
    if (!matches[0]) missing.push(id);
    return matches[0]!;
  });
  if (missing.length) throw new CoopError('NOT_FOUND', T.notFound(location, missing));
  return rows;
}

/** Workflow refuses to act on a history that may be false: the chain must verify up to its anchor. */
export function requireIntactLog(data: RegistryData): void {
  const report = checkLog(data.reviewLog);
  if (!report.ok) throw new CoopError('WORKFLOW_REFUSED', LOG_CHAIN_TEXT.broken(report.break?.message ?? ''), [LOG_CHAIN_TEXT.brokenAdvice]);
}

/** Signing's event: the agreement numbers in use elsewhere (logged or written by `coop agreement`) and the approval date. */
function signEvent(
  logged: ReturnType<typeof loggedStatesOf>,
  holders: AgreementHolders,
  projectId: string,
  request: Extract<WorkflowEvent, { type: 'sign' }>,
): WorkflowEvent {
  return { ...request, ...signingFacts(logged, [], projectId, holders) };
}

/** Submission's event: every rule of the project row and of its partner's row, and the partner itself. */
function submitEvent(data: RegistryData, row: RegistryRow, settings: Settings): WorkflowEvent {
  const problems: Problem[] = [];
  const project = parseRow(projectsSheet, row.cells, settings, row.sheetRow);
  if (!project.ok) problems.push(...project.problems);
  const partnerId = text(row.cells.partnerId);
  const partnerRow = partnerId === '' ? undefined : rowsWithText(data.partners, 'partnerId', partnerId)[0];
  let partner: PartnerRow | null = null;
  if (partnerRow) {
    const parsed = parseRow(partnersSheet, partnerRow.cells, settings, partnerRow.sheetRow);
    if (parsed.ok) partner = parsed.value;
    else {
      problems.push(...parsed.problems);
      partner = coerceRow(partnersSheet, partnerRow.cells);
    }
  }
  return { type: 'submit', problems, partner };
}

/**
 * Decides and applies one request to each project on the registry data in memory. All or nothing:
 * if any project refuses, no project changes; only the 越权尝试 entries of trespasses are appended.
 */
export function applyWorkflowToData(
  data: RegistryData,
  projectIds: readonly string[],
  request: WorkflowRequest,
  actor: string,
  now: Date,
  location = '登记表',
  operator?: string,
  signer?: EntrySigner,
): WorkflowOutcome {
  requireIntactLog(data);
  // IDs are typed by people: `hz2026-001 ` means HZ2026-001.
  const ids = [...new Set(projectIds.map((id) => id.trim().toUpperCase()).filter(Boolean))];
  if (!ids.length) throw new CoopError('USAGE', T.noProjects);
  const rows = findProjects(data, ids, location);
  const { settings } = readSettings(data);
  const today = schoolDate(now);
  // Every project's state for a signing (agreement numbers in use) or a step on many projects (one copy of the states
  // costs less than looking each up); other steps read just their own projects'.
  const all = request.type === 'sign' || ids.length > 64 ? loggedStatesOf(data) : undefined;
  const stateOf = (id: string) => (all ? all.get(id) : loggedStateOf(data, id));
  // Agreement numbers in use, gathered once for every project signed in this step.
  const holders =
    request.type === 'sign'
      ? agreementHolders(
          all!,
          data.projects.map((r) => r.cells),
        )
      : undefined;

  const steps: { row: RegistryRow; step: WorkflowStep; patch: Record<string, unknown> }[] = [];
  const refusals: WorkflowRefusal[] = [];
  for (const [i, row] of rows.entries()) {
    const projectId = ids[i]!;
    const project = workflowProject(row.cells, stateOf(projectId), today);
    const from = project.status as Status;
    const title = text(project.title);
    const event: WorkflowEvent =
      request.type === 'submit' ? submitEvent(data, row, settings) : request.type === 'sign' ? signEvent(all!, holders!, projectId, request) : request;
    const result = transition(project, event, { settings, actor, now, ...(operator ? { operator } : {}) });
    if (result.ok) {
      steps.push({ row, patch: result.patch, step: { projectId, title, from, to: (result.patch.status as Status | undefined) ?? from, log: result.log } });
    } else {
      refusals.push({
        projectId,
        title,
        status: from,
        code: result.code,
        message: result.message,
        reasons: result.reasons,
        allowed: allowedActions(from),
        log: result.log,
      });
    }
  }

  const append = (log: ReviewLogRow[]) => {
    log.splice(0, log.length, ...appendLogEntries(data.reviewLog, log, undefined, signer));
  };
  if (refusals.length) {
    for (const r of refusals) append(r.log);
    return { ok: false, refusals };
  }
  for (const { row, patch, step } of steps) {
    Object.assign(row.cells, patch);
    append(step.log);
  }
  deriveColumns(data, today);
  return { ok: true, steps: steps.map((s) => s.step) };
}

/** The error a refused request ends in: each project's refusal, its reasons, its status and what it allows. */
export function refusalError(refusals: readonly WorkflowRefusal[], total: number): CoopError {
  const trespass = refusals.some((r) => r.log.length > 0);
  const footer = trespass ? T.trespassLogged : T.nothingWritten;
  // Every refusal names the project, its status and what it allows; add that line unless core's message already says both.
  const explain = (r: WorkflowRefusal) => [
    ...r.reasons,
    ...(r.message.includes(`当前状态为「${r.status}」`) && r.message.includes('当前可以') ? [] : [T.context(r.projectId, r.title, r.status, r.allowed)]),
  ];
  if (total === 1 && refusals.length === 1) {
    const [r] = refusals as [WorkflowRefusal];
    return new CoopError('WORKFLOW_REFUSED', r.message, [...explain(r), footer]);
  }
  const details = refusals.flatMap((r) => [r.message, ...explain(r).map((line) => `  ${line}`)]);
  return new CoopError('WORKFLOW_REFUSED', T.batchRefused(refusals.length, total), [...details, footer]);
}

/**
 * Applies a request to one or more projects of a registry as one locked, atomic step.
 * Returns the steps taken; throws WORKFLOW_REFUSED (exit 1) when the state machine refuses.
 */
export async function applyWorkflowEvent(
  store: RegistryStore,
  projectIds: string | readonly string[],
  request: WorkflowRequest,
  actor: string | undefined,
  now: Date,
): Promise<WorkflowStep[]> {
  const who = requireActor(actor);
  const operator = localOperator();
  const signer = await signerFor(who);
  const ids = typeof projectIds === 'string' ? [projectIds] : projectIds;
  const outcome = await store.update((data) => {
    // Someone the office listed a key for must sign: a row they cannot sign would not count, so none is written.
    if (!signer.keyed && readSettings(data).settings.publicKeys?.[who]?.length) throw new CoopError('WORKFLOW_REFUSED', T.keyRequired(who, keyPath(who)));
    const result = applyWorkflowToData(data, ids, request, who, now, store.location, operator, signer);
    return { result, write: result.ok || result.refusals.some((r) => r.log.length > 0) };
  });
  if (!outcome.ok) throw refusalError(outcome.refusals, new Set(ids.map((id) => id.trim().toUpperCase())).size);
  return outcome.steps;
}
