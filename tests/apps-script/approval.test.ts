// The approval automations of 第十五条 driven through the installable edit trigger, as approvers tick in the sheet.
import { describe, expect, it } from 'vitest';
import { REVIEW_DEPARTMENT_NAMES } from '../../core/index.js';
import { APPROVERS, OFFICE, OWNER, STAFF, pasteRecord, registry, setSetting, submittedProject, tick, typeRecord } from './fixture.js';

const status = (h: ReturnType<typeof registry>, row: number) => h.records('合作项目')[row - 2]!['状态'];
const logRows = (h: ReturnType<typeof registry>) => h.records('审批记录');

describe('ticking a review column', () => {
  it('an approver’s tick is stamped, logged, and moves the project to 审查中 — in at most 10 service calls', () => {
    const h = registry();
    const row = submittedProject(h);
    expect(status(h, row)).toBe('待审查');
    h.log.reset();
    expect(tick(h, row, '教务处', APPROVERS['教务处']).blocked).toBe(false);
    // The state and the chain's head come from script properties (the logged-state cache and the anchor): no 审批记录 read.
    expect(h.log.count()).toBeLessThanOrEqual(10);
    expect(status(h, row)).toBe('审查中');
    const note = h.log.quiet(() => h.cell('合作项目', row, '教务处').getNote());
    expect(note).toMatch(/^【审查】教务处审查通过 · reviewer1@zqlg\.edu\.cn · 2026-11-24 10:00:00$/);
    expect(logRows(h).at(-1)).toMatchObject({
      项目编号: 'HZ2026-001',
      部门或机构: '教务处',
      操作人: APPROVERS['教务处'],
      操作: '审查通过',
      原状态: '待审查',
      新状态: '审查中',
    });
    expect(h.lock.waits.every((ms) => ms <= 5000)).toBe(true);
  });

  it('a tick by someone who is not that department’s approver is undone, explained and logged as 越权尝试', () => {
    const h = registry();
    const row = submittedProject(h);
    // The owner passes the protection but is no approver; the script is the second line.
    tick(h, row, '计财处', OWNER);
    expect(h.log.quiet(() => h.cell('合作项目', row, '计财处').getValue())).toBe(false);
    expect(status(h, row)).toBe('待审查');
    expect(h.ss.toasts.at(-1)).toContain('不是计财处的审查人');
    expect(logRows(h).at(-1)).toMatchObject({ 操作: '越权尝试', 操作人: OWNER, 部门或机构: '计财处' });
  });

  it('the office may pass the review column’s protection, but its tick is undone all the same', () => {
    const h = registry();
    const row = submittedProject(h);
    expect(tick(h, row, '教务处', OFFICE).blocked).toBe(false);
    expect(h.log.quiet(() => h.cell('合作项目', row, '教务处').getValue())).toBe(false);
    expect(logRows(h).at(-1)).toMatchObject({ 操作: '越权尝试', 操作人: OFFICE });
  });

  it('a former approver whose protection is stale is still refused once 设置 no longer lists them', () => {
    const h = registry();
    const row = submittedProject(h);
    setSetting(h, '审查人', '国资处', 'new-assets@zqlg.edu.cn');
    tick(h, row, '国资处', APPROVERS['国资处']);
    expect(h.log.quiet(() => h.cell('合作项目', row, '国资处').getValue())).toBe(false);
    expect(logRows(h).at(-1)!['操作']).toBe('越权尝试');
  });

  it('the last required tick moves the project to 待审议 and mails the office', () => {
    const h = registry();
    const row = submittedProject(h);
    for (const d of REVIEW_DEPARTMENT_NAMES) tick(h, row, d, APPROVERS[d]);
    expect(status(h, row)).toBe('待审议');
    const mails = h.mail.outbox.filter((m) => m.to === OFFICE);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('HZ2026-001');
    expect(mails[0]!.body).toContain('待审议');
  });

  it('unticking is logged and the stamp removed', () => {
    const h = registry();
    const row = submittedProject(h);
    tick(h, row, '科研处', APPROVERS['科研处']);
    tick(h, row, '科研处', APPROVERS['科研处'], false);
    expect(status(h, row)).toBe('待审查');
    expect(logRows(h).at(-1)).toMatchObject({ 操作: '撤销审查', 部门或机构: '科研处' });
    expect(h.log.quiet(() => h.cell('合作项目', row, '科研处').getNote())).toBe('');
  });

  it('finds who ticked from Session when the event carries no user', () => {
    const h = registry();
    const row = submittedProject(h);
    const a1 = h.log.quiet(() => h.cell('合作项目', row, '招就处').getA1Notation());
    h.edit('合作项目', a1, [[true]], APPROVERS['招就处'], { eventUser: false });
    expect(logRows(h).at(-1)).toMatchObject({ 操作: '审查通过', 操作人: APPROVERS['招就处'] });
  });

  it('a tick on a draft is refused with the state machine’s message', () => {
    const h = registry();
    h.as(OFFICE).click('新建合作项目');
    tick(h, 2, '教务处', APPROVERS['教务处']);
    expect(h.log.quiet(() => h.cell('合作项目', 2, '教务处').getValue())).toBe(false);
    expect(h.ss.toasts.at(-1)).toContain('当前状态为「草稿」');
  });
});

