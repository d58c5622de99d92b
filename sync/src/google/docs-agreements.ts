/**
 * Agreements as Google Docs: copy the category's template Doc into the agreements folder, fill every
 * `{{placeholder}}` with one Docs batchUpdate, optionally export a PDF. All or nothing: on any failure
 * the copy is deleted, so no half-filled agreement is ever left in Drive.
 */
import { CoopError } from '../../../core/index.js';
import type { GoogleClients } from './clients.js';
import { createExactlyOnce, deleteFile, docLink, newMarker, REQUEST_MARKER } from './drive-files.js';
import { failureKind, httpStatusOf } from './retry.js';
import { GOOGLE_TEXT as T } from './text.js';

export interface AgreementDocRequest {
  templateDocId: string;
  folderId: string;
  /** Name of the new Doc, e.g. `协议编号_合作单位_项目名称`. */
  name: string;
  /** Placeholder name without braces → text. */
  fields: Record<string, string>;
  exportPdf?: boolean;
  /** Fields a template may leave out (every other field must occur in it). */
  optionalFields?: readonly string[];
  /**
   * Checks the template for placeholders no field fills (one documents.get per template, remembered
   * across the agreements of a run). Without it, only fields missing from the template are caught.
   */
  templateChecks?: TemplateChecks;
}

/** Placeholders found per template Doc, so a batch of agreements reads each template once. */
export type TemplateChecks = Map<string, Promise<string[]>>;

const PLACEHOLDER = /\{\{([^{}]+)\}\}/g;

/** The `{{name}}` placeholders in a Doc's text, in order of first appearance. */
export async function templatePlaceholders(clients: GoogleClients, docId: string): Promise<string[]> {
  const res = await clients.call(`读取协议模板 ${docId}`, { idempotent: true }, () =>
    clients.docs.documents.get({ documentId: docId, fields: 'body(content(paragraph(elements(textRun(content)))))' }),
  );
  const text = (res.data.body?.content ?? []).map((c) => (c.paragraph?.elements ?? []).map((e) => e.textRun?.content ?? '').join('')).join('');
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!.trim()))];
}

async function checkTemplate(clients: GoogleClients, request: AgreementDocRequest): Promise<void> {
  const checks = request.templateChecks;
  if (!checks) return;
  let found = checks.get(request.templateDocId);
  if (!found) checks.set(request.templateDocId, (found = templatePlaceholders(clients, request.templateDocId)));
  const unknown = (await found).filter((name) => !(name in request.fields));
  if (unknown.length) throw new CoopError('TEMPLATE', T.placeholderUnknown(request.templateDocId, unknown));
}

export interface AgreementDoc {
  docId: string;
  link: string;
  pdf?: Buffer;
}

/** How often a fill whose outcome was lost is redone from a fresh copy. */
const MAX_FRESH_COPIES = 3;

export function replaceRequests(fields: Record<string, string>) {
  return Object.entries(fields).map(([name, value]) => {
    if (/\{\{|\}\}/.test(value)) throw new CoopError('TEMPLATE', T.placeholderInValue(name));
    return { replaceAllText: { containsText: { text: `{{${name}}}`, matchCase: true }, replaceText: value } };
  });
}

async function copyTemplate(clients: GoogleClients, request: AgreementDocRequest): Promise<{ id: string; link: string }> {
  const marker = newMarker();
  const what = `复制协议模板 ${request.templateDocId}`;
  try {
    return await createExactlyOnce(clients, what, marker, async () => {
      const res = await clients.call(what, { idempotent: false }, () =>
        clients.drive.files.copy({
          fileId: request.templateDocId,
          supportsAllDrives: true,
          fields: 'id,webViewLink',
          requestBody: { name: request.name, parents: [request.folderId], appProperties: { [REQUEST_MARKER]: marker } },
        }),
      );
      return { id: res.data.id!, link: docLink(res.data.id!, res.data.webViewLink) };
    });
  } catch (error) {
    if (httpStatusOf(error) === 404) throw new CoopError('TEMPLATE', T.notFound(`协议模板或目标文件夹`, `${request.templateDocId} / ${request.folderId}`));
    throw error;
  }
}

/** Sends the one batchUpdate; returns the placeholders that changed nothing, or 'lost' when the outcome is unknown. */
async function fill(clients: GoogleClients, docId: string, request: AgreementDocRequest): Promise<string[] | 'lost'> {
  const requests = replaceRequests(request.fields);
  try {
    const res = await clients.call(`填写协议 ${request.name}`, { idempotent: false }, () =>
      clients.docs.documents.batchUpdate({ documentId: docId, requestBody: { requests } }),
    );
    const optional = new Set(request.optionalFields ?? []);
    const replies = res.data.replies ?? [];
    return Object.keys(request.fields).filter((name, i) => !optional.has(name) && !((replies[i]?.replaceAllText?.occurrencesChanged ?? 0) > 0));
  } catch (error) {
    if (failureKind(error) === 'ambiguous') return 'lost';
    throw error;
  }
}

export async function createAgreementDoc(clients: GoogleClients, request: AgreementDocRequest): Promise<AgreementDoc> {
  replaceRequests(request.fields);
  await checkTemplate(clients, request);
  for (let copies = 1; ; copies++) {
    const copy = await copyTemplate(clients, request);
    try {
      const missing = await fill(clients, copy.id, request);
      if (missing === 'lost') {
        // The fill may or may not have happened; replaceAllText counts cannot tell a second time. Start over.
        await deleteFile(clients, `删除未完成的协议 ${copy.id}`, copy.id);
        if (copies >= MAX_FRESH_COPIES) throw new CoopError('GOOGLE', T.gaveUp(`填写协议 ${request.name}`, copies));
        continue;
      }
      if (missing.length) throw new CoopError('TEMPLATE', T.placeholderMissing(request.templateDocId, missing));
      if (!request.exportPdf) return { docId: copy.id, link: copy.link };
      const pdf = await clients.call(`导出 PDF ${request.name}`, { idempotent: true }, () =>
        clients.drive.files.export({ fileId: copy.id, mimeType: 'application/pdf' }, { responseType: 'arraybuffer' }),
      );
      return { docId: copy.id, link: copy.link, pdf: Buffer.from(pdf.data as ArrayBuffer) };
    } catch (error) {
      await deleteFile(clients, `删除未完成的协议 ${copy.id}`, copy.id).catch(() => {});
      throw error;
    }
  }
}
