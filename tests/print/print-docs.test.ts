// `coop print approval|agenda|annual --pdf` on the demo registry, read back from the PDFs with poppler as the archive room and a meeting would read them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_APPROVERS } from '../../sync/src/demo/sample-data.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { NO_SOFFICE_REASON, SOFFICE } from '../helpers/libreoffice.js';
import { pdfFontSizes, pdfFonts, pdfPages } from '../helpers/pdf.js';
import { NO_POPPLER_REASON, PDFFONTS, PDFTOTEXT } from '../helpers/tools.js';

if (!SOFFICE) console.warn(`[skip] printed documents: ${NO_SOFFICE_REASON}`);
if (!PDFTOTEXT || !PDFFONTS) console.warn(`[skip] printed documents: ${NO_POPPLER_REASON}`);

const squash = (s: string) => s.replace(/\s+/g, '');

/** What every printed document must be: legible, numbered on every page, in a serif face, with no spreadsheet booleans. */
function expectPrintable(pdf: string): string[] {
  const pages = pdfPages(pdf);
  expect(pages.length).toBeGreaterThan(0);
  pages.forEach((p, i) => expect(squash(p), `${pdf} page ${i + 1}`).toContain(`第${i + 1}页共${pages.length}页`));
  expect(Math.min(...pdfFontSizes(pdf))).toBeGreaterThanOrEqual(9);
  const fonts = pdfFonts(pdf);
  expect(fonts.some((f) => /NotoSerifCJK/.test(f.name))).toBe(true);
  expect(fonts.filter((f) => /Sans/.test(f.name))).toEqual([]);
  expect(pages.join('\n')).not.toMatch(/\b(TRUE|FALSE)\b/);
  return pages;
}

