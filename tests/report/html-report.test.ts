// `coop report --html`: a self-contained page opened in headless Chromium with the network refused, its
// figures read from the rendered tables and compared with `coop status --json`, and printed to an A4 PDF.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVIEW_DEPARTMENT_NAMES, STATUSES, type StatusSummary } from '../../core/index.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { openBrowser, type Browser } from '../helpers/chromium.js';
import { coop, tempDir } from '../helpers/cli.js';
import { CHROMIUM, NO_CHROMIUM_REASON, NO_POPPLER_REASON, PDFFONTS, PDFTOTEXT } from '../helpers/tools.js';

const ARTIFACTS = resolve('test-artifacts');

describe('coop report --html', () => {
  let dir: string;
  let registry: string;
  let html: string;
  let status: StatusSummary;

  beforeAll(async () => {
    dir = tempDir('coop-report-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    registry = join(dir, 'registry.xlsx');
    // Text that must be escaped, an older year, and money that sums in cents.
    await new XlsxRegistryStore(registry).update((data) => {
      data.projects[0]!.cells.department = '<script>alert(1)</script> & "订单班"';
      data.projects[1]!.cells.projectId = 'HZ2025-007';
      data.projects[1]!.cells.income = 0.1;
      data.projects[2]!.cells.income = 0.2;
      return { result: undefined, write: true };
    });
    html = join(dir, '合作交流报告.html');
    const r = coop(['report', '--html', html, '--registry', registry]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已生成统计报告');
    const s = coop(['status', '--json', '--registry', registry]);
    expect(s.code).toBe(0);
    status = JSON.parse(s.stdout) as StatusSummary;
  }, 300_000);

  it('asks for the file name in Chinese when --html is missing (exit 2)', () => {
    const r = coop(['report', '--registry', registry]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--html');
  });

  it('is one file that names nothing outside itself', () => {
    const text = readFileSync(html, 'utf8');
    expect(text).not.toMatch(/<script|<link|<img|@import|url\(|https?:\/\//i);
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;订单班&quot;');
  });

  describe.skipIf(!CHROMIUM)(`in headless Chromium${CHROMIUM ? '' : ` (skipped: ${NO_CHROMIUM_REASON})`}`, () => {
    let browser: Browser;

    // biome-ignore lint/suspicious/noDuplicateTestHooks: this describe opens its own browser; the outer hook builds the file
    beforeAll(async () => {
      browser = await openBrowser({ width: 900, allow: (u) => u === pathToFileURL(html).href });
      await browser.page.goto(pathToFileURL(html).href);
    }, 120_000);
    afterAll(async () => browser?.close());

    const table = (key: string) =>
      browser.page.$$eval(`table[data-table="${key}"] tbody tr`, (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));

    it('shows the figures of coop status', async () => {
      const byStatus = Object.fromEntries((await table('byStatus')).map(([k, v]) => [k, Number(v)]));
      for (const s of STATUSES) expect(byStatus[s]).toBe(status.byStatus[s]);
      expect(byStatus['合计']).toBe(status.total);

      const matrix = await table('statusByCategory');
      const nonEmpty = Object.entries(status.byCategory).filter(([, n]) => n > 0);
      expect(matrix.map((r) => r[0])).toEqual(nonEmpty.map(([c]) => c));
      for (const row of matrix) {
        const counts = status.byCategoryStatus[row[0]!]!;
        expect(row.slice(1, -1).map(Number)).toEqual(STATUSES.map((s) => counts[s]));
        expect(Number(row.at(-1))).toBe(status.byCategory[row[0]!]);
      }

      const departments = Object.fromEntries((await table('byDepartment')).map(([k, v]) => [k, Number(v)]));
      expect(departments).toEqual(status.byDepartment);

      const waiting = await table('waiting');
      expect(waiting.map((r) => r[0])).toEqual(REVIEW_DEPARTMENT_NAMES);
      for (const [d, n, days] of waiting) {
        expect(Number(n)).toBe(status.waitingOn[d as keyof StatusSummary['waitingOn']].length);
        expect(Number(days)).toBe(status.oldestWaitingDays[d as keyof StatusSummary['oldestWaitingDays']]);
      }

      const years = await table('byYear');
      expect(years.map((r) => [r[0], Number(r[1])])).toEqual(status.byYear.map((y) => [y.year, y.projects]));
      // The demo's two historical agreements (历史登记) carry the years they were signed in.
      expect(years.map((r) => r[0])).toEqual(['2023', '2024', '2025', '2026']);
      const yuan = (s: string) => Number(s.replace(/[¥,]/g, ''));
      expect(years.map((r) => yuan(r[2]!))).toEqual(status.byYear.map((y) => y.income));
      const totals = await table('totals');
      expect(totals.map((r) => yuan(r[1]!))).toEqual([status.totals.income, status.totals.expense]);
      expect(String(status.totals.income)).not.toMatch(/0000/);

      const overdue = await table('overdue');
      expect(overdue.filter((r) => r.length > 1).length).toBe(status.overdueEvaluations.length);
      const expiring = await table('expiring');
      expect(expiring.filter((r) => r.length > 1).length).toBe(status.expiring.length);
    });

    it('draws the three charts as inline SVG, the bars proportional to the counts', async () => {
      const charts = await browser.page.$$eval('svg[role="img"]', (svgs) => svgs.map((s) => s.getAttribute('aria-label')));
      expect(charts).toEqual(['各类别项目状态', '各年度项目数', '各部门待审查项目数']);
      // Each stacked segment carries its category, status and count; together they equal the matrix.
      const segments = await browser.page.$$eval('#statusByCategory svg rect title', (ts) => ts.map((t) => t.textContent ?? ''));
      const sum = segments.reduce((n, t) => n + Number(t.split('：').at(-1)), 0);
      expect(sum).toBe(status.total);
      const bars = await browser.page.$$eval('#waiting svg rect', (rs) => rs.map((r) => Number(r.getAttribute('width'))));
      const counts = REVIEW_DEPARTMENT_NAMES.map((d) => status.waitingOn[d].length).filter(Boolean);
      expect(bars.length).toBe(counts.length);
      const ratio = bars.map((w, i) => w / counts[i]!);
      for (const r of ratio) expect(r).toBeCloseTo(ratio[0]!, 3);
    });

    it('requested nothing from the network', () => {
      expect(browser.outside).toEqual([]);
    });

    it.skipIf(!PDFTOTEXT || !PDFFONTS)(
      `prints on A4 with the figures and embedded CJK fonts${PDFTOTEXT ? '' : ` (skipped: ${NO_POPPLER_REASON})`}`,
      async () => {
        mkdirSync(ARTIFACTS, { recursive: true });
        const pdf = join(ARTIFACTS, 'coop-report.pdf');
        await browser.page.emulateMedia({ media: 'print' });
        await browser.page.pdf({ path: pdf, format: 'A4', printBackground: true });
        const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
        // A4 is 595 × 842 points.
        expect(info).toMatch(/Page size:\s+59[56](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
        const text = execFileSync(PDFTOTEXT!, ['-layout', pdf, '-'], { encoding: 'utf8' });
        expect(text).toContain('合作交流统计');
        expect(text).toContain('各部门待审查');
        const flat = text.replace(/\s+/g, ' ');
        expect(flat).toMatch(new RegExp(`合计 ${status.total}\\b`));
        // The printed figures are coop status's: each status count and each department's waiting reviews.
        for (const s of STATUSES) expect(flat).toMatch(new RegExp(`${s} ${status.byStatus[s]}\\b`));
        for (const d of REVIEW_DEPARTMENT_NAMES) expect(flat).toMatch(new RegExp(`${d} ${status.waitingOn[d].length} ${status.oldestWaitingDays[d]}\\b`));
        const fonts = execFileSync(PDFFONTS!, [pdf], { encoding: 'utf8' });
        // Chromium embeds its glyphs (as Type 3 fonts): the printout needs no font on the reader's machine.
        const rows = fonts.split('\n').slice(2).filter(Boolean);
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(row.split(/\s+/).at(-5)).toBe('yes');
        expect(browser.outside).toEqual([]);
      },
    );
  });
});
