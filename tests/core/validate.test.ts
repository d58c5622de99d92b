import { describe, expect, it } from 'vitest';
import { appendLogEntries, parseRow, partnersSheet, projectsSheet, validateRegistry } from '../../core/index.js';
import { demoSettings, partner, project, registry } from './fixtures.js';

describe('row rules', () => {
  it('accepts the sample rows', () => {
    expect(parseRow(partnersSheet, partner() as never, demoSettings()).ok).toBe(true);
    expect(parseRow(projectsSheet, project() as never, demoSettings()).ok).toBe(true);
  });

  it('reports every broken cell with its header and rule', () => {
    const result = parseRow(
      partnersSheet,
      { ...partner(), name: null, kind: '公司', creditCode: '91440300192317458G', contactPhone: '12345', contactEmail: 'x@', matchedMajor: '烹饪' } as never,
      demoSettings(),
      7,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const found = result.problems.map((p) => [p.row, p.column, p.rule]);
    expect(found).toEqual(
      expect.arrayContaining([
        [7, '单位名称', '必填'],
        [7, '单位类型', '下拉选项'],
        [7, '统一社会信用代码', '统一社会信用代码'],
        [7, '联系电话', '联系电话'],
        [7, '电子邮箱', '电子邮箱'],
        [7, '对接专业', '下拉选项'],
      ]),
    );
    expect(result.problems).toHaveLength(6);
    expect(result.problems.find((p) => p.column === '统一社会信用代码')!.message).toContain('应为「F」');
  });

  it('needs a credit code except from a 境外机构', () => {
    const settings = demoSettings();
    expect(parseRow(partnersSheet, { ...partner(), creditCode: null } as never, settings).ok).toBe(false);
    expect(parseRow(partnersSheet, { ...partner(), creditCode: null, kind: '境外机构', contactPhone: '+65 6123 4567' } as never, settings).ok).toBe(true);
  });

  it('takes international phones, and needs the +CC form from a 境外机构', () => {
    const settings = demoSettings();
    expect(parseRow(partnersSheet, { ...partner(), contactPhone: '+49 30 12345678' } as never, settings).ok).toBe(true);
    const foreign = parseRow(partnersSheet, { ...partner(), creditCode: null, kind: '境外机构', contactPhone: '0758-2233445' } as never, settings);
    expect(!foreign.ok && foreign.problems.map((p) => `${p.column}|${p.rule}`)).toEqual(['联系电话|联系电话']);
    expect(parseRow(partnersSheet, { ...partner(), contactPhone: '+49' } as never, settings).ok).toBe(false);
  });

  it('checks dates, their order, money and the 第九条 conditions (past 草稿 only: SPEC requires them before submission)', () => {
    const draft = { ...project(), category: '实践教学基地', practiceSite: null, qualifiedInstructors: null, status: '草稿' };
    expect(parseRow(projectsSheet, draft as never, demoSettings()).ok).toBe(true);
    const r = parseRow(
      projectsSheet,
      {
        ...project(),
        startDate: '2025-09-01',
        endDate: '2025-08-31',
        income: -5,
        expense: 1.005,
        category: '实践教学基地',
        practiceSite: null,
        status: '待审查',
      } as never,
      demoSettings(),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.column).sort()).toEqual(['具备合格指导教师', '具备实践教学场所', '结束日期', '预计支出（元）', '预计收入（元）'].sort());
  });
});

describe('registry rules', () => {
  it('finds duplicates, dangling references and unregistered ticks across sheets', () => {
    const data = registry(
      [partner(), partner({ partnerId: 'P0002', name: ' 肇庆星湖数控机械有限公司 ' })],
      [project(), project({ projectId: 'HZ2026-001', partnerId: 'P0009', review_academic: true })],
    );
    const { problems } = validateRegistry(data);
    const summary = problems.map((p) => `${p.sheet}|${p.row}|${p.column}|${p.rule}`);
    expect(summary).toEqual(
      expect.arrayContaining(['合作单位|3|单位名称|唯一', '合作项目|3|项目编号|唯一', '合作项目|3|合作单位编号|引用', '合作项目|3|教务处|未登记的审查']),
    );
    expect(problems).toHaveLength(4);
  });

  it('counts a tick that the review log vouches for', () => {
    const data = registry([partner()], [project({ status: '审查中', review_academic: true })]);
    appendLogEntries(data.reviewLog, [
      {
        time: '2026-11-20 10:00:00',
        projectId: 'HZ2026-001',
        body: '教务处',
        actor: 'jiaowu@zqlg.example.edu.cn',
        action: '审查通过',
        fromStatus: '待审查',
        toStatus: '审查中',
        remark: null,
        operator: null,
        signature: null,
        hash: null,
      },
    ]);
    expect(validateRegistry(data).problems).toEqual([]);
  });
});
