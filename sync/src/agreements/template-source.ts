/** Builds the agreement templates (.docx) and templates/README.md from the reviewable text sources in templates/src. */
import PizZip from 'pizzip';
import { AGREEMENT_PLACEHOLDERS, BILINGUAL_TEMPLATE, CATEGORIES, TEMPLATE_GROUPS, templateKeyFor } from '../../../core/index.js';

/**
 * Source syntax, one paragraph per line (blank lines are ignored):
 * `# 标题` title · `## 条名` numbered article (第一条…) · `> 文字` right-aligned · `| 文字` no first-line indent ·
 * `^ 文字` centered · `% text` the English text of the paragraph above (bilingual agreements) · `:: 标签 | 值` a row of a party block (label and value columns, never letter-spaced) ·
 * `|| 左 | 右` a row of the borderless two-column signature table, `||~` its room for the seals ·
 * `@include 文件` text of templates/src/_shared/文件 ·
 * `<!-- … -->` a note for reviewers, not in the document · anything else: a body paragraph.
 */
export type SourceReader = (name: string) => string;

type Block =
  | { kind: 'title' | 'article' | 'right' | 'center' | 'plain' | 'body' | 'english'; text: string }
  | { kind: 'row'; cells: [string, string] }
  | { kind: 'field'; cells: [string, string] }
  | { kind: 'seal' };

const NUMERALS = '零一二三四五六七八九';

