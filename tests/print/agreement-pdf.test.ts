// Agreements as signed on paper: `coop agreement --pdf` through LibreOffice, read with poppler — party blocks, page numbers,
// an unbroken signature table, amounts only where stated, serif face, and a draft watermarked on every page without an agreement number.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import PizZip from 'pizzip';
import { PdfConverter } from '../../sync/src/print/pdf.js';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { NO_SOFFICE_REASON, SOFFICE } from '../helpers/libreoffice.js';
import { pdfFonts, pdfPages } from '../helpers/pdf.js';
import { countGrey, greyPages } from '../helpers/raster.js';
import { NO_POPPLER_REASON, PDFFONTS, PDFTOTEXT } from '../helpers/tools.js';

if (!SOFFICE) console.warn(`[skip] agreement PDF: ${NO_SOFFICE_REASON}`);
if (!PDFTOTEXT || !PDFFONTS) console.warn(`[skip] agreement PDF: ${NO_POPPLER_REASON}`);

const squash = (s: string) => s.replace(/\s+/g, '');

describe.skipIf(!SOFFICE || !PDFTOTEXT || !PDFFONTS)('agreements printed to PDF', () => {
  let out: string;
  let final: string;
  let draft: string;
  let expenseOnly: string;

  beforeAll(async () => {
    const dir = tempDir('coop-agreement-pdf-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    const registry = join(dir, 'registry.xlsx');
    // HZ2026-005 (a 境外机构 partner) states no amounts at all.
    await new XlsxRegistryStore(registry).update((data) => {
      const p = data.projects.find((r) => r.cells.projectId === 'HZ2026-005')!;
      p.cells.income = null;
      p.cells.expense = null;
      return { result: undefined, write: true };
    });
    out = join(dir, 'pdf');
    for (const args of [
      ['HZ2026-001', 'HZ2026-002', '--force'],
      ['HZ2026-005', '--draft'],
    ]) {
      const r = coop(['agreement', ...args, '--pdf', '--out', out, '--registry', registry]);
      expect(r.code, r.stderr).toBe(0);
    }
    const pdfs = readdirSync(out).filter((f) => f.endsWith('.pdf'));
    final = join(out, pdfs.find((f) => f.startsWith('ZQLG-HZ-2026-001'))!);
    expenseOnly = join(out, pdfs.find((f) => f.startsWith('ZQLG-HZ-2026-002'))!);
    draft = join(out, pdfs.find((f) => f.endsWith('_草稿.pdf'))!);
  }, 600_000);

  it('numbers every page 第 X 页 共 Y 页', () => {
    for (const pdf of [final, draft]) {
      const pages = pdfPages(pdf);
      expect(pages.length).toBeGreaterThan(1);
      pages.forEach((p, i) => expect(squash(p), `${pdf} page ${i + 1}`).toContain(`第${i + 1}页共${pages.length}页`));
    }
  });

  it('gives both parties full blocks, each detail on its own unbroken line', () => {
    const first = pdfPages(final)[0]!;
    for (const line of [
      /^\s*甲方\s+肇庆理工中等职业学校\s*$/m,
      /^\s*乙方\s+肇庆星湖数控机械有限公司\s*$/m,
      /^\s*住所\s+广东省肇庆市端州区信安大道\s*88\s*号\s*$/m,
      /^\s*法定代表人\s+李国华\s*$/m,
      /^\s*电子邮箱\s+liming@xinghu-cnc\.example\.cn\s*$/m,
      /^\s*联系电话\s+13826612345\s*$/m,
    ]) {
      expect(first).toMatch(line);
    }
    expect(first.match(/^\s*开户银行\s+＿+\s*$/gm)).toHaveLength(2);
    expect(first.match(/^\s*账号\s+＿+\s*$/gm)).toHaveLength(2);
  });

  it('keeps the signature table on one page, no line of it split, with room for the seals', () => {
    for (const pdf of [final, draft]) {
      const pages = pdfPages(pdf);
      const page = pages.find((p) => p.includes('甲方（公章）'))!;
      expect(page, pdf).toMatch(/甲方（公章）[^\n]*乙方（公章）/);
      expect(page).toMatch(/学校代表（签字）：\s+法定代表人或授权代表（签字）：/);
      expect(page).toMatch(/＿{8,}\s+(Signature：)?＿{8,}/);
      expect(page).toMatch(/签署日期( Date)?：.*日\s+签署日期( Date)?：.*日/);
      expect(page).toContain('签订地点');
      // The seal row: blank lines between the names and the signatures.
      const lines = page.split('\n');
      const names = lines.findIndex((l) => /肇庆理工中等职业学校\s+\S/.test(l) && !l.includes('甲方'));
      const sign = lines.findIndex((l) => l.includes('学校代表（签字）'));
      expect(sign - names).toBeGreaterThanOrEqual(4);
      expect(lines.slice(names + 1, sign).every((l) => !l.trim())).toBe(true);
    }
  });

  it('states only the amounts a project has, never 零元', () => {
    const both = pdfPages(final).join('\n');
    expect(squash(both)).toContain('预计甲方收入人民币120,000.00元（大写：人民币壹拾贰万元整），预计甲方支出人民币45,000.50元');
    const one = squash(pdfPages(expenseOnly).join('\n'));
    expect(one).toContain('本项目预计甲方支出人民币18,000.00元（大写：人民币壹万捌仟元整）。');
    expect(one).not.toContain('零元');
    expect(one).not.toContain('预计甲方收入');
    const none = squash(pdfPages(draft).join('\n'));
    expect(none).toContain('本协议不约定具体金额');
    expect(none).not.toMatch(/零元|0\.00元/);
  });

  it('writes an agreement with a 境外机构 in Chinese and English, the Chinese text prevailing', () => {
    const bilingual = pdfPages(draft).join('\n');
    expect(bilingual).toContain('Cooperation Agreement');
    expect(bilingual).toMatch(/法定代表人 Legal Representative\s+Lim Boon Hock/);
    expect(squash(bilingual)).toContain(squash('本协议以中文和英文书就，两种文本如有不一致，以中文文本为准。'));
    expect(squash(bilingual)).toContain(squash('Should there be any discrepancy between the two texts, the Chinese text shall prevail.'));
    expect(squash(bilingual)).toContain(squash('This Agreement runs from 1 October 2025 to 30 September 2027.'));
    expect(squash(bilingual)).toContain(squash('This Agreement stipulates no specific amount'));
    // A domestic partner's agreement stays Chinese only.
    expect(pdfPages(final).join('\n')).not.toMatch(/Party A|Agreement/);
  });

  it('embeds a serif CJK face and no sans face', () => {
    for (const pdf of [final, draft]) {
      const fonts = pdfFonts(pdf);
      expect(fonts.every((f) => f.embedded)).toBe(true);
      expect(
        fonts.some((f) => /NotoSerifCJK/.test(f.name)),
        JSON.stringify(fonts),
      ).toBe(true);
      expect(fonts.filter((f) => /Sans/.test(f.name))).toEqual([]);
    }
  });

  it('sets the Chinese text in the Simplified Chinese serif face, told apart from the Japanese one by its glyphs', async () => {
    // pdffonts names every face of the Noto CJK collection …CJKjp…, so compare glyphs instead: the same agreement with its
    // 宋体 replaced by the SC and by the JP face, converted the same way, must draw page 1 exactly like SC and unlike JP.
    const docx = join(out, readdirSync(out).find((f) => f.startsWith('ZQLG-HZ-2026-001') && f.endsWith('.docx'))!);
    const dir = mkdtempSync(join(tmpdir(), 'coop-glyphs-'));
    const variant = (face: string) => {
      const zip = new PizZip(readFileSync(docx));
      zip.file(
        'word/styles.xml',
        zip
          .file('word/styles.xml')!
          .asText()
          .replace(/w:eastAsia="[^"]*"/g, `w:eastAsia="${face}"`),
      );
      const path = join(dir, `${face.replace(/\s+/g, '-')}.docx`);
      writeFileSync(path, zip.generate({ type: 'nodebuffer' }));
      return path;
    };
    const converter = new PdfConverter();
    const [sc, jp] = [await converter.convert(variant('Noto Serif CJK SC')), await converter.convert(variant('Noto Serif CJK JP'))];
    await converter.close();
    const page1 = (pdf: string) => greyPages(pdf, 50)[0]!;
    const differ = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + (Math.abs(v - b[i]!) > 40 ? 1 : 0), 0);
    const ours = page1(final);
    const [scPage, jpPage] = [page1(sc), page1(jp)];
    expect(differ(scPage, jpPage)).toBeGreaterThan(500); // the two faces do draw this text differently
    expect(differ(ours, scPage)).toBeLessThan(differ(ours, jpPage) / 10);
  }, 300_000);

  it('marks a draft on every page, with a watermark drawn behind the text and no agreement number', () => {
    const pages = pdfPages(draft);
    pages.forEach((p, i) => expect(squash(p), `page ${i + 1}`).toContain('草稿，仅供审阅，不得作为签署文本'));
    expect(pages.join('\n')).not.toMatch(/ZQLG-HZ/);
    expect(squash(pages[0]!)).toMatch(/协议编号[^：]*：（草稿，批准后编号）/);
    // The watermark is drawn (not text): its light grey fills part of every page; a final agreement has none of it.
    const watermark = (p: Uint8Array) => countGrey(p, 229, 233);
    const finalMax = Math.max(...greyPages(final).map(watermark));
    for (const [i, p] of greyPages(draft).entries()) expect(watermark(p), `page ${i + 1}`).toBeGreaterThan(Math.max(1500, finalMax * 3));
  });
});
