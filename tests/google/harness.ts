/** Test wiring for the Google side: an emulator, a service-account key it trusts, real clients pointed at it, a tiny .docx maker. */
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { createGoogleClients, type GoogleClients } from '../../sync/src/google/clients.js';
import { tempDir } from '../helpers/cli.js';
import { GoogleEmulator } from './emulator.js';

export const SERVICE_ACCOUNT = 'coop-test@school-registry.iam.gserviceaccount.com';

export interface Harness {
  emulator: GoogleEmulator;
  dir: string;
  keyFile: string;
  /** The private key text, to prove it never reaches any output. */
  privateKey: string;
  env: Record<string, string>;
  clients: GoogleClients;
  /** Every wait the retry policy asked for, in ms (nothing actually sleeps). */
  sleeps: number[];
}

export async function startHarness(): Promise<Harness> {
  const emulator = await new GoogleEmulator().start();
  const dir = tempDir('coop-google-');
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  emulator.addServiceAccount(SERVICE_ACCOUNT, publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const keyFile = join(dir, 'service-account.json');
  writeFileSync(
    keyFile,
    JSON.stringify({
      type: 'service_account',
      project_id: 'school-registry',
      private_key_id: 'k1',
      private_key: privatePem,
      client_email: SERVICE_ACCOUNT,
      token_uri: 'https://oauth2.googleapis.com/token',
    }),
    { mode: 0o600 },
  );
  const env = { GOOGLE_APPLICATION_CREDENTIALS: keyFile, COOP_GOOGLE_API_ROOT: emulator.url, COOP_GOOGLE_TOKEN_CACHE: join(dir, 'no-token.json') };
  const sleeps: number[] = [];
  const clients = await createGoogleClients({
    env: { PATH: process.env.PATH, ...env },
    retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
  });
  return { emulator, dir, keyFile, privateKey: privatePem, env, clients, sleeps };
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A real .docx (Word/LibreOffice open it); each paragraph is a list of runs, so placeholders can be split across runs. */
export async function makeDocx(paragraphs: (string | string[])[]): Promise<Buffer> {
  const body = paragraphs
    .map((p) => `<w:p>${(Array.isArray(p) ? p : [p]).map((run) => `<w:r><w:t xml:space="preserve">${escapeXml(run)}</w:t></w:r>`).join('')}</w:p>`)
    .join('');
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}<w:sectPr/></w:body></w:document>`;
  const zip = new JSZip();
  zip.file('[Content_Types].xml', CONTENT_TYPES);
  zip.file('_rels/.rels', RELS);
  zip.file('word/document.xml', document);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
