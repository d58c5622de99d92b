/**
 * The Google path of `coop agreement`: for each prepared agreement (fields computed by the core), copy and
 * fill the template Doc recorded in 设置, optionally keep the PDF, then write every agreement number and
 * Doc link back to the registry in one store update. Prints nothing; reports progress as events.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoopError, GENERAL_TEMPLATE_KEY, readSettings } from '../../../core/index.js';
import type { RegistryStore } from '../stores/store.js';
import type { GoogleClients } from './clients.js';
import { createAgreementDoc, type TemplateChecks } from './docs-agreements.js';
import { GOOGLE_TEXT as T } from './text.js';

export interface GoogleAgreementJob {
  projectId: string;
  /** Template key as recorded in 设置 (协议模板); falls back to 通用. */
  templateKey: string;
  /** Doc name, e.g. `协议编号_合作单位_项目名称`. */
  name: string;
  agreementNo: string;
  /** Placeholder name without braces → text (core/agreement.ts). */
  fields: Record<string, string>;
}

export interface GoogleAgreementResult {
  projectId: string;
  agreementNo: string;
  docId: string;
  link: string;
  pdfPath?: string;
}

export type GoogleAgreementEvent = { step: 'created'; result: GoogleAgreementResult } | { step: 'recorded'; count: number };

/** The template Doc ID for a key: the key's own row in 设置, else the general template's. */
export function templateDocFor(templates: Readonly<Record<string, string>>, key: string): string {
  const id = templates[key] ?? templates[GENERAL_TEMPLATE_KEY];
  if (!id) throw new CoopError('TEMPLATE', T.templateNotRecorded(key));
  return id;
}

export async function generateGoogleAgreements(
  clients: GoogleClients,
  store: RegistryStore,
  options: { jobs: readonly GoogleAgreementJob[]; folderId: string; pdfDir?: string },
  onEvent: (e: GoogleAgreementEvent) => void = () => {},
): Promise<GoogleAgreementResult[]> {
  const { settings } = readSettings(await store.read());
  // Every template must be known before the first copy, so a missing one stops the run with nothing made.
  const templateIds = options.jobs.map((job) => templateDocFor(settings.templates, job.templateKey));
  const checks: TemplateChecks = new Map();
  const results: GoogleAgreementResult[] = [];
  let failure: unknown;
  for (const [i, job] of options.jobs.entries()) {
    try {
      const doc = await createAgreementDoc(clients, {
        templateDocId: templateIds[i]!,
        folderId: options.folderId,
        name: job.name,
        fields: job.fields,
        exportPdf: options.pdfDir !== undefined,
        templateChecks: checks,
      });
      const result: GoogleAgreementResult = { projectId: job.projectId, agreementNo: job.agreementNo, docId: doc.docId, link: doc.link };
      if (doc.pdf && options.pdfDir) {
        await mkdir(options.pdfDir, { recursive: true });
        result.pdfPath = join(options.pdfDir, `${safeFileName(job.name)}.pdf`);
        await writeFile(result.pdfPath, doc.pdf);
      }
      results.push(result);
      onEvent({ step: 'created', result });
    } catch (error) {
      failure = error;
      break;
    }
  }
  // Agreements made before a failure are still recorded, so a re-run does not make them twice.
  if (results.length) {
    await store.update((data) => {
      for (const r of results) {
        const row = data.projects.find((p) => p.cells.projectId === r.projectId);
        if (!row) continue;
        row.cells.agreementNo = r.agreementNo;
        row.cells.agreementLink = r.link;
      }
      return { result: undefined, write: true };
    });
    onEvent({ step: 'recorded', count: results.length });
  }
  if (failure) throw failure;
  return results;
}

/** A file name Windows accepts: no reserved characters, no trailing dot or space. */
export function safeFileName(name: string): string {
  return name.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').replace(/[. ]+$/, '').slice(0, 150) || '协议';
}