describe('editing a project under review', () => {
  it('clears every tick and stamp, returns it to 待审查, logs it and mails the reviewers', () => {
    const h = registry();
    const row = submittedProject(h);
    tick(h, row, '教务处', APPROVERS['教务处']);
    tick(h, row, '招就处', APPROVERS['招就处']);
    h.mail.outbox.length = 0;
    const a1 = h.log.quiet(() => h.cell('合作项目', row, '合作内容及双方权责').getA1Notation());
    h.edit('合作项目', a1, [['改为联合开发课程并共建实训室。']], STAFF);
    expect(status(h, row)).toBe('待审查');
    for (const d of REVIEW_DEPARTMENT_NAMES) {
      expect(
        h.log.quiet(() => h.cell('合作项目', row, d).getValue()),
        d,
      ).toBe(false);
      expect(
        h.log.quiet(() => h.cell('合作项目', row, d).getNote()),
        d,
      ).toBe('');
    }
    expect(logRows(h).at(-1)).toMatchObject({ 操作: '内容变更重审', 操作人: STAFF, 新状态: '待审查' });
    expect(h.mail.outbox).toHaveLength(1);
    expect(h.mail.outbox[0]!.to.split(',').sort()).toEqual(Object.values(APPROVERS).sort());
  });

  it('refuses content edits once approved: the old value is put back and the toast says why', () => {
    const h = registry();
    const row = submittedProject(h);
    for (const d of REVIEW_DEPARTMENT_NAMES) tick(h, row, d, APPROVERS[d]);
    h.as(OFFICE).select('合作项目', row);
    h.click('记录会议审议', { button: 'YES' }, { button: 'OK', text: '校办〔2026〕12号' });
    h.click('记录会议审议', { button: 'YES' }, { button: 'OK', text: '党委〔2026〕5号' });
    expect(status(h, row)).toBe('已批准');
    const a1 = h.log.quiet(() => h.cell('合作项目', row, '项目负责人').getA1Notation());
    h.edit('合作项目', a1, [['王老师']], STAFF);
    expect(h.records('合作项目')[row - 2]!['项目负责人']).toBe('张老师');
    expect(h.ss.toasts.at(-1)).toContain('合作内容不能再修改');
  });

  it('puts back a hand edit of a system column', () => {
    const h = registry();
    const row = submittedProject(h);
    const a1 = h.log.quiet(() => h.cell('合作项目', row, '状态').getA1Notation());
    h.edit('合作项目', a1, [['已批准']], OFFICE);
    expect(status(h, row)).toBe('待审查');
    expect(h.ss.toasts.at(-1)).toContain('由系统按流程填写');
  });
});

describe('a paste of 50 rows of ticks', () => {
  it('is handled cell by cell from the notes, in one batch, with one log write', () => {
    const h = registry();
    const rows = Array.from({ length: 50 }, () => submittedProject(h));
    expect(rows[49]).toBe(51);
    const col = h.headerCol('合作项目', '教务处');
    const a1 = h.log.quiet(() => h.sheet('合作项目').getRange(2, col, 50, 1).getA1Notation());
    const before = logRows(h).length;
    h.log.reset();
    h.edit(
      '合作项目',
      a1,
      rows.map(() => [true]),
      APPROVERS['教务处'],
    );
    const calls = h.log.count();
    expect(calls).toBeLessThanOrEqual(15);
    expect(
      h
        .records('合作项目')
        .slice(0, 50)
        .every((r) => r['状态'] === '审查中'),
    ).toBe(true);
    expect(logRows(h).length - before).toBe(50);
    expect(h.log.methods().filter((m) => m === 'Range.setValues')).toHaveLength(2);
    // Pasting the same ticks again changes nothing: the stamps say they are already there.
    h.edit(
      '合作项目',
      a1,
      rows.map(() => [true]),
      APPROVERS['教务处'],
    );
    expect(logRows(h).length - before).toBe(50);
  });

  it('undoes a stranger’s paste of ticks row by row', () => {
    const h = registry();
    const rows = [submittedProject(h), submittedProject(h)];
    const col = h.headerCol('合作项目', '学生（学工）处');
    const a1 = h.log.quiet(() => h.sheet('合作项目').getRange(rows[0]!, col, 2, 1).getA1Notation());
    h.edit('合作项目', a1, [[true], [true]], OWNER);
    expect(h.records('合作项目').map((r) => r['学生（学工）处'])).toEqual([false, false]);
    expect(
      logRows(h)
        .slice(-2)
        .map((r) => r['操作']),
    ).toEqual(['越权尝试', '越权尝试']);
  });
});

