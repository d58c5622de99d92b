/**
 * A loopback emulator of the Google endpoints coop calls (OAuth token, Drive v3, Docs v1, Sheets v4),
 * for the real client libraries to talk to through COOP_GOOGLE_API_ROOT. It logs and counts every
 * request, rejects requests without an issued bearer token, and injects faults (429, 5xx, dropped connections).
 */
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo, Socket } from 'node:net';
import JSZip from 'jszip';

export type CellValue = string | number | boolean;

export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  appProperties: Record<string, string>;
  trashed: boolean;
  /** Raw bytes of a non-Google file. */
  content?: Buffer;
  /** The owning account (Drive lists it in `owners`; Sheets lists it on every protection). */
  owner?: string;
}

export interface EmulatedDoc {
  title: string;
  /** One string per paragraph, as the Docs API returns text runs. */
  paragraphs: string[];
  revision: number;
}

export interface EmulatedSheet {
  sheetId: number;
  title: string;
  values: (CellValue | null)[][];
  /** Grid size; writes beyond it fail as they do on Google (default 1000 × 26, grown by data). */
  rowCount?: number;
  columnCount?: number;
  protectedRanges?: any[];
  /** Cell notes by `row0,col0`. */
  notes?: Map<string, string>;
  conditionalFormats?: any[];
  /** Number-format patterns by `row0,col0` (`*,col0`: the column's default, set by setup). */
  formats?: Map<string, string>;
  /** Data-validation rules by `row0,col0` (`*,col0`: every data row of the column, as a whole-column setDataValidation leaves it). */
  validations?: Map<string, any>;
  /** The rest of userEnteredFormat (fill, bold, alignment, wrap) by `row0,col0`. */
  styles?: Map<string, any>;
  /** Column widths in pixels by 0-based column (Google's default 100 where unset). */
  widths?: Map<number, number>;
  frozenRowCount?: number;
}

export interface Fault {
  /** Endpoint name as counted (e.g. `drive.files.copy`), or `*` for any. */
  endpoint: string;
  kind: 'status' | 'drop';
  /** HTTP status for kind `status` (429, 500, 503…). */
  status?: number;
  /** How many requests it affects (`Infinity`: a persistent failure). */
  times: number;
  /** Apply the request first, then fail the response: the client cannot know it happened. */
  afterApply?: boolean;
}

export interface LoggedRequest {
  endpoint: string;
  method: string;
  path: string;
  status: number;
  /** Parsed JSON body (uploads: metadata only). */
  body?: unknown;
  /** Bytes of the request body as sent. */
  bytes: number;
  /** performance.now() when the request arrived and when its answer was sent (ms). */
  arrivedAt?: number;
  answeredAt?: number;
}

const DOC_MIME = 'application/vnd.google-apps.document';
/** Who owns the spreadsheets the emulator holds: Google lists the owner on every protection, asked or not. */
export const SPREADSHEET_OWNER = 'sheet-owner@zqlg.edu.cn';
const FOLDER_MIME = 'application/vnd.google-apps.folder';
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Route {
  endpoint: string;
  method: string;
  pattern: RegExp;
  handle: (m: RegExpExecArray, req: Parsed) => Promise<Reply> | Reply;
}

interface Parsed {
  url: URL;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  json: () => any;
}

interface Reply {
  status?: number;
  json?: unknown;
  bytes?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Column letters ↔ 0-based index. */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** `'Sheet name'!A2:C9`, `Sheet!B5`, `Sheet` → sheet title and 0-based bounds (open ends undefined). */
export function parseA1(range: string): { title: string; row0: number; col0: number; row1?: number; col1?: number } {
  const bang = range.lastIndexOf('!');
  const rawTitle = bang >= 0 ? range.slice(0, bang) : range;
  const title = rawTitle.startsWith("'") ? rawTitle.slice(1, -1).replace(/''/g, "'") : rawTitle;
  if (bang < 0) return { title, row0: 0, col0: 0 };
  const [from, to] = range.slice(bang + 1).split(':');
  const cell = (ref: string) => {
    const m = /^([A-Z]*)(\d*)$/i.exec(ref)!;
    return { col: m[1] ? columnIndex(m[1]) : undefined, row: m[2] ? Number(m[2]) - 1 : undefined };
  };
  const a = cell(from!);
  const b = to ? cell(to) : a;
  return { title, row0: a.row ?? 0, col0: a.col ?? 0, row1: b.row, col1: b.col };
}

export class GoogleEmulator {
  readonly files = new Map<string, DriveFile>();
  readonly docs = new Map<string, EmulatedDoc>();
  readonly spreadsheets = new Map<string, EmulatedSheet[]>();
  /** Each spreadsheet's time zone (a new one has Google's account default, here America/Los_Angeles). */
  readonly timeZones = new Map<string, string>();
  readonly log: LoggedRequest[] = [];
  private readonly faults: Fault[] = [];
  private readonly tokens = new Set<string>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly codes = new Map<string, string>();
  private readonly serviceAccounts = new Map<string, KeyObject>();
  private readonly uploads = new Map<string, Record<string, unknown>>();
  private readonly sockets = new Set<Socket>();
  private readonly routes: Route[];
  private server = http.createServer((req, res) => void this.dispatch(req, res));
  private seq = 0;
  /** Called after each applied request, e.g. to let "someone else" edit between a read and a write. */
  onApplied?: (endpoint: string) => void;
  /**
   * Called when a request arrives, before any fault or effect: "someone else" edits while the request is in
   * flight or while the client backs off after a fault — the last moment before the write is applied.
   */
  beforeApply?: (endpoint: string, body: unknown) => void;
  url = '';