/** 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一: article numbers as contracts write them. */
export function chineseOrdinal(n: number): string {
  if (n < 10) return NUMERALS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : NUMERALS[tens]}十${ones ? NUMERALS[ones] : ''}`;
}

export function parseSource(text: string, readShared: SourceReader, depth = 0): Block[] {
  if (depth > 4) throw new Error('@include nested too deeply');
  const blocks: Block[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || (line.startsWith('<!--') && line.endsWith('-->'))) continue;
    if (line.startsWith('@include ')) blocks.push(...parseSource(readShared(line.slice(9).trim()), readShared, depth + 1));
    else if (line.startsWith('## ')) blocks.push({ kind: 'article', text: line.slice(3).trim() });
    else if (line.startsWith('# ')) blocks.push({ kind: 'title', text: line.slice(2).trim() });
    else if (line.startsWith('> ')) blocks.push({ kind: 'right', text: line.slice(2).trim() });
    else if (line.startsWith('^ ')) blocks.push({ kind: 'center', text: line.slice(2).trim() });
    else if (line.startsWith('% ')) blocks.push({ kind: 'english', text: line.slice(2).trim() });
    else if (line === '||~') blocks.push({ kind: 'seal' });
    else if (line.startsWith(':: ')) {
      const [label = '', value = ''] = line.slice(3).split(' | ');
      blocks.push({ kind: 'field', cells: [label.trim(), value.trim()] });
    } else if (line.startsWith('|| ')) {
      const [left = '', right = ''] = line.slice(3).split(' | ');
      blocks.push({ kind: 'row', cells: [left.trim(), right.trim()] });
    } else if (line.startsWith('| ')) blocks.push({ kind: 'plain', text: line.slice(2).trim() });
    else blocks.push({ kind: 'body', text: line });
  }
  return blocks;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function run(text: string, bold = false, size?: number): string {
  const props = [bold ? '<w:b/>' : '', size ? `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/>` : ''].join('');
  return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
}

function paragraph(content: string, props = ''): string {
  return `<w:p>${props ? `<w:pPr>${props}</w:pPr>` : ''}${content}</w:p>`;
}

const NO_BORDERS = ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((s) => `<w:${s} w:val="nil"/>`).join('');
/** Text width of A4 with 2.54 cm margins, in twips. */
const TEXT_WIDTH = 9026;
/** Left-aligned, so a short line with a long e-mail or number is never stretched across the page. */
const LEFT = '<w:jc w:val="left"/>';

/** A borderless table with fixed column widths: Word, WPS and LibreOffice lay it out the same, whatever the text. */
function fixedTable(widths: readonly number[], rows: string[]): string {
  const grid = widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('');
  return `<w:tbl><w:tblPr><w:tblW w:w="${widths.reduce((a, b) => a + b, 0)}" w:type="dxa"/><w:tblBorders>${NO_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>${grid}</w:tblGrid>${rows.join('')}</w:tbl>`;
}

function tableCell(width: number, content: string): string {
  return `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/></w:tcPr>${content}</w:tc>`;
}

/** Twips a label needs at 小四: 240 per Han character, about half that per Latin letter. */
function labelTwips(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\uffff]/.test(ch) ? 240 : 125;
  return w;
}

/** The party block: label column (as wide as its longest label, so bilingual labels stay on one line) and value column. */
function fieldTable(rows: [string, string][]): string {
  const label = Math.min(4400, Math.max(2600, ...rows.map(([l]) => labelTwips(l) + 240)));
  const FIELD_WIDTHS = [label, TEXT_WIDTH - label];
  const para = (text: string, bold = false) => paragraph(run(text, bold), `<w:spacing w:before="0" w:after="0" w:line="300" w:lineRule="auto"/>${LEFT}`);
  return fixedTable(
    FIELD_WIDTHS,
    rows.map(([label, value]) => {
      // A line that names a party (甲方/乙方) starts its block: bold, with a little air above.
      const party = /^[甲乙]方/.test(label);
      return `<w:tr><w:trPr><w:cantSplit/></w:trPr>${tableCell(FIELD_WIDTHS[0]!, para(label, party))}${tableCell(FIELD_WIDTHS[1]!, para(value, party))}</w:tr>`;
    }),
  );
}

/**
 * The signature table: two fixed halves, every row kept whole and kept with the next (the block never splits across
 * pages), the party's full name in 五号 so long names fit one line, and a tall empty row for the seals.
 */
const SIGN_WIDTHS = [TEXT_WIDTH / 2, TEXT_WIDTH / 2].map(Math.floor);
function signatureTable(rows: ([string, string] | null)[]): string {
  const para = (text: string, size?: number) => paragraph(run(text, false, size), `<w:keepNext/><w:keepLines/><w:spacing w:before="60" w:after="60"/>${LEFT}`);
  return fixedTable(
    SIGN_WIDTHS,
    rows.map((row, i) => {
      if (!row)
        return `<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="1900" w:hRule="exact"/></w:trPr>${SIGN_WIDTHS.map((w) => tableCell(w, para(''))).join('')}</w:tr>`;
      const size = i === 1 ? 21 : undefined;
      return `<w:tr><w:trPr><w:cantSplit/></w:trPr>${row.map((text, c) => tableCell(SIGN_WIDTHS[c]!, para(text, size))).join('')}</w:tr>`;
    }),
  );
}

function documentXml(blocks: Block[]): string {
  const body: string[] = [];
  let article = 0;
  let rows: ([string, string] | null)[] = [];
  let fields: [string, string][] = [];
  const flush = () => {
    if (rows.length) body.push(signatureTable(rows), paragraph(''));
    if (fields.length) body.push(fieldTable(fields), paragraph(''));
    rows = [];
    fields = [];
  };
  for (const b of blocks) {
    if (b.kind === 'row' || b.kind === 'seal') {
      if (fields.length) flush();
      rows.push(b.kind === 'row' ? b.cells : null);
      continue;
    }
    if (b.kind === 'field') {
      if (rows.length) flush();
      fields.push(b.cells);
      continue;
    }
    flush();
    if (b.kind === 'title') body.push(paragraph(run(b.text, true, 36), '<w:keepNext/><w:jc w:val="center"/><w:spacing w:after="120"/>'));
    else if (b.kind === 'center') body.push(paragraph(run(b.text, true), '<w:jc w:val="center"/><w:spacing w:after="120"/>'));
    else if (b.kind === 'article')
      body.push(paragraph(run(`第${chineseOrdinal(++article)}条　${b.text}`, true), '<w:keepNext/><w:spacing w:before="240" w:after="60"/>'));
    else if (b.kind === 'right') body.push(paragraph(run(b.text), '<w:jc w:val="right"/>'));
    else if (b.kind === 'plain') body.push(paragraph(run(b.text), `<w:keepNext/>${LEFT}`));
    // English follows its Chinese paragraph in 五号, left-aligned so long words never stretch a line.
    else if (b.kind === 'english') body.push(paragraph(run(b.text, false, 21), `<w:spacing w:after="120"/>${LEFT}`));
    else body.push(paragraph(run(b.text), '<w:ind w:firstLine="480"/>'));
  }
  flush();
  const section =
    '<w:sectPr><w:footerReference w:type="default" r:id="rId2"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>${body.join('')}${section}</w:body></w:document>`;
}

