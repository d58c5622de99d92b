/**
 * Drive calls that must happen exactly once although the network may lose their answer: each new file
 * carries a unique appProperties marker, and before sending a copy/upload again we look for that marker.
 */
import { randomUUID } from 'node:crypto';
import type { GoogleClients } from './clients.js';
import { backoffDelay, failureKind, httpStatusOf } from './retry.js';

export const GOOGLE_DOC_MIME = 'application/vnd.google-apps.document';
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** The appProperties key that marks one creation attempt. */
export const REQUEST_MARKER = 'coopRequest';

export interface CreatedFile {
  id: string;
  link: string;
}

export function newMarker(): string {
  return randomUUID();
}

export function docLink(id: string, webViewLink?: string | null): string {
  return webViewLink ?? `https://docs.google.com/document/d/${id}/edit`;
}

/** The live file carrying this marker, if an earlier attempt created it. */
export async function findByMarker(clients: GoogleClients, what: string, marker: string): Promise<CreatedFile | undefined> {
  const res = await clients.call(what, { idempotent: true }, () =>
    clients.drive.files.list({
      q: `appProperties has { key='${REQUEST_MARKER}' and value='${marker}' } and trashed = false`,
      fields: 'files(id,webViewLink)',
      supportsAllDrives: true,
      includeItemsFromAllDrives: true,
    }),
  );
  const file = res.data.files?.[0];
  return file?.id ? { id: file.id, link: docLink(file.id, file.webViewLink) } : undefined;
}

/**
 * Runs a non-idempotent create (`files.copy`, `files.create`) whose request carries `marker`.
 * 429s are retried inside `create`; when the outcome is unknown (5xx, dropped connection) we look for
 * the marker and only send again if nothing was created — so a retried copy never leaves a duplicate.
 */
export async function createExactlyOnce(clients: GoogleClients, what: string, marker: string, create: () => Promise<CreatedFile>): Promise<CreatedFile> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      if (failureKind(error) !== 'ambiguous' || attempt > clients.retry.maxRetries) throw error;
      const found = await findByMarker(clients, what, marker);
      if (found) return found;
      await clients.retry.sleep(backoffDelay(attempt, clients.retry));
    }
  }
}

/** Deletes a file we created; a file already gone counts as deleted. */
export async function deleteFile(clients: GoogleClients, what: string, id: string): Promise<void> {
  try {
    await clients.call(what, { idempotent: true }, () => clients.drive.files.delete({ fileId: id, supportsAllDrives: true }));
  } catch (error) {
    if (httpStatusOf(error) !== 404) throw error;
  }
}