  constructor() {
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    const ID = '([^/:?]+)';
    this.routes = [
      { endpoint: 'oauth.token', method: 'POST', pattern: /^\/token$/, handle: (_m, r) => this.token(r) },
      { endpoint: 'drive.files.copy', method: 'POST', pattern: new RegExp(`^/drive/v3/files/${ID}/copy$`), handle: (m, r) => this.copy(m[1]!, r) },
      { endpoint: 'drive.files.export', method: 'GET', pattern: new RegExp(`^/drive/v3/files/${ID}/export$`), handle: (m, r) => this.export(m[1]!, r) },
      { endpoint: 'drive.files.create', method: 'POST', pattern: /^\/upload\/drive\/v3\/files$/, handle: (_m, r) => this.upload(r) },
      { endpoint: 'drive.files.upload', method: 'PUT', pattern: /^\/upload\/drive\/v3\/files$/, handle: (_m, r) => this.resumableData(r) },
      { endpoint: 'drive.files.create', method: 'POST', pattern: /^\/drive\/v3\/files$/, handle: (_m, r) => this.createMetadata(r.json()) },
      { endpoint: 'drive.files.list', method: 'GET', pattern: /^\/drive\/v3\/files$/, handle: (_m, r) => this.list(r) },
      {
        endpoint: 'drive.files.get',
        method: 'GET',
        pattern: new RegExp(`^/drive/v3/files/${ID}$`),
        handle: (m) => ({ json: this.fileResource(this.file(m[1]!)) }),
      },
      { endpoint: 'drive.files.delete', method: 'DELETE', pattern: new RegExp(`^/drive/v3/files/${ID}$`), handle: (m) => this.deleteFile(m[1]!) },
      { endpoint: 'docs.documents.get', method: 'GET', pattern: new RegExp(`^/v1/documents/${ID}$`), handle: (m) => ({ json: this.docResource(m[1]!) }) },
      {
        endpoint: 'docs.documents.batchUpdate',
        method: 'POST',
        pattern: new RegExp(`^/v1/documents/${ID}:batchUpdate$`),
        handle: (m, r) => this.docBatchUpdate(m[1]!, r.json()),
      },
      {
        endpoint: 'sheets.values.batchGet',
        method: 'GET',
        pattern: new RegExp(`^/v4/spreadsheets/${ID}/values:batchGet$`),
        handle: (m, r) => this.valuesBatchGet(m[1]!, r),
      },
      {
        endpoint: 'sheets.values.batchUpdate',
        method: 'POST',
        pattern: new RegExp(`^/v4/spreadsheets/${ID}/values:batchUpdate$`),
        handle: (m, r) => this.valuesBatchUpdate(m[1]!, r.json()),
      },
      {
        endpoint: 'sheets.spreadsheets.batchUpdate',
        method: 'POST',
        pattern: new RegExp(`^/v4/spreadsheets/${ID}:batchUpdate$`),
        handle: (m, r) => this.sheetBatchUpdate(m[1]!, r.json()),
      },
      {
        endpoint: 'sheets.spreadsheets.get',
        method: 'GET',
        pattern: new RegExp(`^/v4/spreadsheets/${ID}$`),
        handle: (m, r) => ({ json: this.spreadsheetResource(m[1]!, r) }),
      },
    ];
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ——— test controls ———

  /** A service account whose signed assertions the token endpoint accepts. */
  addServiceAccount(email: string, publicKeyPem: string): void {
    this.serviceAccounts.set(email, createPublicKey(publicKeyPem));
  }

  /** An authorization code the desktop login can exchange (as the consent page would hand out). */
  addAuthorizationCode(code: string): void {
    this.codes.set(code, `refresh-${randomBytes(8).toString('hex')}`);
  }

  /** A refresh token already held by a cached desktop login. */
  addRefreshToken(token: string): void {
    this.refreshTokens.set(token, token);
  }

  /** A valid bearer token, for tests that talk to the emulator with plain fetch. */
  issueToken(): string {
    const token = `emu-access-${randomBytes(12).toString('hex')}`;
    this.tokens.add(token);
    return token;
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Requests per endpoint, e.g. `{ 'drive.files.copy': 1 }`. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.log) out[r.endpoint] = (out[r.endpoint] ?? 0) + 1;
    return out;
  }

  /** Bytes of request bodies sent to the API (token requests aside), e.g. for payload figures in benchmarks. */
  payloadBytes(): number {
    return this.log.filter((r) => r.endpoint !== 'oauth.token').reduce((n, r) => n + r.bytes, 0);
  }

  /** Requests other than token requests. */
  apiRequests(): number {
    return this.log.filter((r) => r.endpoint !== 'oauth.token').length;
  }

  resetLog(): void {
    this.log.length = 0;
  }

  addFolder(name: string): string {
    return (this.createMetadata({ name, mimeType: FOLDER_MIME }).json as { id: string }).id;
  }

  /** A Google Doc holding these paragraphs, as if an office worker had written it. */
  addDoc(title: string, paragraphs: string[], parents: string[] = []): string {
    const id = this.newId('doc');
    this.files.set(id, { id, name: title, mimeType: DOC_MIME, parents, appProperties: {}, trashed: false });
    this.docs.set(id, { title, paragraphs: [...paragraphs], revision: 1 });
    return id;
  }

  addSpreadsheet(sheets: { title: string; values?: (CellValue | null)[][] }[]): string {
    const id = this.newId('sheet');
    this.spreadsheets.set(
      id,
      sheets.map((s, i) => ({ sheetId: i * 1000 + 1, title: s.title, values: (s.values ?? []).map((r) => [...r]) })),
    );
    this.files.set(id, {
      id,
      name: 'registry',
      mimeType: 'application/vnd.google-apps.spreadsheet',
      parents: [],
      appProperties: {},
      trashed: false,
      owner: SPREADSHEET_OWNER,
    });
    return id;
  }

  docText(id: string): string {
    return this.docs.get(id)?.paragraphs.join('\n') ?? '';
  }

  liveFiles(parent?: string): DriveFile[] {
    return [...this.files.values()].filter((f) => !f.trashed && (!parent || f.parents.includes(parent)));
  }

  // ——— HTTP plumbing ———

  private newId(prefix: string): string {
    return `${prefix}${++this.seq}${randomBytes(6).toString('hex')}`;
  }

