// Workbooks written by other programs for the import tests: flat ODS documents that LibreOffice turns into .xlsx.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import { SOFFICE, NO_SOFFICE_REASON } from '../helpers/libreoffice.js';

export type FodsCell =
  | string
  | number
  | null
  | { date: string }
  | { text: string; type: 'string' }
  | { rich: [string, boolean][] }
  | { link: string; text: string }
  | { formula: string; value: number }
  | { span: number; text: string };

export interface FodsTable {
  name: string;
  rows: FodsCell[][];
  /** 0-based indexes of hidden columns. */
  hidden?: number[];
  columns: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function cellXml(cell: FodsCell): string {
  if (cell === null) return '<table:table-cell/>';
  if (typeof cell === 'number') return `<table:table-cell office:value-type="float" office:value="${cell}"><text:p>${cell}</text:p></table:table-cell>`;
  if (typeof cell === 'string') return `<table:table-cell office:value-type="string"><text:p>${esc(cell)}</text:p></table:table-cell>`;
  if ('date' in cell)
    return `<table:table-cell table:style-name="ce1" office:value-type="date" office:date-value="${cell.date}"><text:p>${cell.date}</text:p></table:table-cell>`;
  if ('type' in cell) return `<table:table-cell office:value-type="string"><text:p>${esc(cell.text)}</text:p></table:table-cell>`;
  if ('rich' in cell) {
    const runs = cell.rich.map(([t, bold]) => (bold ? `<text:span text:style-name="T1">${esc(t)}</text:span>` : esc(t))).join('');
    return `<table:table-cell office:value-type="string"><text:p>${runs}</text:p></table:table-cell>`;
  }
  if ('link' in cell)
    return `<table:table-cell office:value-type="string"><text:p><text:a xlink:type="simple" xlink:href="${esc(cell.link)}">${esc(cell.text)}</text:a></text:p></table:table-cell>`;
  if ('formula' in cell)
    return `<table:table-cell table:formula="${esc(cell.formula)}" office:value-type="float" office:value="${cell.value}"><text:p>${cell.value}</text:p></table:table-cell>`;
  return `<table:table-cell table:number-columns-spanned="${cell.span}" table:number-rows-spanned="1" office:value-type="string"><text:p>${esc(cell.text)}</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="${cell.span - 1}"/>`;
}

export function fods(tables: FodsTable[]): string {
  const body = tables
    .map((t) => {
      const cols = Array.from({ length: t.columns }, (_, i) =>
        t.hidden?.includes(i) ? '<table:table-column table:style-name="co1" table:visibility="collapse"/>' : '<table:table-column table:style-name="co1"/>',
      ).join('');
      const rows = t.rows.map((r) => `<table:table-row>${r.map(cellXml).join('')}</table:table-row>`).join('\n');
      return `<table:table table:name="${esc(t.name)}">${cols}\n${rows}</table:table>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
 <number:date-style style:name="N1"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
 <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
 <style:style style:name="co1" style:family="table-column"><style:table-column-properties style:column-width="3cm"/></style:style>
 <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold" fo:color="#c00000"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
${body}
</office:spreadsheet></office:body></office:document>`;
}

/** CSV read as UTF-8, comma-separated, quoted with ", as a Chinese office would save it. */
export const CSV_UTF8 = 'CSV:44,34,76,1';

/** Converts many files in one LibreOffice run (each run costs seconds), returning outputs by input base name. */
export function convertAll(inputs: string[], format: string, infilter?: string): Map<string, string> {
  if (!SOFFICE) throw new Error(NO_SOFFICE_REASON);
  const outDir = mkdtempSync(join(tmpdir(), 'lo-out-'));
  const profile = mkdtempSync(join(tmpdir(), 'lo-profile-'));
  execFileSync(
    SOFFICE,
    [
      `-env:UserInstallation=file://${profile}`,
      '--headless',
      ...(infilter ? [`--infilter=${infilter}`] : []),
      '--convert-to',
      format,
      '--outdir',
      outDir,
      ...inputs,
    ],
    { stdio: 'pipe', timeout: 180_000 },
  );
  const produced = new Map<string, string>();
  const ext = format.split(':')[0]!;
  for (const input of inputs) {
    const stem = basename(input).replace(/\.[^.]+$/, '');
    const file = readdirSync(outDir).find((f) => f === `${stem}.${ext}`);
    if (!file) throw new Error(`LibreOffice produced nothing for ${input}`);
    produced.set(basename(input), join(outDir, file));
  }
  return produced;
}

/** Every sheet's cells as plain values (rich text, links and formulas reduced) for comparing workbooks. */
export async function sheetValues(path: string): Promise<Map<string, unknown[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const out = new Map<string, unknown[][]>();
  for (const ws of workbook.worksheets) {
    const rows: unknown[][] = [];
    ws.eachRow((row, n) => {
      const values: unknown[] = [];
      for (let c = 1; c <= ws.columnCount; c++) {
        let v = row.getCell(c).value as unknown;
        if (v && typeof v === 'object' && !(v instanceof Date)) {
          if ('richText' in v) v = (v as { richText: { text: string }[] }).richText.map((r) => r.text).join('');
          else if ('formula' in v && /^(TRUE|FALSE)\(\)$/.test(String((v as { formula: unknown }).formula)))
            v = (v as { formula: string }).formula === 'TRUE()';
          else if ('result' in v) v = (v as { result: unknown }).result;
          else if ('text' in v) v = (v as { text: unknown }).text;
        }
        values.push(v instanceof Date ? v.toISOString().slice(0, 10) : v === undefined || v === '' ? null : v);
      }
      while (values.length && values[values.length - 1] === null) values.pop();
      rows[n - 1] = values;
    });
    out.set(ws.name, rows);
  }
  return out;
}

const serial = (date: string) => (Date.parse(`${date}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;

/** A hand-kept register in every quirk at once: merged title, blank rows, a hidden stale column, synonyms, rich text, links, formulas, dates in every spelling. */
export function legacyRegister(): string {
  const header: FodsCell[] = [
    '序号',
    '项目名称',
    ' 合作项目名称 ',
    '企业名称',
    '系部',
    '合作类型',
    '开始时间',
    '终止日期',
    '合作内容',
    '成果权属',
    '预计收入(元)',
    '预计支出',
    '负责人',
  ];
  const row = (n: number, ...rest: FodsCell[]): FodsCell[] => [n, '（旧标题，已作废）', ...rest];
  return fods([
    {
      name: '历年合作台账',
      columns: header.length,
      hidden: [1],
      rows: [
        [{ span: 13, text: '汽车运用与维修专业 校企合作项目台账（手工登记）' }],
        [null],
        header,
        row(
          1,
          '新能源汽车高压安全培训',
          {
            rich: [
              ['广东鼎力', true],
              ['汽车服务有限公司', false],
            ],
          },
          '汽车运用与维修专业',
          '培训服务',
          { date: '2026-03-01' },
          serial('2027-02-28'),
          '为企业员工开展新能源汽车高压安全培训。',
          '学校所有',
          { formula: 'of:=1000*12', value: 12000 },
          { text: '３,０００.５０', type: 'string' },
          '刘海',
        ),
        [null],
        row(
          2,
          '中高职贯通三二分段试点',
          ' 肇庆市智能制造行业协会 ',
          '工业机器人技术应用专业\u3000',
          '联合办学(三二分段)',
          { text: '2026/4/1', type: 'string' },
          { text: '2027年3月31日', type: 'string' },
          '三二分段贯通培养。',
          '双方共有',
          { text: '80000', type: 'string' },
          0,
          '  吴国栋 ',
        ),
        row(
          3,
          '数控机床维护技能竞赛合作',
          { link: 'https://xinghu-cnc.example.cn/', text: '肇庆星湖数控机械有限公司' },
          '数控技术应用专业教学团队',
          '培训服务',
          { text: '2026.5.1', type: 'string' },
          { text: '20270430', type: 'string' },
          '联合举办技能竞赛。',
          '学校所有',
          5000,
          { formula: 'of:=0.1+0.2', value: 0.3 },
          '黄志强',
        ),
        row(
          4,
          '日期写错的项目',
          '肇庆星湖数控机械有限公司',
          '数控技术应用专业教学团队',
          '培训服务',
          { text: '2026-02-30', type: 'string' },
          { text: '2026-12-31', type: 'string' },
          '内容。',
          '学校所有',
          0,
          0,
          '黄志强',
        ),
      ],
    },
    {
      name: '单位信息',
      columns: 8,
      rows: [
        [{ span: 8, text: '新增合作单位' }],
        ['单位全称', '单位性质', '信用代码', '联系人姓名', '手机', '邮箱', '诚信状况', '对接专业'],
        [
          '肇庆（高新区）智造科技有限公司',
          '企业',
          ' ９１４４１２００ma4uxk3a2j ',
          '梁晓',
          13800138000,
          { link: 'mailto:liangxiao@zzkj.example.cn', text: 'liangxiao@zzkj.example.cn' },
          '良好',
          '工业机器人技术应用',
        ],
      ],
    },
  ]);
}
