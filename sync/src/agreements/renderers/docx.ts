/** The local renderer: fills templates/<group>.docx with docxtemplater and writes the agreement (and optionally a PDF via LibreOffice). */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import { CoopError, type TemplateGroup } from '../../../../core/index.js';
import { templateDocxPath } from '../paths.js';
import { writeFileAtomic } from '../../stores/atomic-file.js';
import type { AgreementJob, AgreementOutput, AgreementRenderer } from '../renderer.js';
import { AGREEMENT_OP_TEXT as T } from '../text.js';

const run = promisify(execFile);
const DELIMITERS = { start: '{{', end: '}}' };
const DRAFT_PLACEHOLDER = '草稿标记';

interface DocxTemplaterError {
  properties?: { errors?: DocxTemplaterError[]; explanation?: string; xtag?: string; id?: string };
  message?: string;
}

function explain(error: unknown): string {
  const e = error as DocxTemplaterError;
  const list = e.properties?.errors ?? [e];
  return list.map((x) => (x.properties?.xtag ? `「${x.properties.xtag}」` : '') + (x.properties?.explanation ?? x.message ?? String(x))).join('；');
}

/** Compiles a template; the parser trims `{{ 名称 }}` to `名称`. */
function compile(template: string, bytes: Uint8Array, fields?: Record<string, string>) {
  let zip: PizZip;
  try {
    zip = new PizZip(bytes);
  } catch (error) {
    throw new CoopError('TEMPLATE', T.templateUnreadable(template, template, (error as Error).message));
  }
  try {
    const doc = new Docxtemplater(zip, {
      delimiters: DELIMITERS,
      paragraphLoop: true,
      linebreaks: true,
      parser: (tag: string) => ({ get: () => fields?.[tag.trim()] }),
      nullGetter: (part) => {
        // Every tag was checked against the field map before rendering; reaching here is a bug, never an empty gap.
        throw new CoopError('INTERNAL', `placeholder without value: ${String(part.value)}`);
      },
    });
    return doc;
  } catch (error) {
    if (error instanceof CoopError) throw error;
    throw new CoopError('TEMPLATE', T.templateSyntax(template, explain(error)));
  }
}

interface Part {
  type: string;
  value?: unknown;
  module?: string;
}

/**
 * The placeholder names a compiled template uses in every templated part (body, headers, footers),
 * refusing anything but simple `{{名称}}` tags. Reads docxtemplater's compiled parts, as its own
 * inspect module does (that module needs lodash, which we do not ship).
 */
function tagsOf(template: string, doc: Docxtemplater): string[] {
  const compiled = (doc as unknown as { compiled: Record<string, { postparsed: Part[] }> }).compiled;
  const names: string[] = [];
  for (const file of Object.values(compiled)) {
    for (const part of file.postparsed) {
      if (part.type !== 'placeholder') continue;
      if (part.module) throw new CoopError('TEMPLATE', T.templateLogic(template, String(part.value ?? '')));
      names.push(String(part.value ?? '').trim());
    }
  }
  return names;
}

/** Characters XML 1.0 forbids; a stray one pasted into a registry cell would make Word refuse the whole file. */
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function xmlSafe(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.replace(XML_INVALID, '')]));
}

/**
 * A last look at the finished file: `{{` left anywhere in its text (a part docxtemplater does not fill,
 * such as a comment or a text box Word keeps apart) means the agreement is not complete.
 */
function leftoverPlaceholder(zip: PizZip): string | null {
  for (const [name, file] of Object.entries(zip.files)) {
    if (file.dir || !/^word\/.*\.xml$/.test(name)) continue;
    const text = file.asText().replace(/<[^>]+>/g, '');
    const at = text.indexOf('{{');
    if (at >= 0) return text.slice(at, at + 30);
  }
  return null;
}

/** Puts the draft mark at the top when an office-edited template has no {{草稿标记}} of its own. */
function prependDraftMark(zip: PizZip, mark: string): void {
  const path = 'word/document.xml';
  const xml = zip.file(path)!.asText();
  const para = `<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:color w:val="C00000"/></w:rPr><w:t>${mark}</w:t></w:r></w:p>`;
  zip.file(path, xml.replace(/<w:body>/, `<w:body>${para}`));
}

/** Atomic, and on any failure (full disk, no permission) the temp file is removed and the error names `path`. */
async function writeAtomic(path: string, data: Uint8Array): Promise<void> {
  await writeFileAtomic(path, data, { backup: false });
}