  private takeFault(endpoint: string): Fault | undefined {
    const fault = this.faults.find((f) => f.times > 0 && (f.endpoint === endpoint || f.endpoint === '*'));
    if (fault) fault.times--;
    return fault;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const parsed: Parsed = {
      url,
      headers: req.headers,
      raw,
      json: () => (raw.length ? JSON.parse(raw.toString('utf8')) : {}),
    };
    const route = this.routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    const endpoint = route?.endpoint ?? `unknown ${req.method} ${url.pathname}`;
    const entry: LoggedRequest = {
      endpoint,
      method: req.method ?? '',
      path: url.pathname + url.search,
      status: 0,
      bytes: raw.length,
      arrivedAt: performance.now(),
    };
    this.log.push(entry);
    try {
      entry.body = /json/.test(String(req.headers['content-type'])) ? parsed.json() : undefined;
    } catch {
      entry.body = undefined;
    }
    const send = (reply: Reply) => {
      entry.status = reply.status ?? 200;
      entry.answeredAt = performance.now();
      const body = reply.bytes ?? Buffer.from(JSON.stringify(reply.json ?? {}));
      res.writeHead(entry.status, { 'content-type': reply.contentType ?? 'application/json; charset=utf-8', ...reply.headers });
      res.end(body);
    };
    const fail = (status: number, message: string) => send({ status, json: { error: { code: status, message, status: 'ERROR' } } });
    if (!route) return fail(404, `no such endpoint: ${req.method} ${url.pathname}`);
    if (endpoint !== 'oauth.token') {
      const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
      if (!token || !this.tokens.has(token)) return fail(401, 'Request is missing a valid bearer token');
    }
    this.beforeApply?.(endpoint, entry.body);
    const fault = this.takeFault(endpoint);
    let reply: Reply;
    if (fault && !fault.afterApply) {
      entry.status = fault.kind === 'drop' ? -1 : fault.status!;
      if (fault.kind === 'drop') return void req.socket.destroy();
      return fail(fault.status!, fault.status === 429 ? 'Quota exceeded (emulated)' : 'Backend error (emulated)');
    }
    try {
      reply = await route.handle(route.pattern.exec(url.pathname)!, parsed);
    } catch (error) {
      if (error instanceof HttpError) return fail(error.status, error.message);
      return fail(500, String((error as Error).stack ?? error));
    }
    this.onApplied?.(endpoint);
    if (fault) {
      entry.status = fault.kind === 'drop' ? -1 : fault.status!;
      if (fault.kind === 'drop') return void req.socket.destroy();
      return fail(fault.status!, 'Backend error after apply (emulated)');
    }
    send(reply);
  }

  // ——— OAuth ———

