/** `coop templates upload`'s work: each templates/*.docx becomes a Google Doc (Drive converts it), its ID recorded in 设置. */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { CoopError, writeTemplateIds } from '../../../core/index.js';
import type { RegistryStore } from '../stores/store.js';
import { InputError } from '../io/input-error.js';
import type { OnProgress } from '../ops/progress.js';
import type { GoogleClients } from './clients.js';
import { createExactlyOnce, docLink, DOCX_MIME, GOOGLE_DOC_MIME, newMarker, REQUEST_MARKER, type CreatedFile } from './drive-files.js';
import { GOOGLE_TEXT as T } from './text.js';

/** appProperties key naming the template a Doc was made from. */
export const TEMPLATE_KEY_PROPERTY = 'coopTemplate';

export interface UploadedTemplate {
  /** Template key: the file name without .docx (e.g. 通用, 订单式人才培养). */
  key: string;
  file: string;
  docId: string;
  link: string;
}

export async function templateFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new InputError('TEMPLATE', 'dir', T.templatesDirMissing(dir));
  }
  const files = names.filter((n) => n.toLowerCase().endsWith('.docx') && !n.startsWith('~$')).sort();
  if (!files.length) throw new CoopError('TEMPLATE', T.templatesDirEmpty(dir));
  return files.map((n) => join(dir, n));
}

/** Uploads one .docx as a Google Doc into `folderId`, exactly once even if the answer is lost. */
export async function uploadTemplate(clients: GoogleClients, file: string, folderId: string): Promise<UploadedTemplate> {
  const key = basename(file).replace(/\.docx$/i, '');
  const bytes = await readFile(file);
  const marker = newMarker();
  const what = `上传协议模板 ${basename(file)}`;
  const created: CreatedFile = await createExactlyOnce(clients, what, marker, async () => {
    const res = await clients.call(what, { idempotent: false }, () =>
      clients.drive.files.create({
        supportsAllDrives: true,
        fields: 'id,webViewLink',
        requestBody: {
          name: `协议模板-${key}`,
          mimeType: GOOGLE_DOC_MIME,
          parents: [folderId],
          appProperties: { [REQUEST_MARKER]: marker, [TEMPLATE_KEY_PROPERTY]: key },
        },
        // A fresh stream per attempt: a retried upload must send the whole file again.
        media: { mimeType: DOCX_MIME, body: Readable.from([bytes]) },
      }),
    );
    return { id: res.data.id!, link: docLink(res.data.id!, res.data.webViewLink) };
  });
  return { key, file, docId: created.id, link: created.link };
}

/**
 * Uploads every template, then records all their IDs in 设置 in one store write. Templates uploaded
 * before a failure are still recorded, so a re-run after a network error does not lose them.
 */
export async function uploadTemplates(
  clients: GoogleClients,
  store: RegistryStore,
  options: { dir: string; folderId: string },
  onProgress: OnProgress<'uploaded' | 'recorded'> = () => {},
): Promise<UploadedTemplate[]> {
  const files = await templateFiles(options.dir);
  const uploaded: UploadedTemplate[] = [];
  let failure: unknown;
  for (const file of files) {
    try {
      const template = await uploadTemplate(clients, file, options.folderId);
      uploaded.push(template);
      onProgress({ step: 'uploaded', template });
    } catch (error) {
      failure = error;
      break;
    }
  }
  if (uploaded.length) {
    await store.update((data) => {
      writeTemplateIds(data, Object.fromEntries(uploaded.map((t) => [t.key, t.docId])));
      return { result: undefined, write: true };
    });
    onProgress({ step: 'recorded', count: uploaded.length, registry: store.location });
  }
  if (failure) throw failure;
  return uploaded;
}
