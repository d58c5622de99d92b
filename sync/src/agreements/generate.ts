/**
 * `coop agreement`'s work: plans (picks the projects and checks every one of them — state, partner, template,
 * placeholders, required fields — before anything is written), renders through an AgreementRenderer outside
 * any store update, then records 协议编号 and 协议文件 in one update. Never prints.
 */
import {
  AGREEMENT_STATUSES,
  CoopError,
  agreementAllowed,
  agreementFieldErrors,
  agreementFields,
  isCoopError,
  loggedStatesOf,
  readSettings,
  schoolDate,
  schoolTimestamp,
  workflowProject,
  templateFor,
  type RegistryData,
  type RegistryRow,
  type Status,
  type TemplateGroup,
  partnerFromCells,
  projectFromCells,
} from '../../../core/index.js';
import { InputError } from '../io/input-error.js';
import type { OnProgress } from '../ops/progress.js';
import { requireIntactLog } from '../ops/workflow.js';
import type { RegistryStore } from '../stores/store.js';
import { safeBaseName } from './file-name.js';
import type { AgreementJob, AgreementRenderer } from './renderer.js';
import { AGREEMENT_OP_TEXT as T } from './text.js';

export interface AgreementRequest {
  projectIds: readonly string[];
  /** Every project 已批准 or 已生效. */
  allApproved?: boolean;
  /** Regenerate even when 协议文件 points at an existing agreement. */
  force?: boolean;
  /** Any status; the text is marked 草稿 and nothing is recorded in the registry. */
  draft?: boolean;
}

export interface GeneratedAgreement {
  projectId: string;
  agreementNo: string;
  link: string;
  pdfLink?: string;
  draft: boolean;
}

export interface AgreementResult {
  generated: GeneratedAgreement[];
  skipped: { projectId: string; link: string }[];
}

/** Suffix of a draft's name, so a draft can never be mistaken for (or overwrite) the agreement itself. */
const DRAFT_SUFFIX = '草稿';

/** A draft has no agreement number (it may never be approved), so its file is named by the project ID. */
export function agreementName(fields: { 协议编号: string; 项目编号?: string; 合作单位名称: string; 项目名称: string }, draft: boolean): string {
  const number = draft ? (fields.项目编号 ?? '') : fields.协议编号;
  return safeBaseName([number, fields.合作单位名称, fields.项目名称, ...(draft ? [DRAFT_SUFFIX] : [])]);
}

/** What the renderer was asked before planning: which recorded links still exist, which placeholders each template uses. */
export interface AgreementLookups {
  existing: ReadonlySet<string>;
  /** A template the renderer could not read maps to its error, reported for each project that needs it. */
  placeholders: ReadonlyMap<TemplateGroup, string[] | null | CoopError>;
}

export interface AgreementPlan {
  jobs: AgreementJob[];
  skipped: { projectId: string; link: string }[];
}

/** The projects a request names (or all approved ones), each with its logged status; throws for unknown IDs. */
function selection(
  data: RegistryData,
  request: AgreementRequest,
  now: Date,
): { ids: string[]; rows: Map<string, RegistryRow>; statusById: (id: string) => Status } {
  const rows = new Map(data.projects.map((r) => [String(r.cells.projectId ?? ''), r]));
  // Only 审批记录 vouches for a status: a 已批准 typed by hand into the workbook must not yield an agreement.
  if (!request.draft) requireIntactLog(data);
  const logged = loggedStatesOf(data);
  const today = schoolDate(now);
  const statusById = (id: string) => workflowProject(rows.get(id)!.cells, logged.get(id), today).status as Status;
  const missing = request.projectIds.filter((id) => !rows.has(id));
  if (missing.length) throw new CoopError('NOT_FOUND', T.notFound(missing));
  const selected = new Set(request.projectIds);
  if (request.allApproved) {
    for (const id of rows.keys()) if (AGREEMENT_STATUSES.includes(statusById(id))) selected.add(id);
  }
  return { ids: [...selected], rows, statusById };
}

/** Asks the renderer what planning needs: the existence of recorded agreements and the placeholders of the templates in play. */
export async function agreementLookups(data: RegistryData, renderer: AgreementRenderer, request: AgreementRequest, now: Date): Promise<AgreementLookups> {
  const { ids, rows } = selection(data, request, now);
  const existing = new Set<string>();
  const placeholders = new Map<TemplateGroup, string[] | null | CoopError>();
  for (const id of ids) {
    const project = projectFromCells(rows.get(id)!.cells);
    const link = String(project.agreementLink ?? '');
    if (!request.draft && !request.force && link && (await renderer.exists(link))) {
      existing.add(link);
      continue;
    }
    const partnerCells = data.partners.find((p) => p.cells.partnerId === project.partnerId)?.cells;
    const partner = partnerCells && partnerFromCells(partnerCells);
    const template = templateFor(project.category, partner?.kind);
    if (!placeholders.has(template)) {
      placeholders.set(
        template,
        await renderer.placeholders(template).catch((error: unknown) => {
          if (isCoopError(error)) return error;
          throw error;
        }),
      );
    }
  }
  return { existing, placeholders };
}