  private token(r: Parsed): Reply {
    const form = new URLSearchParams(r.raw.toString('utf8'));
    const grant = form.get('grant_type');
    const issue = (extra: Record<string, unknown> = {}): Reply => {
      const access = `emu-access-${randomBytes(12).toString('hex')}`;
      this.tokens.add(access);
      return { json: { access_token: access, token_type: 'Bearer', expires_in: 3600, ...extra } };
    };
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const assertion = form.get('assertion') ?? '';
      const [h, p, s] = assertion.split('.');
      const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as { iss?: string };
      const key = this.serviceAccounts.get(claims.iss ?? '');
      if (!key || !verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s ?? '', 'base64url'))) {
        return { status: 400, json: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
      }
      return issue();
    }
    if (grant === 'authorization_code') {
      const refresh = this.codes.get(form.get('code') ?? '');
      if (!refresh) return { status: 400, json: { error: 'invalid_grant', error_description: 'Bad code' } };
      this.codes.delete(form.get('code')!);
      this.refreshTokens.set(refresh, refresh);
      return issue({ refresh_token: refresh });
    }
    if (grant === 'refresh_token' && this.refreshTokens.has(form.get('refresh_token') ?? '')) return issue();
    return { status: 400, json: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } };
  }

  // ——— Drive ———

  private file(id: string): DriveFile {
    const f = this.files.get(id);
    if (!f || f.trashed) throw new HttpError(404, `File not found: ${id}.`);
    return f;
  }

  private fileResource(f: DriveFile): Record<string, unknown> {
    return {
      kind: 'drive#file',
      id: f.id,
      name: f.name,
      mimeType: f.mimeType,
      parents: f.parents,
      appProperties: f.appProperties,
      ...(f.owner ? { owners: [{ emailAddress: f.owner }] } : {}),
      webViewLink: f.mimeType === DOC_MIME ? `https://docs.google.com/document/d/${f.id}/edit` : `https://drive.google.com/file/d/${f.id}/view`,
    };
  }

  private copy(sourceId: string, r: Parsed): Reply {
    const source = this.file(sourceId);
    const meta = r.json() as Partial<DriveFile>;
    const id = this.newId('doc');
    const copy: DriveFile = {
      id,
      name: meta.name ?? `Copy of ${source.name}`,
      mimeType: source.mimeType,
      parents: meta.parents ?? source.parents,
      appProperties: { ...(meta.appProperties ?? {}) },
      trashed: false,
      ...(source.content ? { content: source.content } : {}),
    };
    for (const p of copy.parents) this.file(p);
    this.files.set(id, copy);
    const doc = this.docs.get(sourceId);
    if (doc) this.docs.set(id, { title: copy.name, paragraphs: [...doc.paragraphs], revision: 1 });
    return { json: this.fileResource(copy) };
  }

  private deleteFile(id: string): Reply {
    this.file(id);
    this.files.delete(id);
    this.docs.delete(id);
    return { status: 204, bytes: Buffer.alloc(0) };
  }

  private createMetadata(meta: Partial<DriveFile>): Reply {
    const id = this.newId(meta.mimeType === FOLDER_MIME ? 'folder' : 'file');
    const f: DriveFile = {
      id,
      name: meta.name ?? 'Untitled',
      mimeType: meta.mimeType ?? 'application/octet-stream',
      parents: meta.parents ?? [],
      appProperties: { ...(meta.appProperties ?? {}) },
      trashed: false,
    };
    for (const p of f.parents) this.file(p);
    this.files.set(id, f);
    if (f.mimeType === DOC_MIME) this.docs.set(id, { title: f.name, paragraphs: [], revision: 1 });
    return { json: this.fileResource(f) };
  }

  /** Stores uploaded bytes; a .docx uploaded as a Google Doc is converted: its paragraphs become the Doc's text. */
  private async store(meta: Partial<DriveFile>, media: Buffer, mediaType: string): Promise<Reply> {
    const reply = this.createMetadata(meta);
    const f = this.files.get((reply.json as { id: string }).id)!;
    if (f.mimeType === DOC_MIME && (mediaType === DOCX_MIME || mediaType.includes('officedocument'))) {
      this.docs.set(f.id, { title: f.name, paragraphs: await docxParagraphs(media), revision: 1 });
    } else if (f.mimeType !== DOC_MIME) {
      f.content = media;
    }
    return reply;
  }

  private async upload(r: Parsed): Promise<Reply> {
    const type = r.url.searchParams.get('uploadType');
    if (type === 'multipart') {
      const boundary = /boundary=("?)([^";]+)\1/.exec(String(r.headers['content-type']))?.[2];
      if (!boundary) throw new HttpError(400, 'multipart upload without boundary');
      const parts = splitMultipart(r.raw, boundary);
      if (parts.length !== 2) throw new HttpError(400, `multipart upload with ${parts.length} parts`);
      return this.store(JSON.parse(parts[0]!.body.toString('utf8')), parts[1]!.body, parts[1]!.type);
    }
    if (type === 'resumable') {
      const session = this.newId('upload');
      this.uploads.set(session, { ...r.json(), mediaType: String(r.headers['x-upload-content-type'] ?? '') });
      const location = `${this.url}upload/drive/v3/files?uploadType=resumable&upload_id=${session}`;
      return { headers: { location }, bytes: Buffer.alloc(0) };
    }
    if (type === 'media') return this.store({}, r.raw, String(r.headers['content-type']));
    throw new HttpError(400, `unsupported uploadType ${type}`);
  }

  private resumableData(r: Parsed): Promise<Reply> {
    const session = r.url.searchParams.get('upload_id') ?? '';
    const meta = this.uploads.get(session);
    if (!meta) throw new HttpError(404, 'upload session not found');
    this.uploads.delete(session);
    const { mediaType, ...resource } = meta;
    return this.store(resource as Partial<DriveFile>, r.raw, String(mediaType || r.headers['content-type']));
  }

  private list(r: Parsed): Reply {
    const q = r.url.searchParams.get('q') ?? '';
    const tests = parseQuery(q);
    const files = [...this.files.values()].filter((f) => tests.every((t) => t(f)));
    return { json: { kind: 'drive#fileList', files: files.map((f) => this.fileResource(f)) } };
  }

  private export(id: string, r: Parsed): Reply {
    const f = this.file(id);
    const mime = r.url.searchParams.get('mimeType');
    if (mime !== 'application/pdf') throw new HttpError(400, `export to ${mime} not emulated`);
    if (f.mimeType !== DOC_MIME) throw new HttpError(403, 'Export only supports Docs Editors files.');
    return { bytes: Buffer.from(`%PDF-1.4\n% emulated export of ${f.name}\n${this.docText(id)}\n%%EOF\n`, 'utf8'), contentType: 'application/pdf' };
  }

  // ——— Docs ———

  private docResource(id: string): Record<string, unknown> {
    this.file(id);
    const doc = this.docs.get(id);
    if (!doc) throw new HttpError(400, 'This operation is not supported for this document');
    let index = 1;
    const content = doc.paragraphs.map((text) => {
      const run = `${text}\n`;
      const start = index;
      index += run.length;
      return { startIndex: start, endIndex: index, paragraph: { elements: [{ startIndex: start, endIndex: index, textRun: { content: run } }] } };
    });
    return { documentId: id, title: doc.title, revisionId: `rev${doc.revision}`, body: { content } };
  }

  private docBatchUpdate(id: string, body: { requests?: any[]; writeControl?: { requiredRevisionId?: string } }): Reply {
    this.file(id);
    const doc = this.docs.get(id);
    if (!doc) throw new HttpError(400, 'This operation is not supported for this document');
    if (body.writeControl?.requiredRevisionId && body.writeControl.requiredRevisionId !== `rev${doc.revision}`) {
      throw new HttpError(400, 'The required revision ID does not match the latest revision.');
    }
    const replies = (body.requests ?? []).map((request) => {
      const replace = request.replaceAllText;
      if (!replace) throw new HttpError(400, `request not emulated: ${Object.keys(request).join(',')}`);
      const find = String(replace.containsText?.text ?? '');
      if (!find) throw new HttpError(400, 'containsText.text must not be empty');
      let occurrencesChanged = 0;
      doc.paragraphs = doc.paragraphs.map((p) => {
        const parts = p.split(find);
        occurrencesChanged += parts.length - 1;
        return parts.join(String(replace.replaceText ?? ''));
      });
      return { replaceAllText: occurrencesChanged ? { occurrencesChanged } : {} };
    });
    doc.revision++;
    return { json: { documentId: id, replies, writeControl: { requiredRevisionId: `rev${doc.revision}` } } };
  }

  // ——— Sheets ———

  private sheets(id: string): EmulatedSheet[] {
    const s = this.spreadsheets.get(id);
    if (!s) throw new HttpError(404, `Requested entity was not found.`);
    return s;
  }

  private sheet(id: string, title: string): EmulatedSheet {
    const s = this.sheets(id).find((x) => x.title === title);
    if (!s) throw new HttpError(400, `Unable to parse range: ${title}`);
    return s;
  }

  /**
   * The spreadsheet resource. With `ranges` and grid data asked for (includeGridData, or `data` in the fields mask),
   * as Google does: only the sheets those ranges name, each with the cells of its range (value, note, format,
   * validation) and the widths of its columns.
   */
  private spreadsheetResource(id: string, r?: Parsed): Record<string, unknown> {
    const ranges = (r?.url.searchParams.getAll('ranges') ?? []).map(parseA1);
    const withData = r?.url.searchParams.get('includeGridData') === 'true' || /\bdata\(/.test(r?.url.searchParams.get('fields') ?? '');
    const sheets = this.sheets(id)
      .map((s, index) => ({ s, index }))
      .filter(({ s }) => !ranges.length || ranges.some((a) => a.title === s.title));
    return {
      spreadsheetId: id,
      properties: { title: 'registry', timeZone: this.timeZones.get(id) ?? 'America/Los_Angeles' },
      sheets: sheets.map(({ s, index }) => ({
        properties: {
          sheetId: s.sheetId,
          title: s.title,
          index,
          gridProperties: { ...gridOf(s), ...(s.frozenRowCount ? { frozenRowCount: s.frozenRowCount } : {}) },
        },
        protectedRanges: s.protectedRanges ?? [],
        conditionalFormats: s.conditionalFormats ?? [],
        ...(withData ? { data: ranges.filter((a) => a.title === s.title).map((a) => gridData(s, a)) } : {}),
      })),
    };
  }

  private valuesBatchGet(id: string, r: Parsed): Reply {
    const ranges = r.url.searchParams.getAll('ranges');
    const valueRanges = ranges.map((range) => {
      const a = parseA1(range);
      const s = this.sheet(id, a.title);
      const rows = s.values
        .slice(a.row0, a.row1 === undefined ? undefined : a.row1 + 1)
        .map((row) => row.slice(a.col0, a.col1 === undefined ? undefined : a.col1 + 1).map((v) => (v === null || v === undefined ? '' : v)));
      while (rows.length && rows[rows.length - 1]!.every((v) => v === '')) rows.pop();
      const trimmed = rows.map((row) => {
        const out = [...row];
        while (out.length && out[out.length - 1] === '') out.pop();
        return out;
      });
      return { range, majorDimension: 'ROWS', values: trimmed };
    });
    return { json: { spreadsheetId: id, valueRanges } };
  }

  private valuesBatchUpdate(id: string, body: { valueInputOption?: string; data?: { range: string; values: (CellValue | null)[][] }[] }): Reply {
    if (body.valueInputOption !== 'RAW' && body.valueInputOption !== 'USER_ENTERED') throw new HttpError(400, 'valueInputOption required');
    let updatedCells = 0;
    for (const d of body.data ?? []) {
      const a = parseA1(d.range);
      const s = this.sheet(id, a.title);
      const grid = gridOf(s);
      const lastRow = a.row0 + d.values.length;
      const lastCol = a.col0 + Math.max(0, ...d.values.map((r) => r.length));
      if (lastRow > grid.rowCount || lastCol > grid.columnCount) {
        throw new HttpError(400, `Range (${d.range}) exceeds grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`);
      }
      d.values.forEach((row, i) =>
        row.forEach((value, j) => {
          const r0 = a.row0 + i;
          const c0 = a.col0 + j;
          while (s.values.length <= r0) s.values.push([]);
          const target = s.values[r0]!;
          while (target.length <= c0) target.push(null);
          target[c0] = value === '' ? null : value;
          updatedCells++;
        }),
      );
    }
    return { json: { spreadsheetId: id, totalUpdatedCells: updatedCells } };
  }

  /** All or nothing, as Google applies a spreadsheets.batchUpdate: one failing request undoes the ones before it. */
  private sheetBatchUpdate(id: string, body: { requests?: any[] }): Reply {
    const sheets = this.sheets(id);
    const saved = sheets.map((s) => ({
      ...s,
      values: s.values.map((r) => [...r]),
      notes: new Map(s.notes ?? []),
      protectedRanges: [...(s.protectedRanges ?? [])],
      formats: new Map(s.formats ?? []),
      validations: new Map(s.validations ?? []),
      styles: new Map(s.styles ?? []),
      widths: new Map(s.widths ?? []),
      conditionalFormats: [...(s.conditionalFormats ?? [])],
    }));
    const timeZone = this.timeZones.get(id);
    try {
      return this.applySheetRequests(id, sheets, body);
    } catch (error) {
      sheets.splice(0, sheets.length, ...saved);
      if (timeZone === undefined) this.timeZones.delete(id);
      else this.timeZones.set(id, timeZone);
      throw error;
    }
  }

  private applySheetRequests(id: string, sheets: EmulatedSheet[], body: { requests?: any[] }): Reply {
    const replies = (body.requests ?? []).map((request) => {
      if (request.addSheet) {
        const title = request.addSheet.properties?.title;
        if (sheets.some((s) => s.title === title)) throw new HttpError(400, `A sheet with the name "${title}" already exists.`);
        const sheetId = request.addSheet.properties?.sheetId ?? Math.max(0, ...sheets.map((s) => s.sheetId)) + 1;
        if (sheets.some((s) => s.sheetId === sheetId)) throw new HttpError(400, `A sheet with the ID ${sheetId} already exists.`);
        const grid = request.addSheet.properties?.gridProperties ?? {};
        sheets.push({
          sheetId,
          title,
          values: [],
          rowCount: grid.rowCount ?? 1000,
          columnCount: grid.columnCount ?? 26,
          ...(grid.frozenRowCount ? { frozenRowCount: grid.frozenRowCount } : {}),
        });
        return { addSheet: { properties: { sheetId, title } } };
      }
      if (request.updateSpreadsheetProperties) {
        const u = request.updateSpreadsheetProperties;
        if (u.fields !== 'timeZone') throw new HttpError(400, `request not emulated: updateSpreadsheetProperties of ${u.fields}`);
        this.timeZones.set(id, u.properties.timeZone);
        return {};
      }
      const bySheetId = (sheetId: number) => {
        const s = sheets.find((x) => x.sheetId === (sheetId ?? 0));
        if (!s) throw new HttpError(400, `No grid with id: ${sheetId}`);
        return s;
      };
      if (request.updateSheetProperties) {
        const s = bySheetId(request.updateSheetProperties.properties.sheetId);
        const grid = request.updateSheetProperties.properties.gridProperties ?? {};
        if (grid.rowCount !== undefined) s.rowCount = grid.rowCount;
        if (grid.columnCount !== undefined) s.columnCount = grid.columnCount;
        if (grid.frozenRowCount !== undefined) s.frozenRowCount = grid.frozenRowCount;
        return {};
      }
      if (request.addProtectedRange) {
        const range = request.addProtectedRange.protectedRange;
        const s = bySheetId(range.range?.sheetId);
        const protectedRangeId = ++this.seq;
        const users = [...new Set([...(range.editors?.users ?? []), SPREADSHEET_OWNER])];
        (s.protectedRanges ??= []).push({ ...range, editors: { ...range.editors, users }, protectedRangeId });
        return { addProtectedRange: { protectedRange: { ...range, protectedRangeId } } };
      }
      if (request.deleteProtectedRange) {
        const wanted = request.deleteProtectedRange.protectedRangeId;
        const s = sheets.find((x) => x.protectedRanges?.some((p) => p.protectedRangeId === wanted));
        if (!s) throw new HttpError(400, `No protected range with id: ${wanted}`);
        s.protectedRanges = s.protectedRanges!.filter((p) => p.protectedRangeId !== wanted);
        return {};
      }
      if (request.updateCells) {
        const u = request.updateCells;
        const start = u.range ?? u.start;
        const s = bySheetId(start.sheetId);
        const row0 = start.startRowIndex ?? start.rowIndex ?? 0;
        const col0 = start.startColumnIndex ?? start.columnIndex ?? 0;
        const rows = u.rows ?? [];
        const grid = gridOf(s);
        if (row0 + rows.length > grid.rowCount) throw new HttpError(400, `Range exceeds grid limits. Max rows: ${grid.rowCount}`);
        rows.forEach((row: any, i: number) => (row.values ?? []).forEach((cell: any, j: number) => setCell(s, row0 + i, col0 + j, cell, String(u.fields))));
        return {};
      }
      if (request.appendCells) {
        const a = request.appendCells;
        const s = bySheetId(a.sheetId);
        let last = s.values.length;
        while (last > 0 && !s.values[last - 1]!.some((v) => v !== null && v !== '' && v !== undefined)) last--;
        const rows = a.rows ?? [];
        if (last + rows.length > gridOf(s).rowCount) s.rowCount = last + rows.length;
        rows.forEach((row: any, i: number) => (row.values ?? []).forEach((cell: any, j: number) => setCell(s, last + i, j, cell, String(a.fields))));
        return {};
      }
      const dim = request.insertDimension ?? request.deleteDimension;
      if (dim && dim.range.dimension === 'ROWS') {
        const s = sheets.find((x) => x.sheetId === dim.range.sheetId);
        if (!s) throw new HttpError(400, 'no such sheet');
        if (request.insertDimension) s.values.splice(dim.range.startIndex, 0, ...Array.from({ length: dim.range.endIndex - dim.range.startIndex }, () => []));
        else s.values.splice(dim.range.startIndex, dim.range.endIndex - dim.range.startIndex);
      }
      if (request.updateDimensionProperties?.range?.dimension === 'COLUMNS' && request.updateDimensionProperties.properties?.pixelSize !== undefined) {
        const d = request.updateDimensionProperties;
        const s = bySheetId(d.range.sheetId);
        for (let c = d.range.startIndex ?? 0; c < (d.range.endIndex ?? gridOf(s).columnCount); c++) (s.widths ??= new Map()).set(c, d.properties.pixelSize);
        return {};
      }
      if (request.setDataValidation) {
        const v = request.setDataValidation;
        const s = bySheetId(v.range.sheetId);
        cellsOf(s, v.range, (key) => (v.rule ? (s.validations ??= new Map()).set(key, v.rule) : s.validations?.delete(key)));
        return {};
      }
      if (request.repeatCell && !String(request.repeatCell.fields).includes('numberFormat')) {
        const { range, cell, fields } = request.repeatCell;
        const s = bySheetId(range.sheetId);
        const format = cell?.userEnteredFormat ?? {};
        const style = {
          ...(format.backgroundColor ? { backgroundColor: format.backgroundColor } : {}),
          ...(format.textFormat?.bold !== undefined ? { textFormat: { bold: format.textFormat.bold } } : {}),
          ...(format.horizontalAlignment ? { horizontalAlignment: format.horizontalAlignment } : {}),
          ...(format.verticalAlignment ? { verticalAlignment: format.verticalAlignment } : {}),
          ...(format.wrapStrategy ? { wrapStrategy: format.wrapStrategy } : {}),
        };
        if (!String(fields).startsWith('userEnteredFormat')) throw new HttpError(400, `request not emulated: repeatCell of ${fields}`);
        cellsOf(s, range, (key) => (s.styles ??= new Map()).set(key, { ...(s.styles?.get(key) ?? {}), ...style }));
        return {};
      }
      if (request.repeatCell?.fields === 'userEnteredFormat.numberFormat') {
        const r = request.repeatCell.range;
        const s = bySheetId(r.sheetId);
        const format = request.repeatCell.cell?.userEnteredFormat?.numberFormat;
        const formats = (s.formats ??= new Map());
        const rows = r.endRowIndex ?? gridOf(s).rowCount;
        // Whole-column formats (setup) are kept as a column default, not per cell.
        if (r.endRowIndex === undefined) formats.set(`*,${r.startColumnIndex}`, format?.pattern ?? '');
        else
          for (let i = r.startRowIndex ?? 0; i < rows; i++)
            for (let j = r.startColumnIndex; j < r.endColumnIndex; j++) formats.set(`${i},${j}`, format?.pattern ?? '');
        return {};
      }
      if (request.addConditionalFormatRule) {
        const s = bySheetId(request.addConditionalFormatRule.rule.ranges?.[0]?.sheetId);
        (s.conditionalFormats ??= []).splice(request.addConditionalFormatRule.index ?? s.conditionalFormats.length, 0, request.addConditionalFormatRule.rule);
        return {};
      }
      if (request.deleteConditionalFormatRule) {
        const s = bySheetId(request.deleteConditionalFormatRule.sheetId);
        const i = request.deleteConditionalFormatRule.index;
        if (!s.conditionalFormats || i >= s.conditionalFormats.length) throw new HttpError(400, `No conditional format on sheet ${s.sheetId} at index ${i}`);
        s.conditionalFormats.splice(i, 1);
        return {};
      }
      const known = [
        'insertDimension',
        'deleteDimension',
        'updateSheetProperties',
        'updateCells',
        'updateDimensionProperties',
        'repeatCell',
        'setDataValidation',
        'addProtectedRange',
      ];
      const kind = Object.keys(request)[0] ?? '';
      if (!known.includes(kind)) throw new HttpError(400, `request not emulated: ${kind}`);
      const range = request[kind].range ?? request[kind].start ?? request[kind].properties;
      if (range?.sheetId !== undefined && !sheets.some((s) => s.sheetId === range.sheetId)) throw new HttpError(400, `No grid with id: ${range.sheetId}`);
      // Formats, notes, widths and validations are checked for their target sheet, then only logged.
      return {};
    });
    return { json: { spreadsheetId: id, replies } };
  }

  /**
   * What "someone else" does in the browser to whole rows — insert, delete, sort — without the API: `edit` gets
   * the data rows (below the header) and returns them rearranged; notes and formats move with their rows, as in Sheets.
   */
  moveRows(spreadsheetId: string, title: string, edit: (rows: MovableRow[]) => MovableRow[]): void {
    const s = this.sheet(spreadsheetId, title);
    const perRow = (map: Map<string, string> | undefined, r: number) =>
      new Map([...(map ?? [])].filter(([k]) => k.split(',')[0] === String(r)).map(([k, v]) => [Number(k.split(',')[1]), v]));
    const perRowAny = (map: Map<string, any> | undefined, r: number) =>
      new Map([...(map ?? [])].filter(([k]) => k.split(',')[0] === String(r)).map(([k, v]) => [Number(k.split(',')[1]), v]));
    const rows: MovableRow[] = s.values.slice(1).map((values, i) => ({
      values,
      notes: perRow(s.notes, i + 1),
      formats: perRow(s.formats, i + 1),
      validations: perRowAny(s.validations, i + 1),
      styles: perRowAny(s.styles, i + 1),
    }));
    const moved = edit(rows);
    const keep = <V>(map: Map<string, V> | undefined) => new Map([...(map ?? [])].filter(([k]) => k.startsWith('*,') || k.startsWith('0,')));
    const notes = keep(s.notes);
    const formats = keep(s.formats);
    const validations = keep(s.validations);
    const styles = keep(s.styles);
    moved.forEach((row, i) => {
      for (const [c, v] of row.notes ?? []) notes.set(`${i + 1},${c}`, v);
      for (const [c, v] of row.formats ?? []) formats.set(`${i + 1},${c}`, v);
      for (const [c, v] of row.validations ?? []) validations.set(`${i + 1},${c}`, v);
      for (const [c, v] of row.styles ?? []) styles.set(`${i + 1},${c}`, v);
    });
    s.values.splice(1, s.values.length - 1, ...moved.map((r) => r.values));
    s.notes = notes;
    s.formats = formats;
    s.validations = validations;
    s.styles = styles;
  }

  /** The number format a cell shows (0-based row and column): its own, else its column's, '' when none. */
  formatAt(spreadsheetId: string, title: string, row0: number, col0: number): string {
    const formats = this.sheet(spreadsheetId, title).formats;
    return formats?.get(`${row0},${col0}`) ?? formats?.get(`*,${col0}`) ?? '';
  }

  /** The note of a cell (0-based row and column), '' when none. */
  noteAt(spreadsheetId: string, title: string, row0: number, col0: number): string {
    return this.sheet(spreadsheetId, title).notes?.get(`${row0},${col0}`) ?? '';
  }

  /** What "someone else" does in the browser: edits cells, inserts or deletes rows, without the API. */
  sheetValues(spreadsheetId: string, title: string): (CellValue | null)[][] {
    return this.sheet(spreadsheetId, title).values;
  }
}

