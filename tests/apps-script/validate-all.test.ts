// 校验全部: every row of 合作单位 and 合作项目 checked by the core rules and marked, in a fixed number of batch calls.
import { describe, expect, it } from 'vitest';
import { OFFICE, plantProjects, registry, STAFF } from './fixture.js';

describe('校验全部', () => {
  it('checks 2,000 projects and 审批记录 in at most 16 service calls and marks every broken cell', () => {
    const h = registry();
    plantProjects(h, 2000);
    h.as(OFFICE);
    h.log.reset();
    const out = h.click('校验全部').join('\n');
    // One more read than before the hash chain: 审批记录 itself, verified against its anchor.
    expect(h.log.count()).toBeLessThanOrEqual(16);
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
});