/** soffice from COOP_SOFFICE, the PATH, or the usual install folders on Windows and macOS. */
export async function findSoffice(): Promise<string | null> {
  const fromEnv = process.env.COOP_SOFFICE;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const names = process.platform === 'win32' ? ['soffice.exe', 'soffice.com'] : ['soffice', 'libreoffice'];
  for (const dir of (process.env.PATH ?? '').split(process.platform === 'win32' ? ';' : ':')) {
    for (const name of names) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  const usual = [
    'C:\\Program Files\\LibreOffice\\program\\soffice.exe',
    'C:\\Program Files (x86)\\LibreOffice\\program\\soffice.exe',
    '/Applications/LibreOffice.app/Contents/MacOS/soffice',
  ];
  return usual.find((p) => existsSync(p)) ?? null;
}

export interface DocxRendererOptions {
  templatesDir: string;
  outDir: string;
  /** Links are written relative to this folder (the registry's) when the agreement lies inside it. */
  baseDir: string;
  pdf: boolean;
}

export class DocxRenderer implements AgreementRenderer {
  private readonly templates = new Map<TemplateGroup, Uint8Array>();
  private soffice: string | null = null;
  private profile: string | null = null;

  constructor(private readonly options: DocxRendererOptions) {}

  async prepare(): Promise<void> {
    if (!this.options.pdf) return;
    this.soffice = await findSoffice();
    if (!this.soffice) throw new CoopError('NOT_FOUND', T.sofficeMissing[0], T.sofficeMissing.slice(1));
  }

  private async template(template: TemplateGroup): Promise<Uint8Array> {
    const cached = this.templates.get(template);
    if (cached) return cached;
    const path = templateDocxPath(this.options.templatesDir, template);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch {
      throw new CoopError('TEMPLATE', T.templateMissing(template, path));
    }
    this.templates.set(template, bytes);
    return bytes;
  }

  /** Also fills the template once with stand-in values, so a placeholder it cannot fill is refused before any file is written. */
  async placeholders(template: TemplateGroup): Promise<string[]> {
    const bytes = await this.template(template);
    const tags = tagsOf(template, compile(template, bytes));
    const trial = compile(template, bytes, Object.fromEntries(tags.map((t) => [t, '·'])));
    try {
      trial.render();
    } catch (error) {
      throw new CoopError('TEMPLATE', T.templateSyntax(template, explain(error)));
    }
    const leftover = leftoverPlaceholder(trial.getZip());
    if (leftover) throw new CoopError('TEMPLATE', T.leftover(template, leftover));
    return tags;
  }

  private resolveLink(link: string): string {
    return isAbsolute(link) ? link : resolve(this.options.baseDir, link);
  }

  private linkFor(path: string): string {
    const rel = relative(this.options.baseDir, path);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : resolve(path);
  }

  async exists(link: string): Promise<boolean> {
    return stat(this.resolveLink(link)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  async render(job: AgreementJob): Promise<AgreementOutput> {
    const doc = compile(job.template, await this.template(job.template), xmlSafe(job.fields));
    const tags = tagsOf(job.template, doc);
    try {
      doc.render();
    } catch (error) {
      if (error instanceof CoopError) throw error;
      throw new CoopError('TEMPLATE', T.templateSyntax(job.template, explain(error)));
    }
    const zip = doc.getZip();
    if (job.draft && !tags.includes(DRAFT_PLACEHOLDER)) prependDraftMark(zip, job.fields.草稿标记);
    const bytes = zip.generate({ type: 'uint8array', compression: 'DEFLATE' });
    await mkdir(this.options.outDir, { recursive: true });
    const path = join(this.options.outDir, `${job.name}.docx`);
    await writeAtomic(path, bytes);
    const output: AgreementOutput = { link: this.linkFor(path) };
    if (this.options.pdf) output.pdfLink = this.linkFor(await this.toPdf(path));
    return output;
  }

  /** Converts in a private LibreOffice profile (so a running LibreOffice does not block it), then moves the PDF beside the .docx. */
  private async toPdf(docx: string): Promise<string> {
    if (!this.soffice) await this.prepare();
    this.profile ??= await mkdtemp(join(tmpdir(), 'coop-lo-'));
    const out = await mkdtemp(join(tmpdir(), 'coop-pdf-'));
    try {
      await run(this.soffice!, [`-env:UserInstallation=${pathToFileURL(this.profile).href}`, '--headless', '--convert-to', 'pdf', '--outdir', out, docx], {
        timeout: 180_000,
      });
      const produced = (await readdir(out)).find((f) => f.endsWith('.pdf'));
      if (!produced) throw new Error('no PDF produced');
      const target = docx.replace(/\.docx$/, '.pdf');
      await writeAtomic(target, new Uint8Array(await readFile(join(out, produced))));
      return target;
    } catch (error) {
      throw new CoopError('INTERNAL', T.pdfFailed(docx, (error as Error).message));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    if (this.profile) await rm(this.profile, { recursive: true, force: true });
    this.profile = null;
  }
}