/** A data row as `moveRows` hands it out: its values, and its notes and formats by 0-based column. */
export interface MovableRow {
  values: (CellValue | null)[];
  notes?: Map<number, string>;
  formats?: Map<number, string>;
  validations?: Map<number, any>;
  styles?: Map<number, any>;
}

/** Applies one CellData under a fields mask: masked fields the cell omits are cleared, as Google does. */
function setCell(s: EmulatedSheet, row0: number, col0: number, cell: any, fields: string): void {
  const mask = fields === '*' ? ['userEnteredValue', 'note', 'userEnteredFormat'] : fields.split(',').map((f) => f.trim());
  if (mask.includes('userEnteredValue')) {
    const v = cell?.userEnteredValue ?? {};
    const value = v.stringValue ?? v.numberValue ?? v.boolValue ?? v.formulaValue ?? null;
    while (s.values.length <= row0) s.values.push([]);
    const target = s.values[row0]!;
    while (target.length <= col0) target.push(null);
    target[col0] = value === '' ? null : value;
  }
  if (mask.includes('note')) {
    const notes = (s.notes ??= new Map());
    if (cell?.note) notes.set(`${row0},${col0}`, cell.note);
    else notes.delete(`${row0},${col0}`);
  }
  if (mask.some((m) => m === 'userEnteredFormat' || m === 'userEnteredFormat.numberFormat')) {
    const formats = (s.formats ??= new Map());
    const pattern = cell?.userEnteredFormat?.numberFormat?.pattern;
    if (pattern) formats.set(`${row0},${col0}`, pattern);
    else formats.set(`${row0},${col0}`, '');
  }
}

