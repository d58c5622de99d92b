/** The local renderer: fills templates/<group>.docx with docxtemplater and writes the agreement (and optionally a PDF via LibreOffice). */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import { CoopError, type TemplateGroup } from '../../../../core/index.js';
import { PdfConverter } from '../../print/pdf.js';
import { templateDocxPath } from '../paths.js';
import { writeFileAtomic } from '../../stores/atomic-file.js';
import type { AgreementJob, AgreementOutput, AgreementRenderer } from '../renderer.js';
import { AGREEMENT_OP_TEXT as T } from '../text.js';

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

const DRAFT_HEADER = 'word/header-draft.xml';
const DRAFT_REL = 'rIdCoopDraftHeader';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Every page of a draft carries a large diagonal 草稿 behind the text (Word's own watermark shape, which LibreOffice
 * and WPS also draw) and a line saying what the draft is for; a header placed on every section replaces the template's.
 */
function addDraftWatermark(zip: PizZip, mark: string): void {
  const header = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:color w:val="C00000"/><w:sz w:val="18"/></w:rPr><w:t>${escapeXml(mark)}</w:t></w:r><w:r><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/><v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype><v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" style="position:absolute;margin-left:0;margin-top:0;width:360pt;height:180pt;rotation:315;z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d0d0d0" stroked="f"><v:fill opacity=".5"/><v:textpath style="font-family:&quot;宋体&quot;;font-size:1pt" string="草稿"/></v:shape></w:pict></w:r></w:p></w:hdr>`;
  zip.file(DRAFT_HEADER, header);
  const relsPath = 'word/_rels/document.xml.rels';
  const rels =
    zip.file(relsPath)?.asText() ??
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';
  zip.file(
    relsPath,
    rels.replace(
      '</Relationships>',
      `<Relationship Id="${DRAFT_REL}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header-draft.xml"/></Relationships>`,
    ),
  );
  const types = zip.file('[Content_Types].xml')!.asText();
  zip.file(
    '[Content_Types].xml',
    types.replace(
      '</Types>',
      '<Override PartName="/word/header-draft.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>',
    ),
  );
  const path = 'word/document.xml';
  let xml = zip.file(path)!.asText();
  if (!/xmlns:r=/.test(xml.slice(0, 2000)))
    xml = xml.replace('<w:document ', '<w:document xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ');
  xml = xml.replace(/<w:headerReference [^>]*w:type="default"[^>]*\/>/g, '');
  xml = xml.replace(/<w:sectPr(\s[^>]*)?>/g, (open) => `${open}<w:headerReference w:type="default" r:id="${DRAFT_REL}"/>`);
  zip.file(path, xml);
}

/** Atomic, and on any failure (full disk, no permission) the temp file is removed and the error names `path`. */
async function writeAtomic(path: string, data: Uint8Array): Promise<void> {
  await writeFileAtomic(path, data, { backup: false });
}

export { findSoffice } from '../../print/pdf.js';

export interface DocxRendererOptions {
  templatesDir: string;
  outDir: string;
  /** Links are written relative to this folder (the registry's) when the agreement lies inside it. */
  baseDir: string;
  pdf: boolean;
}

export class DocxRenderer implements AgreementRenderer {
  private readonly templates = new Map<TemplateGroup, Uint8Array>();
  private readonly pdf = new PdfConverter();

  constructor(private readonly options: DocxRendererOptions) {}

  async prepare(): Promise<void> {
    if (this.options.pdf) await this.pdf.prepare();
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
    if (job.draft) addDraftWatermark(zip, job.fields.草稿标记);
    const bytes = zip.generate({ type: 'uint8array', compression: 'DEFLATE' });
    await mkdir(this.options.outDir, { recursive: true });
    const path = join(this.options.outDir, `${job.name}.docx`);
    await writeAtomic(path, bytes);
    const output: AgreementOutput = { link: this.linkFor(path) };
    if (this.options.pdf) output.pdfLink = this.linkFor(await this.pdf.convert(path));
    return output;
  }

  async close(): Promise<void> {
    await this.pdf.close();
  }
}
