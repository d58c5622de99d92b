/**
 * `coop agreement`'s work: picks the projects, checks every one of them (state, partner, template,
 * placeholders, required fields) before anything is written, renders through an AgreementRenderer,
 * and records 协议编号 and 协议文件 in the registry in the same locked update. Never prints.
 */
import {
  AGREEMENT_STATUSES,
  CoopError,
  agreementAllowed,
  agreementFieldErrors,
  agreementFields,
  isCoopError,
  loggedStates,
  readSettings,
  schoolDate,
  schoolTimestamp,
  workflowProject,
  templateFor,
  type PartnerRow,
  type ProjectRow,
  type Status,
  type TemplateGroup,
} from '../../../core/index.js';
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

export type AgreementEvent = { type: 'generated'; agreement: GeneratedAgreement } | { type: 'skipped'; projectId: string; link: string };

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

export async function generateAgreements(
  store: RegistryStore,
  renderer: AgreementRenderer,
  request: AgreementRequest,
  now: Date,
  onEvent: (e: AgreementEvent) => void = () => {},
): Promise<AgreementResult> {
  const draft = request.draft ?? false;
  if (!request.allApproved && request.projectIds.length === 0) throw new CoopError('USAGE', T.noSelection);
  await renderer.prepare();

  const { result, renderError } = await store.update(async (data) => {
    const { settings } = readSettings(data);
    const byId = new Map(data.projects.map((r) => [String(r.cells.projectId ?? ''), r]));
    // Only 审批记录 vouches for a status: a 已批准 typed by hand into the workbook must not yield an agreement.
    const logged = loggedStates(data.reviewLog.map((r) => r.cells as never));
    const today = schoolDate(now);
    const statusOf = (id: string) => workflowProject(byId.get(id)!.cells, logged.get(id), today).status as Status;
    const missing = request.projectIds.filter((id) => !byId.has(id));
    if (missing.length) throw new CoopError('NOT_FOUND', T.notFound(missing));
    const selected = new Set(request.projectIds);
    if (request.allApproved) {
      for (const id of byId.keys()) if (AGREEMENT_STATUSES.includes(statusOf(id))) selected.add(id);
    }

    const result: AgreementResult = { generated: [], skipped: [] };
    const errors: string[] = [];
    const jobs: AgreementJob[] = [];
    const usedByTemplate = new Map<TemplateGroup, Promise<string[] | null>>();
    for (const id of selected) {
      const project = byId.get(id)!.cells as unknown as ProjectRow;
      const link = String(project.agreementLink ?? '');
      if (!draft && !request.force && link && (await renderer.exists(link))) {
        result.skipped.push({ projectId: id, link });
        onEvent({ type: 'skipped', projectId: id, link });
        continue;
      }
      const status = statusOf(id);
      if (!agreementAllowed(status, draft)) {
        errors.push(T.wrongState(id, status));
        continue;
      }
      const partner = data.partners.find((p) => p.cells.partnerId === project.partnerId)?.cells as unknown as PartnerRow | undefined;
      if (!partner) {
        errors.push(T.partnerMissing(id, String(project.partnerId ?? '')));
        continue;
      }
      const template = templateFor(project.category, partner.kind);
      try {
        const fields = agreementFields(project, partner, settings, { draft });
        if (!usedByTemplate.has(template)) usedByTemplate.set(template, renderer.placeholders(template));
        const used = await usedByTemplate.get(template)!;
        const problems = agreementFieldErrors(template, id, fields, used ?? []);
        if (problems.length) errors.push(...problems);
        else jobs.push({ projectId: id, template, name: agreementName(fields, draft), fields, draft });
      } catch (error) {
        if (!isCoopError(error)) throw error;
        errors.push(T.forProject(error.message, id));
      }
    }
    if (errors.length) throw new CoopError('TEMPLATE', T.refused(errors.length), errors);

    let renderError: unknown;
    try {
      for (const job of jobs) {
        const output = await renderer.render(job);
        const agreement: GeneratedAgreement = { projectId: job.projectId, agreementNo: job.fields.协议编号, ...output, draft };
        result.generated.push(agreement);
        onEvent({ type: 'generated', agreement });
      }
    } catch (error) {
      renderError = error;
    }
    // Whatever was written is recorded, even when a later render failed, so no agreement goes unregistered.
    for (const a of result.generated) {
      if (a.draft) continue;
      const cells = byId.get(a.projectId)!.cells;
      cells.agreementNo = a.agreementNo;
      cells.agreementLink = a.link;
      cells.updatedAt = schoolTimestamp(now);
    }
    return { result: { result, renderError }, write: result.generated.some((a) => !a.draft) };
  });
  if (renderError !== undefined) throw renderError;
  return result;
}