/**
 * Visits the cell keys a GridRange covers: `*,col0` for a range open downwards from the first data row (what a
 * whole-column request leaves behind, so later rows get it too; per-cell entries below are replaced), else each cell.
 */
function cellsOf(s: EmulatedSheet, range: any, visit: (key: string) => void): void {
  const grid = gridOf(s);
  const [c0, c1] = [range.startColumnIndex ?? 0, range.endColumnIndex ?? grid.columnCount];
  if (range.endRowIndex === undefined && (range.startRowIndex ?? 0) >= 1) {
    for (let c = c0; c < c1; c++) {
      for (const map of [s.validations, s.styles])
        for (const k of [...(map?.keys() ?? [])]) if (!k.startsWith('*,') && !k.startsWith('0,') && Number(k.split(',')[1]) === c) map!.delete(k);
      visit(`*,${c}`);
    }
    return;
  }
  for (let r = range.startRowIndex ?? 0; r < (range.endRowIndex ?? grid.rowCount); r++) for (let c = c0; c < c1; c++) visit(`${r},${c}`);
}

/** A key's own entry, else its column's default for data rows. */
function cellEntry<V>(map: Map<string, V> | undefined, row0: number, col0: number): V | undefined {
  return map?.get(`${row0},${col0}`) ?? (row0 >= 1 ? map?.get(`*,${col0}`) : undefined);
}