/** 第 X 页 共 Y 页 on every page, from Word fields every reader updates on layout. */
function field(code: string): string {
  return `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ${code} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`;
}

const FOOTER = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>${run('第 ')}${field('PAGE')}${run(' 页 共 ')}${field('NUMPAGES')}${run(' 页')}</w:p></w:ftr>`;

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`;

const DOCUMENT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>`;

/** 宋体 小四 with 1.5 line spacing: the usual look of a school's contracts, readable in Word, WPS and LibreOffice. */
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:line="360" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style></w:styles>`;

function coreXml(title: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${escapeXml(title)}</dc:title><dc:creator>coop-registry</dc:creator></cp:coreProperties>`;
}

/** The parts of a template .docx, by path: what the consistency test compares. */
export function templateParts(source: string, readShared: SourceReader): Record<string, string> {
  const blocks = parseSource(source, readShared);
  const title = blocks.find((b) => b.kind === 'title');
  return {
    '[Content_Types].xml': CONTENT_TYPES,
    '_rels/.rels': ROOT_RELS,
    'docProps/core.xml': coreXml(title && 'text' in title ? title.text.replace(/\{\{[^}]*\}\}/g, '') : ''),
    'word/_rels/document.xml.rels': DOCUMENT_RELS,
    'word/document.xml': documentXml(blocks),
    'word/styles.xml': STYLES,
    'word/footer1.xml': FOOTER,
  };
}

/** A fixed timestamp, so regenerating an unchanged template gives the same bytes. */
const FIXED_DATE = new Date(Date.UTC(2024, 0, 1));

export function zipParts(parts: Record<string, string>): Uint8Array {
  const zip = new PizZip();
  for (const [name, text] of Object.entries(parts)) zip.file(name, text, { date: FIXED_DATE });
  return zip.generate({ type: 'uint8array', compression: 'DEFLATE' });
}

export function buildTemplateDocx(source: string, readShared: SourceReader): Uint8Array {
  return zipParts(templateParts(source, readShared));
}

/** templates/README.md, written from core so the list of placeholders cannot drift from the code that fills them. */
export function templatesReadme(): string {
  const lines = [
    '# 协议模板',
    '',
    '<!-- 本文件由 `npm run templates` 根据 core/agreement.ts 生成，请勿手工修改。 -->',
    '',
    '每类合作一份模板（`.docx`，可用 Word、WPS 或 LibreOffice 编辑）；未单独列出的类别使用「通用」模板。',
    '模板正文以文本形式保存在 `templates/src/*.md`（共用条款在 `templates/src/_shared/`），修改后运行 `npm run templates` 重新生成 `.docx` 和本文件。',
    '模板中只写占位符 `{{占位符}}`，不写任何条件或循环；例如成果权属对应的知识产权条款由程序选定后整段填入 `{{知识产权条款}}`。',
    '',
    '## 模板与合作类别',
    '',
    '| 模板 | 文件 | 适用的合作类别 |',
    '| --- | --- | --- |',
    ...TEMPLATE_GROUPS.map((g) => {
      const categories = CATEGORIES.filter((c) => templateKeyFor(c) === g);
      const applies =
        g === BILINGUAL_TEMPLATE
          ? '合作单位为境外机构的全部项目（中英文对照，以中文文本为准）'
          : categories.length
            ? categories.join('、')
            : '其他类别及未填类别';
      return `| ${g} | \`${g}.docx\` | ${applies} |`;
    }),
    '',
    '## 占位符',
    '',
    '| 占位符 | 含义 |',
    '| --- | --- |',
    ...Object.entries(AGREEMENT_PLACEHOLDERS).map(([name, meaning]) => `| \`{{${name}}}\` | ${meaning} |`),
    '',
    '模板中出现上表以外的占位符、必填内容为空、找不到模板或项目状态不符时，`coop agreement` 报错并说明模板、字段和项目，不生成任何文件。',
    '',
  ];
  return lines.join('\n');
}