describe('validation on edit', () => {
  it('marks a broken cell with a note and colour, and clears both when fixed', () => {
    const h = registry();
    const a1 = h.log.quiet(() => h.cell('合作单位', 2, '联系电话').getA1Notation());
    h.edit('合作单位', a1, [['12345']], STAFF);
    const cell = () => h.log.quiet(() => h.cell('合作单位', 2, '联系电话'));
    expect(h.log.quiet(() => cell().getNote())).toContain('【校验】联系电话');
    expect(h.log.quiet(() => cell().getBackground())).toBe('#f4cccc');
    h.edit('合作单位', a1, [['0758-2345678']], STAFF);
    expect(h.log.quiet(() => cell().getNote())).toBe('');
    expect(h.log.quiet(() => cell().getBackground())).toBe('#ffffff');
  });

  it('keeps a person’s own note when marking and clearing', () => {
    const h = registry();
    const range = h.log.quiet(() => h.cell('合作单位', 2, '电子邮箱'));
    h.log.quiet(() => range.setNote('对方要求发到工作邮箱'));
    h.edit('合作单位', range.getA1Notation(), [['not-an-email']], STAFF);
    expect(h.log.quiet(() => range.getNote())).toBe('【校验】电子邮箱：电子邮箱格式不正确\n对方要求发到工作邮箱');
    h.edit('合作单位', range.getA1Notation(), [['li@jinggong.com']], STAFF);
    expect(h.log.quiet(() => range.getNote())).toBe('对方要求发到工作邮箱');
  });

  it('writes text that looks like a formula back as text, never as a formula', () => {
    const h = registry();
    // A partner whose name starts with "=" (typed with a leading apostrophe, so Sheets kept it as text).
    pasteRecord(h, '合作单位', 3, { 单位编号: 'P0002', 单位名称: `'=HYPERLINK("http://evil.example","点我")`, 单位类型: '企业' }, OWNER);
    expect(h.records('合作单位')[1]!['单位名称']).toBe('=HYPERLINK("http://evil.example","点我")');
    h.as(OFFICE).click('新建合作项目');
    typeRecord(h, '合作项目', 2, { 合作单位编号: 'P0002' }, STAFF);
    const cell = h.log.quiet(() => h.cell('合作项目', 2, '合作单位名称'));
    expect(h.log.quiet(() => cell.getFormulas()[0]![0])).toBe('');
    expect(h.log.quiet(() => cell.getValue())).toBe('=HYPERLINK("http://evil.example","点我")');
  });
});

describe('new rows', () => {
  it('a project row started by department staff gets the next 项目编号 and 草稿; the menu tells staff to do just that', () => {
    const h = registry();
    h.as(STAFF);
    h.click('新建合作项目');
    expect(h.ss.toasts.at(-1)).toContain('系统会自动分配项目编号');
    typeRecord(h, '合作项目', 2, { 项目名称: '学前教育实践基地' }, STAFF);
    expect(h.records('合作项目')[0]).toMatchObject({ 项目编号: 'HZ2026-001', 状态: '草稿', 更新时间: '2026-11-24 10:00:00' });
  });

  it('a partner row gets the next 单位编号 when someone starts a row without one, never reusing a number', () => {
    const h = registry();
    const a1 = h.log.quiet(() => h.cell('合作单位', 3, '单位名称').getA1Notation());
    h.edit('合作单位', a1, [['肇庆市汽车维修行业协会']], STAFF);
    expect(h.records('合作单位')[1]!['单位编号']).toBe('P0002');
    expect(h.records('设置').find((r) => r['分组'] === '编号计数' && r['设置项'] === '合作单位')?.['值']).toBe('2');
    // Typing more into the same row keeps its ID.
    const kind = h.log.quiet(() => h.cell('合作单位', 3, '单位类型').getA1Notation());
    h.edit('合作单位', kind, [['行业协会']], STAFF);
    expect(h.records('合作单位').map((r) => r['单位编号'])).toEqual(['P0001', 'P0002']);
  });
});
