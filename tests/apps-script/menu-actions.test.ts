// The office's menu actions on the selected row: each refuses with a clear message when the state does not allow it.
import { describe, expect, it } from 'vitest';
import { REVIEW_DEPARTMENT_NAMES } from '../../core/index.js';
import { APPROVERS, OFFICE, STAFF, registry, setSetting, submittedProject, tick, typeRecord, PROJECT_FIELDS } from './fixture.js';

const row0 = (h: ReturnType<typeof registry>, row: number) => h.records('合作项目')[row - 2]!;

describe('menu actions on the selected project', () => {
  it('新建合作项目 hands out IDs that are never reused, even after a row is deleted', () => {
    const h = registry();
    h.as(OFFICE);
    h.click('新建合作项目');
    h.click('新建合作项目');
    expect(h.records('合作项目').map((r) => r['项目编号'])).toEqual(['HZ2026-001', 'HZ2026-002']);
    // Someone clears the second row by hand; the next ID is still 003.
    h.log.quiet(() =>
      h
        .sheet('合作项目')
        .getRange(3, 1, 1, h.sheet('合作项目').getLastColumn())
        .setValues([Array(h.sheet('合作项目').getLastColumn()).fill('')]),
    );
    h.click('新建合作项目');
    expect(h.records('合作项目').map((r) => r['项目编号'])).toEqual(['HZ2026-001', 'HZ2026-003']);
    expect(h.records('设置').find((r) => r['分组'] === '编号计数' && r['设置项'] === '合作项目2026')?.['值']).toBe('3');
  });

  it('提交审查 refuses an incomplete project, listing what is missing', () => {
    const h = registry();
    h.as(OFFICE).click('新建合作项目');
    typeRecord(h, '合作项目', 2, { 项目名称: '只有名称' }, STAFF);
    h.select('合作项目', 2);
    const out = h.click('提交审查').join('\n');
    expect(out).toContain('信息不完整或有误，不能提交审查');
    expect(out).toContain('合作类别：必填');
    expect(row0(h, 2)['状态']).toBe('草稿');
  });

  it('提交审查 refuses a partner whose 诚信状况 is 不良 (第六条)', () => {
    const h = registry();
    const a1 = h.log.quiet(() => h.cell('合作单位', 2, '诚信状况').getA1Notation());
    h.edit('合作单位', a1, [['不良']], OFFICE);
    h.as(OFFICE).click('新建合作项目');
    typeRecord(h, '合作项目', 2, PROJECT_FIELDS, STAFF);
    h.select('合作项目', 2);
    expect(h.click('提交审查').join('\n')).toContain('诚信状况为「不良」');
  });

  it('refuses people outside the office, saying who may act', () => {
    const h = registry();
    const row = submittedProject(h);
    h.as(STAFF).select('合作项目', row);
    expect(h.click('退回修改').join('\n')).toContain(`${STAFF} 不是合作交流处工作人员，不能退回修改`);
  });

  it('asks for nothing when no project row is selected', () => {
    const h = registry();
    h.as(OFFICE);
    h.log.quiet(() => h.sheet('合作单位').activate());
    expect(h.click('提交审查').join('\n')).toContain('请先在「合作项目」工作表中选中');
  });

  it('退回修改 records the reason, clears ticks and stamps, and sends the project back to 草稿', () => {
    const h = registry();
    const row = submittedProject(h);
    tick(h, row, '计财处', APPROVERS['计财处']);
    h.as(OFFICE).select('合作项目', row);
    h.click('退回修改', { button: 'OK', text: '经费预算不明确' });
    expect(row0(h, row)).toMatchObject({ 状态: '草稿', 审查意见: '经费预算不明确', 计财处: false });
    expect(h.log.quiet(() => h.cell('合作项目', row, '计财处').getNote())).toBe('');
    expect(h.records('审批记录').at(-1)).toMatchObject({ 操作: '退回', 备注: '退回原因：经费预算不明确' });
  });

  it('退回修改 without a reason is refused; cancelling changes nothing', () => {
    const h = registry();
    const row = submittedProject(h);
    h.as(OFFICE).select('合作项目', row);
    expect(h.click('退回修改', { button: 'OK', text: '  ' }).join('\n')).toContain('请填写退回或终止的原因');
    expect(h.click('退回修改', { button: 'CANCEL' }).join('\n')).toContain('已取消');
    expect(row0(h, row)['状态']).toBe('待审查');
  });

  it('记录会议审议 goes 校长办公会 then 党委会, and 登记签署 puts the agreement in force', () => {
    const h = registry();
    const row = submittedProject(h);
    h.as(OFFICE).select('合作项目', row);
    expect(h.click('记录会议审议', { button: 'YES' }, { button: 'OK', text: '校办〔2026〕12号' }).join('\n')).toContain(
      '当前状态为「待审查」，不能记录会议审议',
    );
    for (const d of REVIEW_DEPARTMENT_NAMES) tick(h, row, d, APPROVERS[d]);
    h.as(OFFICE).select('合作项目', row);
    h.click('记录会议审议', { button: 'YES' }, { button: 'OK', text: '校办〔2026〕12号' });
    expect(row0(h, row)).toMatchObject({ 状态: '待审议', 校长办公会: true, 校长办公会纪要号: '校办〔2026〕12号' });
    h.click('记录会议审议', { button: 'YES' }, { button: 'OK', text: '党委〔2026〕5号' });
    expect(row0(h, row)).toMatchObject({ 状态: '已批准', 党委会: true });
    expect(h.click('登记签署', { button: 'OK', text: '2026-12-02' }).join('\n')).toContain('签署日期 2026-12-02 晚于今天（2026-11-24）');
    h.setNow('2026-12-01T02:00:00Z');
    expect(h.click('登记签署', { button: 'OK', text: '2026-12-01' }).join('\n')).toContain('已生效');
    const signed = row0(h, row);
    expect(signed['协议编号']).toBe('ZQLG-HZ-2026-001');
    // Dates go in as dates at school midnight, whatever the machine's zone.
    expect((signed['签署日期'] as Date).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(h.records('审批记录').map((r) => r['操作'])).toEqual(expect.arrayContaining(['会议通过', '签署']));
  });

  it('a meeting that does not pass ends in 未批准', () => {
    const h = registry();
    const row = submittedProject(h);
    for (const d of REVIEW_DEPARTMENT_NAMES) tick(h, row, d, APPROVERS[d]);
    h.as(OFFICE).select('合作项目', row);
    h.click('记录会议审议', { button: 'NO' }, { button: 'OK', text: '校办〔2026〕13号' });
    expect(row0(h, row)['状态']).toBe('未批准');
  });

  it('takes the lock with tryLock and tells the user to retry when someone else holds it', () => {
    const h = registry();
    h.lock.heldElsewhere = true;
    h.as(OFFICE).click('新建合作项目');
    expect(h.ss.toasts.at(-1)).toContain('其他人正在修改登记表');
    expect(h.records('合作项目')).toHaveLength(0);
  });

  it('a category marked 不涉及 for a department needs no tick from it', () => {
    const h = registry();
    setSetting(h, '不涉及', '订单式人才培养', '科研处、国资处');
    const row = submittedProject(h);
    for (const d of REVIEW_DEPARTMENT_NAMES.filter((d) => d !== '科研处' && d !== '国资处')) tick(h, row, d, APPROVERS[d]);
    expect(row0(h, row)['状态']).toBe('待审议');
  });
});
