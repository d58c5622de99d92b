// 校验全部: every row of every sheet checked by the core rules and marked, in a fixed number of batch calls.
import { describe, expect, it } from 'vitest';
import { OFFICE, plantProjects, plantRecord, registry, STAFF } from './fixture.js';

describe('校验全部', () => {
  it('checks 2,000 projects, every other sheet and the chain of 审批记录 in at most 23 service calls and marks every broken cell', () => {
    const h = registry();
    plantProjects(h, 2000);
    h.as(OFFICE);
    h.log.reset();
    const out = h.click('校验全部').join('\n');
    // A constant per sheet (five sheets read, two of them marked) plus the chain anchor, whatever the number of rows.
    expect(h.log.count()).toBeLessThanOrEqual(23);
    expect(out).toContain('已校验 2001 行，发现 400 处问题');
    const end = h.log.quiet(() => h.cell('合作项目', 11, '结束日期'));
    expect(h.log.quiet(() => end.getNote())).toBe('【校验】日期先后：结束日期不能早于开始日期');
    expect(h.log.quiet(() => end.getBackground())).toBe('#f4cccc');
    expect(h.log.quiet(() => h.cell('合作项目', 10, '成果权属').getNote())).toContain('【校验】必填');
    expect(h.log.quiet(() => h.cell('合作项目', 2, '结束日期').getNote())).toBe('');
  });

  it('clears marks once fixed, and writes nothing when nothing changed', () => {
    const h = registry();
    plantProjects(h, 20);
    h.as(OFFICE).click('校验全部');
    const a1 = h.log.quiet(() => h.cell('合作项目', 10, '成果权属').getA1Notation());
    expect(h.log.quiet(() => h.cell('合作项目', 10, '成果权属').getNote())).toContain('【校验】');
    h.edit('合作项目', a1, [['学校所有']], STAFF);
    expect(h.log.quiet(() => h.cell('合作项目', 10, '成果权属').getNote())).toBe('');
    h.click('校验全部');
    h.log.reset();
    h.click('校验全部');
    expect(h.log.methods().filter((m) => m.startsWith('Range.set'))).toEqual([]);
  });

  it('reports a tick without a stamp (and so without a 审批记录 entry) as 未登记的审查', () => {
    const h = registry();
    plantProjects(h, 1);
    h.log.quiet(() => h.cell('合作项目', 2, '教务处').setValue(true));
    expect(h.as(OFFICE).click('校验全部').join('\n')).toContain('未登记的审查');
  });

  it('checks 年度评价 and 成果登记 too: a broken row there is marked and counted', () => {
    const h = registry();
    plantProjects(h, 2);
    plantRecord(h, '年度评价', 2, { 项目编号: 'HZ2099-999', 年度: 2025, 综合评价: '良好', 填报人: '李明', 填报日期: '2026-01-05' });
    plantRecord(h, '成果登记', 2, { 项目编号: 'HZ2026-001' });
    const out = h.as(OFFICE).click('校验全部').join('\n');
    expect(out).toContain('年度评价');
    expect(out).toContain('成果登记');
    expect(h.log.quiet(() => h.cell('年度评价', 2, '项目编号').getNote())).toContain('【校验】');
    expect(h.log.quiet(() => h.cell('成果登记', 2, '成果名称').getNote())).toContain('【校验】必填');
  });

  it('a stamp with no 审批记录 entry is not a logged review', () => {
    const h = registry();
    plantProjects(h, 1);
    h.log.quiet(() => {
      const cell = h.cell('合作项目', 2, '教务处');
      cell.setValue(true);
      cell.setNote('【审查】教务处审查通过 · reviewer1@zqlg.edu.cn · 2026-11-24 10:00:00');
    });
    expect(h.as(OFFICE).click('校验全部').join('\n')).toContain('未登记的审查');
  });
});