/** The GridData of one A1 range of a sheet, as spreadsheets.get returns it with grid data. */
function gridData(s: EmulatedSheet, a: ReturnType<typeof parseA1>): Record<string, unknown> {
  const grid = gridOf(s);
  const [r0, r1] = [a.row0, Math.min(a.row1 ?? grid.rowCount - 1, grid.rowCount - 1)];
  const [c0, c1] = [a.col0, Math.min(a.col1 ?? grid.columnCount - 1, grid.columnCount - 1)];
  const rowData = [];
  for (let r = r0; r <= r1; r++) {
    const values = [];
    for (let c = c0; c <= c1; c++) {
      const v = s.values[r]?.[c];
      const pattern = s.formats?.get(`${r},${c}`) ?? (r >= 1 ? s.formats?.get(`*,${c}`) : undefined);
      const format = { ...(cellEntry(s.styles, r, c) ?? {}), ...(pattern ? { numberFormat: { pattern } } : {}) };
      const validation = cellEntry(s.validations, r, c);
      const note = s.notes?.get(`${r},${c}`);
      const value =
        v === null || v === undefined || v === ''
          ? undefined
          : typeof v === 'number'
            ? { numberValue: v }
            : typeof v === 'boolean'
              ? { boolValue: v }
              : { stringValue: v };
      values.push({
        ...(value ? { userEnteredValue: value, effectiveValue: value } : {}),
        ...(note ? { note } : {}),
        ...(Object.keys(format).length ? { userEnteredFormat: format } : {}),
        ...(validation ? { dataValidation: validation } : {}),
      });
    }
    rowData.push({ values });
  }
  const columnMetadata = [];
  for (let c = c0; c <= c1; c++) columnMetadata.push({ pixelSize: s.widths?.get(c) ?? 100 });
  return { startRow: r0, startColumn: c0, rowData, columnMetadata };
}

