/**
 * Agreements as Google Docs behind the same seam as Word files: the template Doc recorded in 设置 for the
 * project's template group (通用 as fallback) is copied into the agreements folder and filled in one
 * Docs batchUpdate (sync/src/google/docs-agreements.ts); the Doc link goes into 协议文件.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoopError, GENERAL_TEMPLATE_KEY, type TemplateGroup } from '../../../../core/index.js';
import type { GoogleClients } from '../../google/clients.js';
import { createAgreementDoc, templatePlaceholders } from '../../google/docs-agreements.js';
import { httpStatusOf } from '../../google/retry.js';
import { GOOGLE_TEXT } from '../../google/text.js';
import type { AgreementJob, AgreementOutput, AgreementRenderer } from '../renderer.js';
import { AGREEMENT_OP_TEXT as T } from '../text.js';
import { InputError } from '../../io/input-error.js';

export interface GoogleDocsRendererOptions {
  clients: GoogleClients;
  /** Drive folder the agreements are created in. */
  folderId: string;
  /** Template Doc IDs by template key, as 设置 records them (coop templates upload). */
  templates: Readonly<Record<string, string>>;
  /** Where PDFs are saved locally, when asked for. */
  pdfDir?: string;
}

/** The template Doc for a template group: its own row in 设置 (协议模板), else the general template's. */
export function templateDocFor(templates: Readonly<Record<string, string>>, key: string): string {
  const id = templates[key] ?? templates[GENERAL_TEMPLATE_KEY];
  if (!id) throw new CoopError('TEMPLATE', GOOGLE_TEXT.templateNotRecorded(key));
  return id;
}

const DOC_ID = /\/document\/d\/([A-Za-z0-9_-]+)/;

export class GoogleDocsRenderer implements AgreementRenderer {
  private readonly placeholderCache = new Map<string, Promise<string[]>>();

  constructor(private readonly options: GoogleDocsRendererOptions) {}

  async prepare(): Promise<void> {
    if (!this.options.folderId) throw new InputError('USAGE', 'folder', T.googleFolderMissing);
  }

  /** One documents.get per template and run, so every project is checked before the first copy. */
  async placeholders(template: TemplateGroup): Promise<string[]> {
    const docId = templateDocFor(this.options.templates, template);
    let found = this.placeholderCache.get(docId);
    if (!found) this.placeholderCache.set(docId, (found = templatePlaceholders(this.options.clients, docId)));
    return found;
  }

  async exists(link: string): Promise<boolean> {
    const id = DOC_ID.exec(link)?.[1];
    if (!id) return false;
    try {
      const res = await this.options.clients.call(`查看协议 ${id}`, { idempotent: true }, () =>
        this.options.clients.drive.files.get({ fileId: id, fields: 'id,trashed', supportsAllDrives: true }),
      );
      return res.data.trashed !== true;
    } catch (error) {
      if (httpStatusOf(error) === 404) return false;
      throw error;
    }
  }

  async render(job: AgreementJob): Promise<AgreementOutput> {
    // A field the template does not use may find nothing; one it does use must be replaced at least once.
    const used = new Set(await this.placeholders(job.template));
    const doc = await createAgreementDoc(this.options.clients, {
      templateDocId: templateDocFor(this.options.templates, job.template),
      folderId: this.options.folderId,
      name: job.name,
      fields: job.fields,
      optionalFields: Object.keys(job.fields).filter((name) => !used.has(name)),
      exportPdf: this.options.pdfDir !== undefined,
    });
    if (!doc.pdf || !this.options.pdfDir) return { link: doc.link };
    await mkdir(this.options.pdfDir, { recursive: true });
    const pdfPath = join(this.options.pdfDir, `${job.name}.pdf`);
    await writeFile(pdfPath, doc.pdf);
    return { link: doc.link, pdfLink: pdfPath };
  }

  async close(): Promise<void> {}
}
