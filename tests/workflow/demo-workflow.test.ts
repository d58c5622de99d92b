// `coop demo` walks the sample projects through the workflow: signed, awaiting 党委会, in review, returned, trespass, 不良 refused.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY_SHEETS, projectsSheet, reviewLogSheet } from '../../core/index.js';
import { coop, tempDir } from '../helpers/cli.js';
import { SOFFICE, convertWithLibreOffice } from '../helpers/libreoffice.js';
import { SAMPLE_OFFICE, readFullLog, readLog, readSheet } from './fixture.js';

describe('coop demo: the workflow step', { timeout: 600_000 }, () => {
  it('prints each step and leaves a registry whose 审批记录 tells the same story', async () => {
    const dir = tempDir('coop-demo-');
    const r = coop(['demo', '--dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('✔ HZ2026-001 登记签署 · hezuo@zqlg.example.edu.cn：已批准 → 已生效；协议编号 ZQLG-HZ-2026-001');
    expect(r.stdout).toContain('✔ HZ2026-005 退回修改 · jicai@zqlg.example.edu.cn：审查中 → 草稿；退回原因：');
    expect(r.stdout).toContain('✘ HZ2026-006 国资处审查 · visitor@example.com 被拒绝');
    expect(r.stdout).toContain('✘ HZ2026-007 提交审查 · shukong@zqlg.example.edu.cn 被拒绝');
    expect(r.stdout).toContain('诚信状况为「不良」');
    expect(r.stdout).toContain('✔ HZ2026-003 校长办公会审议 · hezuo@zqlg.example.edu.cn：待审议；校长办公会通过');

    const path = join(dir, 'registry.xlsx');
    const status = Object.fromEntries((await readSheet(path, projectsSheet)).map((p) => [p.title, p.status]));
    expect(status).toEqual({
      '数控技术应用专业“星湖班”订单式人才培养': '已生效',
      汽车运用与维修专业校外实践教学基地共建: '已生效',
      学前教育专业合作办园与见习基地: '待审议',
      工业机器人操作与运维技能培训: '审查中',
      中新学生研学交流与学分互认: '草稿',
      智能制造教学科研基地共建: '审查中',
      电子装配订单班: '草稿',
      // Brought in by the demo's department form and hand-typed register, not yet submitted.
      精密模具数控加工现代学徒制试点: '草稿',
      新能源汽车维修技能培训: '草稿',
      // Signed before the system; the office's 历史登记 (the first has passed its end date).
      '工业机器人应用技术联合培训（2023）': '已到期',
      智能制造产业学院共建: '已生效',
      // The demo's renewal of the first agreement (coop renew HZ2026-001).
      '数控技术应用专业“星湖班”订单式人才培养（续签）': '草稿',
    });
    const renewal = (await readSheet(path, projectsSheet)).find((p) => p.predecessor === 'HZ2026-001')!;
    expect(renewal).toMatchObject({ status: '草稿', startDate: '2028-08-01', endDate: '2031-06-30', leader: '黄志强', partnerId: 'P0001' });
    expect(r.stdout).toContain(`✔ 续签（coop renew HZ2026-001）：已为 HZ2026-001 创建续签项目 ${renewal.projectId}（草稿），建议期限 2028-08-01 至 2031-06-30`);
    // The reminder preview, two weeks on: 催办 from 审批记录, the meeting still to come, evaluations due in December.
    expect(r.stdout).toContain('✔ 每日提醒预演（coop remind --dry-run，按 2026-12-08 计算）：');
    expect(r.stdout).toContain('HZ2026-004「工业机器人操作与运维技能培训」仍待国资处审查，已等待 14 天（2026-11-24 起）');
    expect(r.stdout).toContain('HZ2026-003「学前教育专业合作办园与见习基地」待提交党委会审议');
    expect(r.stdout).toContain('→ 将发送给「合作交流处」：邮件 hezuo@zqlg.example.edu.cn');

    const log = await readLog(path);
    const count = (action: string) => log.filter((e) => e.action === action).length;
    expect([count('提交'), count('审查通过'), count('会议通过'), count('签署'), count('退回'), count('越权尝试')]).toEqual([6, 7 * 3 + 3 + 1 + 2, 5, 2, 1, 1]);
    expect(log.find((e) => e.action === '越权尝试')).toMatchObject({
      projectId: 'HZ2026-006',
      body: '国资处',
      actor: 'visitor@example.com',
      remark: '试图勾选国资处审查列',
    });
    expect(log.filter((e) => e.action === '签署').every((e) => e.actor === SAMPLE_OFFICE)).toBe(true);
    expect(log.filter((e) => e.action === '历史登记').map((e) => [e.projectId, e.actor])).toEqual([
      ['HZ2023-001', SAMPLE_OFFICE],
      ['HZ2024-001', SAMPLE_OFFICE],
    ]);
    expect(log.some((e) => e.projectId === 'HZ2026-007')).toBe(false);

    const validate = coop(['validate', '--registry', path]);
    expect(validate.code, validate.stdout).toBe(0);
  });

  it.skipIf(!SOFFICE)('LibreOffice reads the same 审批记录 rows as exceljs', async () => {
    const dir = tempDir('coop-demo-lo-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    const path = join(dir, 'registry.xlsx');
    // CSV filter options: comma, double quote, UTF-8, from row 1, …, the 审批记录 sheet only (1-based position).
    const sheetNo = REGISTRY_SHEETS.findIndex((s) => s.key === 'reviewLog') + 1;
    const outDir = mkdtempSync(join(tmpdir(), 'lo-csv-'));
    convertWithLibreOffice(path, `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,${sheetNo}`, outDir);
    const csv = readFileSync(join(outDir, readdirSync(outDir)[0]!), 'utf8');
    const [header, ...rows] = parseCsv(csv).filter((r) => r.some((c) => c !== ''));
    const keys = header!.map((h) => reviewLogSheet.columns.find((c) => c.header === h)?.key);
    const fromLibreOffice = rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i] === '' ? null : r[i]])));
    expect(fromLibreOffice).toEqual(await readFullLog(path));
    expect(fromLibreOffice.length).toBeGreaterThan(40);
  });
});

/** RFC 4180 CSV as LibreOffice writes it: quoted fields may hold commas, quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else if (ch !== '\r') field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}