/** The grid a sheet has: as set, else Google's default for a new sheet, grown to fit its data. */
function gridOf(s: EmulatedSheet): { rowCount: number; columnCount: number } {
  return {
    rowCount: Math.max(s.rowCount ?? 1000, s.values.length),
    columnCount: Math.max(s.columnCount ?? 26, ...s.values.map((r) => r.length)),
  };
}

function indexOfBuffer(haystack: Buffer, needle: Buffer, from: number): number {
  return haystack.indexOf(needle, from);
}

function splitMultipart(raw: Buffer, boundary: string): { type: string; body: Buffer }[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { type: string; body: Buffer }[] = [];
  let pos = indexOfBuffer(raw, delimiter, 0);
  while (pos >= 0) {
    const start = pos + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = indexOfBuffer(raw, delimiter, start);
    if (next < 0) break;
    const part = raw.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    let body = part.subarray(headerEnd + 4);
    if (body.subarray(body.length - 2).toString() === '\r\n') body = body.subarray(0, body.length - 2);
    parts.push({ type: /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim() ?? '', body });
    pos = next;
  }
  return parts;
}

/** The paragraphs of a .docx as Google's conversion would show them: the text of each w:p, runs joined. */
export async function docxParagraphs(bytes: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')?.async('string');
  if (!xml) throw new HttpError(400, 'Unable to convert: not a Word document');
  const paragraphs: string[] = [];
  for (const p of xml.match(/<w:p[ >][\s\S]*?<\/w:p>|<w:p\/>/g) ?? []) {
    const texts = [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!);
    paragraphs.push(
      texts
        .join('')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&'),
    );
  }
  return paragraphs;
}

/** The subset of Drive's query language coop uses: name, parents, trashed, mimeType, appProperties. */
function parseQuery(q: string): ((f: DriveFile) => boolean)[] {
  const tests: ((f: DriveFile) => boolean)[] = [];
  const str = `'((?:[^'\\\\]|\\\\.)*)'`;
  const unquote = (s: string) => s.replace(/\\(.)/g, '$1');
  const clauses: [RegExp, (m: RegExpExecArray) => (f: DriveFile) => boolean][] = [
    [new RegExp(`^name\\s*=\\s*${str}`), (m) => (f) => f.name === unquote(m[1]!)],
    [new RegExp(`^${str}\\s+in\\s+parents`), (m) => (f) => f.parents.includes(unquote(m[1]!))],
    [/^trashed\s*=\s*(true|false)/, (m) => (f) => f.trashed === (m[1] === 'true')],
    [new RegExp(`^mimeType\\s*=\\s*${str}`), (m) => (f) => f.mimeType === unquote(m[1]!)],
    [
      new RegExp(`^appProperties\\s+has\\s*\\{\\s*key\\s*=\\s*${str}\\s+and\\s+value\\s*=\\s*${str}\\s*\\}`),
      (m) => (f) => f.appProperties[unquote(m[1]!)] === unquote(m[2]!),
    ],
  ];
  let rest = q.trim();
  while (rest) {
    const clause = clauses.find(([re]) => re.test(rest));
    if (!clause) throw new HttpError(400, `Invalid Value: q (${rest})`);
    const m = clause[0].exec(rest)!;
    tests.push(clause[1](m));
    rest = rest
      .slice(m[0].length)
      .trim()
      .replace(/^and\s+/i, '');
  }
  return tests;
}
