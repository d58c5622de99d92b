// `coop renew`: a signed agreement becomes a draft renewal linked by 前序项目; the expiring reminder then names the
// renewal instead of offering one; the archive (read back by openpyxl) shows the chain.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectsSheet } from '../../core/index.js';
import { OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';
import { fileHash, readSheet } from '../workflow/fixture.js';
import { reminderRegistry } from './fixture.js';

describe('coop renew', { timeout: 180_000 }, () => {
  it('creates a linked draft with partner, category, content and leader copied and the next term proposed', async () => {
    const reg = await reminderRegistry();
    const r = reg.run(['renew', 'hz2026-001']);
    expect(r.code, r.stderr).toBe(0);
    // 2024-01-01…2026-12-31 is three whole years: the renewal runs 2027-01-01…2029-12-31.
    expect(r.stdout).toContain('✔ 已为 HZ2026-001 创建续签项目 HZ2026-004（草稿），建议期限 2027-01-01 至 2029-12-31，前序项目 HZ2026-001');
    const rows = await readSheet(reg.path, projectsSheet);
    const old = rows.find((p) => p.projectId === 'HZ2026-001')!;
    const renewal = rows.find((p) => p.projectId === 'HZ2026-004')!;
    expect(renewal).toMatchObject({
      predecessor: 'HZ2026-001',
      status: '草稿',
      title: `${old.title}（续签）`,
      partnerId: old.partnerId,
      partnerName: old.partnerName,
      category: old.category,
      content: old.content,
      leader: old.leader,
      department: old.department,
      startDate: '2027-01-01',
      endDate: '2029-12-31',
      review_academic: false,
      presidentMeeting: false,
      agreementNo: null,
      signedAt: null,
    });

    // Renewing again is refused and changes nothing.
    const before = fileHash(reg.path);
    const again = reg.run(['renew', 'HZ2026-001']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('项目 HZ2026-001 已续签为 HZ2026-004（状态「草稿」），不再重复创建');
    // Only agreements in force or lapsed can be renewed; an unknown ID is a usage error.
    const draft = reg.run(['renew', 'HZ2026-002']);
    expect(draft.code).toBe(1);
    expect(draft.stderr).toContain('项目 HZ2026-002 当前状态为「审查中」，只有「已生效」或「已到期」的项目可以续签');
    expect(reg.run(['renew', 'HZ2026-099']).code).toBe(2);
    expect(fileHash(reg.path)).toBe(before);

    // The expiring reminder now names the renewal instead of offering one.
    const preview = reg.run(['remind', '--dry-run']);
    expect(preview.stdout).toContain('2026-12-31 到期（还有 37 天）；已续签为 HZ2026-004');
    expect(preview.stdout).not.toContain('coop renew HZ2026-001');
  });

  // Skips with tools.ts's printed reason where openpyxl is missing.
  it.skipIf(!OPENPYXL_PYTHON)('shows the chain of renewals in the archive, read back by openpyxl', async () => {
    const reg = await reminderRegistry();
    expect(reg.run(['renew', 'HZ2026-001']).code).toBe(0);
    const out = join(reg.dir, 'archive.xlsx');
    const r = reg.run(['export', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const read = runOpenpyxl(
      `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['合作项目']
header = [c.value for c in ws[1]]
col = header.index('前序项目')
idc = header.index('项目编号')
for row in ws.iter_rows(min_row=2, values_only=True):
    if row[col]: print('link', row[idc], row[col])
stats = wb['统计']
rows = [r[0] for r in stats.iter_rows(values_only=True)]
i = rows.index('续签链')
print('chain', rows[i + 1])
`,
      [out],
    );
    expect(read).toContain('link HZ2026-004 HZ2026-001');
    expect(read).toContain('chain HZ2026-001 → HZ2026-004');
  });
});