describe.skipIf(!SOFFICE || !PDFTOTEXT || !PDFFONTS)('coop print', () => {
  let dir: string;
  let registry: string;
  const run = (args: string[]) => coop([...args, '--registry', registry], { cwd: dir });

  beforeAll(async () => {
    dir = tempDir('coop-print-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    registry = join(dir, 'registry.xlsx');
    await new XlsxRegistryStore(registry).update((data) => {
      // 科研处 has nothing to review in 培训服务 projects: the form must say 不涉及, not leave a blank or FALSE.
      data.settings.find((r) => r.cells.group === '不涉及' && r.cells.item === '培训服务')!.cells.value = '科研处';
      data.evaluations.push({
        cells: {
          projectId: 'HZ2026-001',
          year: 2026,
          timing: '把握较好',
          teacherPractice: 6,
          studentsTrained: 42,
          baseBuilding: null,
          labBuilding: null,
          researchResults: null,
          serviceIncome: 15000,
          grade: '优秀',
          reporter: '黄志强',
          reportedAt: '2026-11-20',
        },
      });
      data.outcomes.push({
        cells: {
          projectId: 'HZ2026-001',
          title: '数控车削实训指导书',
          rightType: '著作权',
          holder: '共有',
          registrationNo: '粤作登字-2026-A-001',
          date: '2026-10-08',
        },
      });
      return { result: undefined, write: true };
    });
    // Bring the two projects still in review to 待审议, so both wait for 校长办公会.
    for (const [id, departments] of [
      ['HZ2026-006', ['组织部（人事处）', '计财处', '国资处', '学生（学工）处', '招就处']],
      ['HZ2026-004', ['组织部（人事处）', '国资处', '学生（学工）处']],
    ] as const) {
      for (const d of departments) {
        const r = run(['review', id, '--dept', d, '--remark', `${d}同意`, '--by', SAMPLE_APPROVERS[d]]);
        expect(r.code, r.stderr).toBe(0);
      }
    }
  }, 600_000);

  it('approval: the form the archive files — each department ✓ with reviewer and date or 不涉及, meetings with minute numbers, signing', () => {
    const signed = run(['print', 'approval', 'HZ2026-001', '--pdf', '--out', '审批表-001.xlsx']);
    expect(signed.code, signed.stderr).toBe(0);
    const text = expectPrintable(join(dir, '审批表-001.pdf')).join('\n');
    expect(text).toContain('合作项目审批表');
    expect(text).toMatch(/教务处\s+✓\s+jiaowu@zqlg\.example\.edu\.cn\s+\d{4}-\d{2}-\d{2}/);
    expect(text).toMatch(/校长办公会\s+通过\s+\S+@\S+\s+\d{4}-\d{2}-\d{2}\s+校办〔2026〕21号/);
    expect(text).toMatch(/党委会\s+通过[^\n]*党委〔2026〕9号/);
    expect(text).toMatch(/协议编号\s+ZQLG-HZ-2026-001\s+签署日期\s+\d{4}-\d{2}-\d{2}/);
    expect(text).toMatch(/住所\s+广东省肇庆市端州区信安大道\s*88\s*号/);

    expect(run(['print', 'approval', 'HZ2026-004', '--pdf', '--out', '审批表-004.xlsx']).code).toBe(0);
    const pending = expectPrintable(join(dir, '审批表-004.pdf')).join('\n');
    expect(pending).toMatch(/科研处\s+不涉及/);
    expect(pending).toMatch(/国资处\s+✓\s+guozi@zqlg\.example\.edu\.cn\s+\d{4}-\d{2}-\d{2}\s+国资处同意/);
    expect(pending).toMatch(/校长办公会\s+—/);
    expect(pending).toContain('（尚未签署）');
  });

  it('agenda: every project waiting for 校长办公会, one page each, in the order submitted, with review opinions', async () => {
    const r = run(['print', 'agenda', '--meeting', '校长办公会', '--pdf', '--out', '议题.xlsx']);
    expect(r.code, r.stderr).toBe(0);
    const data = await new XlsxRegistryStore(registry).read();
    const submitted = data.reviewLog.filter((e) => e.cells.action === '提交').map((e) => String(e.cells.projectId));
    const expected = ['HZ2026-004', 'HZ2026-006'].sort((a, b) => submitted.lastIndexOf(a) - submitted.lastIndexOf(b));
    expect(r.stdout).toContain(`议题 2 项：${expected.join('、')}`);
    const pages = expectPrintable(join(dir, '议题.pdf'));
    expect(pages).toHaveLength(2);
    expected.forEach((id, i) => {
      expect(pages[i]).toContain(`校长办公会议题 ${i + 1} / 2`);
      expect(pages[i]).toContain(`项目编号：${id}`);
      expect(pages[i]).toMatch(/组织部（人事处）\s+✓[^\n]*组织部（人事处）同意/);
      expect(pages[i]).toContain('审议结论');
    });

    // 党委会 takes what 校长办公会 passed; nothing waiting is said and writes nothing.
    const party = run(['print', 'agenda', '--meeting', '党委会', '--out', '党委会.xlsx']);
    expect(party.code, party.stderr).toBe(0);
    expect(party.stdout).toContain('HZ2026-003');
    const empty = join(dir, 'empty.xlsx');
    expect(coop(['init', '--registry', empty]).code).toBe(0);
    const none = coop(['print', 'agenda', '--meeting', '党委会', '--registry', empty, '--out', join(dir, 'none.xlsx')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('没有等待党委会审议的项目，未生成议题材料');
    expect(existsSync(join(dir, 'none.xlsx'))).toBe(false);
    const bad = run(['print', 'agenda', '--meeting', '董事会']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--meeting 应为「校长办公会」或「党委会」');
  });

  it('annual: per project outcomes from 年度评价 and 成果登记, totals, and evaluations not filed', () => {
    const r = run(['print', 'annual', '2026', '--pdf', '--out', '年报.xlsx']);
    expect(r.code, r.stderr).toBe(0);
    const text = expectPrintable(join(dir, '年报.pdf')).join('\n');
    expect(text).toContain('2026 年度对外合作报告');
    expect(text).toMatch(/HZ2026-001[^\n]*6\s+42\s+15,000\.00\s+优秀\s+1/);
    expect(text).toMatch(/HZ2026-002[^\n]*未填报\s+未填报\s+未填报\s+未填报\s+0/);
    // HZ2026-001, HZ2026-002 and the demo's historical HZ2024-001 (历史登记) are in force during 2026.
    expect(squash(text)).toContain('在期项目3个，已填报年度评价1个，登记成果1项');
    expect(text).toMatch(/HZ2026-001\s+数控车削实训指导书\s+著作权\s+共有/);
    expect(text).toContain('逾期未填报的年度评价');

    const empty = run(['print', 'annual', '2019', '--out', '空.xlsx']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('2019 年没有在期项目、年度评价或成果登记，未生成年度报告');
    expect(existsSync(join(dir, '空.xlsx'))).toBe(false);
    expect(run(['print', 'annual', '25']).code).toBe(2);
  });

  it('refuses an unknown project or document in Chinese', () => {
    const missing = run(['print', 'approval', 'HZ2026-999']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('登记表中没有项目 HZ2026-999');
    const kind = run(['print', 'minutes']);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain('未知的打印文件「minutes」');
  });
});
