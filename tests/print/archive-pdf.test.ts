// The archive as printed: `coop export --pdf` through LibreOffice, read back with poppler — legible register, page numbers, serif face, no TRUE/FALSE.
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { coop, tempDir } from '../helpers/cli.js';
import { NO_SOFFICE_REASON, SOFFICE } from '../helpers/libreoffice.js';
import { pdfFontSizes, pdfFonts, pdfPageCount, pdfPages } from '../helpers/pdf.js';
import { NO_POPPLER_REASON, PDFFONTS, PDFTOTEXT } from '../helpers/tools.js';

if (!SOFFICE) console.warn(`[skip] archive PDF: ${NO_SOFFICE_REASON}`);
if (!PDFTOTEXT || !PDFFONTS) console.warn(`[skip] archive PDF: ${NO_POPPLER_REASON}`);

describe.skipIf(!SOFFICE || !PDFTOTEXT || !PDFFONTS)('archive printed to PDF', () => {
  let dir: string;
  let registry: string;
  let pdf: string;
  let pages: string[];

  beforeAll(() => {
    dir = tempDir('coop-archive-pdf-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    registry = join(dir, 'registry.xlsx');
    const r = coop(['export', '--registry', registry, '--out', join(dir, '档案.xlsx'), '--pdf']);
    expect(r.code, r.stderr).toBe(0);
    pdf = join(dir, '档案.pdf');
    expect(r.stdout).toContain(`PDF：${pdf}`);
    pages = pdfPages(pdf);
  }, 300_000);

  it('prints no text smaller than 9 pt, in an embedded serif CJK face and no sans face', () => {
    const sizes = pdfFontSizes(pdf);
    expect(sizes.length).toBeGreaterThan(50);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(9);
    const fonts = pdfFonts(pdf);
    expect(fonts.every((f) => f.embedded)).toBe(true);
    expect(fonts.some((f) => /NotoSerifCJK/.test(f.name))).toBe(true);
    expect(fonts.filter((f) => /Sans/.test(f.name))).toEqual([]);
  });

  it('numbers every page 第 X 页 共 Y 页 and repeats the register header', () => {
    const total = pdfPageCount(pdf);
    expect(pages).toHaveLength(total);
    pages.forEach((page, i) => expect(page.replace(/\s+/g, ''), `page ${i + 1}`).toContain(`第${i + 1}页共${total}页`));
    const register = pages.filter((p) => p.includes('对外合作项目登记簿'));
    expect(register.length).toBeGreaterThan(0);
    for (const p of register) expect(p).toMatch(/编号\s+名称\s+合作单位\s+类别\s+承办系部\s+期限\s+状态\s+协议编号\s+签署日期/);
  });

  it('shows reviews as ✓ / 不涉及 / — with reviewer and date, never TRUE/FALSE, and the cover carries archive blanks', () => {
    const all = pages.join('\n');
    expect(all).not.toMatch(/\b(TRUE|FALSE)\b/);
    expect(all).toMatch(/HZ2026-001[^\n]*教务处\s+✓\s+jiaowu@zqlg\.example\.edu\.cn\s+\d{4}-\d{2}-\d{2}/);
    expect(all).toMatch(/招就处\s+—/); // a project still in review waits on 招就处
    for (const label of ['档号', '经办人', '审核人', '归档日期']) expect(pages[0]).toContain(label);
    // The register shows each term in full, start and end.
    expect(all).toMatch(/2025-09-01[^\n]*\n[^\n]*至2028-07-31/);
  });

  it('--year selects projects whose term overlaps the year, not the year in the project ID', async () => {
    const out = join(dir, '2024.xlsx');
    const r = coop(['export', '--registry', registry, '--out', out, '--year', '2024']);
    expect(r.code, r.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ids: string[] = [];
    wb.getWorksheet('登记簿')!.eachRow((row, n) => n > 2 && ids.push(String(row.getCell(1).value)));
    // Of the demo's HZ2026-… projects only HZ2026-003 (2024-02-01 至 2026-12-31) runs during 2024; the two agreements
    // the office registered as signed before the system (历史登记, HZ2023-001 and HZ2024-001) ran during 2024 too.
    expect(ids).toEqual(['HZ2026-003', 'HZ2023-001', 'HZ2024-001']);
    const help = coop(['export', '--help']);
    expect(help.stdout).toContain('合作期限（开始日期至结束日期）与 Y 年有交集');
  });
});