/**
 * Pure: which agreements to render, which to skip, and every reason to refuse — all decided before anything is
 * written, from the registry as read and the renderer's answers. Throws CoopError('TEMPLATE') listing every problem.
 */
export function planAgreements(data: RegistryData, request: AgreementRequest, now: Date, lookups: AgreementLookups): AgreementPlan {
  const draft = request.draft ?? false;
  const { settings } = readSettings(data);
  const { ids, rows, statusById } = selection(data, request, now);
  const plan: AgreementPlan = { jobs: [], skipped: [] };
  const errors: string[] = [];
  for (const id of ids) {
    const project = projectFromCells(rows.get(id)!.cells);
    const link = String(project.agreementLink ?? '');
    if (!draft && !request.force && link && lookups.existing.has(link)) {
      plan.skipped.push({ projectId: id, link });
      continue;
    }
    const status = statusById(id);
    if (!agreementAllowed(status, draft)) {
      errors.push(T.wrongState(id, status));
      continue;
    }
    const partnerCells = data.partners.find((p) => p.cells.partnerId === project.partnerId)?.cells;
    const partner = partnerCells && partnerFromCells(partnerCells);
    if (!partner) {
      errors.push(T.partnerMissing(id, String(project.partnerId ?? '')));
      continue;
    }
    const template = templateFor(project.category, partner.kind);
    try {
      const fields = agreementFields(project, partner, settings, { draft });
      const used = lookups.placeholders.get(template);
      if (used instanceof CoopError) throw used;
      const problems = agreementFieldErrors(template, id, fields, used ?? []);
      if (problems.length) errors.push(...problems);
      else plan.jobs.push({ projectId: id, template, name: agreementName(fields, draft), fields, draft });
    } catch (error) {
      if (!isCoopError(error)) throw error;
      errors.push(T.forProject(error.message, id));
    }
  }
  if (errors.length) throw new CoopError('TEMPLATE', T.refused(errors.length), errors);
  return plan;
}

/** Writes 协议编号 and 协议文件 of rendered agreements into the registry data (drafts are never recorded). */
export function recordAgreements(data: RegistryData, generated: readonly GeneratedAgreement[], now: Date): boolean {
  let changed = false;
  for (const a of generated) {
    if (a.draft) continue;
    const row = data.projects.find((r) => String(r.cells.projectId ?? '') === a.projectId);
    if (!row) throw new CoopError('NOT_FOUND', T.recordLost(a.projectId, a.link));
    row.cells.agreementNo = a.agreementNo;
    row.cells.agreementLink = a.link;
    row.cells.updatedAt = schoolTimestamp(now);
    changed = true;
  }
  return changed;
}

/**
 * Plan, render, record: the plan is made from one read, the documents are rendered outside any store update,
 * and only the links are recorded inside one — so when the shared sheet re-runs an update after a concurrent
 * edit, it re-runs the recording, never the rendering (no second Doc that nothing links to).
 */
export async function generateAgreements(
  store: RegistryStore,
  renderer: AgreementRenderer,
  request: AgreementRequest,
  now: Date,
  onProgress: OnProgress<'generated' | 'skipped'> = () => {},
): Promise<AgreementResult> {
  const draft = request.draft ?? false;
  if (!request.allApproved && request.projectIds.length === 0) throw new InputError('USAGE', 'selection', T.noSelection);
  await renderer.prepare();
  const data = await store.read();
  const plan = planAgreements(data, request, now, await agreementLookups(data, renderer, request, now));
  const result: AgreementResult = { generated: [], skipped: plan.skipped };
  for (const s of plan.skipped) onProgress({ step: 'skipped', ...s });

  let renderError: unknown;
  try {
    for (const job of plan.jobs) {
      const output = await renderer.render(job);
      const agreement: GeneratedAgreement = { projectId: job.projectId, agreementNo: job.fields.协议编号, ...output, draft };
      result.generated.push(agreement);
      onProgress({ step: 'generated', agreement });
    }
  } catch (error) {
    renderError = error;
  }
  // Whatever was written is recorded, even when a later render failed, so no agreement goes unregistered.
  if (result.generated.some((a) => !a.draft)) {
    await store.update((fresh) => ({ result: undefined, write: recordAgreements(fresh, result.generated, now) }));
  }
  if (renderError !== undefined) throw renderError;
  return result;
}
