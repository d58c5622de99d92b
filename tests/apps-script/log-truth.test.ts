// The verified 审批记录 is the only truth on the shared sheet too (issue 11): the built bundle's edit trigger, menu
// review/return, 生成合作协议 and 续签 act on the logged state, never on a forged log row or a typed 状态, tick,
// meeting or signing cell; 校验全部 names every such cell and row.
import { describe, expect, it } from 'vitest';
import { REVIEW_DEPARTMENT_NAMES, linkHash, reviewLogSheet } from '../../core/index.js';
import { STATES_PROPERTY } from '../../apps-script/src/log.js';
import {
  APPROVERS,
  FORGED_APPROVAL,
  OFFICE,
  OWNER,
  STAFF,
  pasteRecord,
  plantLog,
  submissionEntries,
  plantRecord,
  registry,
  submittedProject,
  tick,
  typeRecord,
} from './fixture.js';

type H = ReturnType<typeof registry>;

const FORGED = FORGED_APPROVAL;

const status = (h: H, row: number) => h.records('合作项目')[row - 2]!['状态'];
const note = (h: H, row: number, header: string) => h.log.quiet(() => h.cell('合作项目', row, header).getNote());

/** A project every department has reviewed: 待审议 as 审批记录 records it. */
function reviewed(h: H): number {
  const row = submittedProject(h);
  for (const d of REVIEW_DEPARTMENT_NAMES) tick(h, row, d, APPROVERS[d]);
  expect(status(h, row)).toBe('待审议');
  return row;
}

/** The forged row with a 校验值 chained onto the real last row: what a program writing through the API could add. */
function chainedForgery(h: H): Record<string, unknown> {
  const log = h.records('审批记录');
  const cells = Object.fromEntries(reviewLogSheet.columns.map((c) => [c.key, (FORGED as Record<string, string>)[c.header] ?? null]));
  return { ...FORGED, 校验值: linkHash(String(log.at(-1)!['校验值']), cells) };
}

describe('a forged 审批记录 row on the shared sheet', () => {
  it('typed by hand: 校验全部 names it, and the edit trigger, menu review/return and 登记签署 refuse to act on it', () => {
    const h = registry();
    const row = reviewed(h);
    const logRow = h.records('审批记录').length + 2;
    // Typed cell by cell by someone who may edit the protected log (the owner), with a 状态 typed to match.
    typeRecord(h, '审批记录', logRow, FORGED, OWNER);
    expect(h.ss.toasts.at(-1)).toContain('「审批记录」只能由系统写入');
    plantRecord(h, '合作项目', row, { 状态: '已批准' });
    const before = h.records('审批记录').length;

    const report = h.as(OFFICE).click('校验全部').join('\n');
    expect(report).toContain(`「审批记录」第 ${logRow} 行没有校验值`);
    expect(report).toContain('「状态」填的是「已批准」，审批记录记载的是「待审议」');

    // The edit trigger: an approver's untick waits for the office instead of acting on a log that may be false.
    const untick = tick(h, row, '教务处', APPROVERS['教务处'], false);
    expect(untick.blocked).toBe(false);
    expect(h.ss.toasts.at(-1)).toContain('审批操作暂停');
    expect(h.ss.toasts.at(-1)).toContain('「合作交流 › 审批记录更正」');
    expect(h.log.quiet(() => h.cell('合作项目', row, '教务处').getValue())).toBe(true);
    // A content change after submission needs a log entry too: put back, not logged.
    const a1 = h.log.quiet(() => h.cell('合作项目', row, '合作内容及双方权责').getA1Notation());
    h.edit('合作项目', a1, [['改过的合作内容']], STAFF);
    expect(h.ss.toasts.at(-1)).toContain('审批操作暂停');
    expect(h.records('合作项目')[row - 2]!['合作内容及双方权责']).not.toBe('改过的合作内容');

    h.as(OFFICE).select('合作项目', row);
    expect(h.click('退回修改', { button: 'OK', text: '材料不全' }).join('\n')).toContain('审批操作暂停');
    expect(h.click('登记签署', { button: 'OK', text: '2026-11-24' }).join('\n')).toContain('审批操作暂停');
    h.as(APPROVERS['教务处']).select('合作项目', row);
    expect(h.click('本部门退回', { button: 'OK', text: '材料不全' }).join('\n')).toContain('审批操作暂停');
    expect(h.click('本部门审查通过').join('\n')).toContain('审批操作暂停');
    expect(h.records('审批记录')).toHaveLength(before);
  });

  it('chained onto the log behind the script’s back: the edit trigger acts on the logged state, 校验全部 names the row, and it never counts', () => {
    const h = registry();
    const row = reviewed(h);
    const logRow = h.records('审批记录').length + 2;
    plantRecord(h, '审批记录', logRow, chainedForgery(h));
    plantRecord(h, '合作项目', row, { 状态: '已批准' });

    // Under the forged 已批准 an untick would be refused; under the logged 待审议 it is the approver's right.
    tick(h, row, '教务处', APPROVERS['教务处'], false);
    expect(status(h, row)).toBe('审查中');
    expect(h.records('审批记录').at(-1)).toMatchObject({ 操作: '撤销审查', 原状态: '待审议', 新状态: '审查中' });

    const report = h.as(OFFICE).click('校验全部').join('\n');
    // The sheet cannot tell a row the CLI appended through the API from this one by its hash: it is not vouched for,
    // and counts only if the person it names could have recorded it — nobody@evil.example cannot.
    expect(report).toContain(`「审批记录」第 ${logRow} 行不是本系统核验过的记录，且「nobody@evil.example」无权记录「会议通过」（党委会）：该记录不计入`);
    // The system's own row after it still counts; the forged one does not.
    expect(report).not.toContain('「状态」填的是');
    h.select('合作项目', row);
    // The forged approval is not counted: signing is refused on the logged 审查中.
    expect(h.click('登记签署', { button: 'OK', text: '2026-11-24' }).join('\n')).toContain('当前状态为「审查中」，不能登记签署');
  });

  it('生成合作协议 offers no agreement for a project only the forged row approves', () => {
    const h = registry();
    h.drive.addTemplate('tpl-general', '通用模板', ['合作协议 {{协议编号}}{{草稿标记}}']);
    h.log.quiet(() =>
      h
        .sheet('设置')
        .getRange(h.sheet('设置').getLastRow() + 1, 1, 1, 3)
        .setValues([['协议模板', '通用', 'tpl-general']]),
    );
    const row = reviewed(h);
    plantRecord(h, '审批记录', h.records('审批记录').length + 2, chainedForgery(h));
    plantRecord(h, '合作项目', row, { 状态: '已批准' });
    h.as(OFFICE).select('合作项目', row);
    // The log says 待审议: only a marked draft is offered, and declining it makes nothing.
    expect(h.click('生成合作协议', { button: 'NO' }).join('\n')).toContain('已取消');
    expect(h.app.ui.alerts.some((a) => a.includes('尚未批准（当前「待审议」）'))).toBe(true);
    expect([...h.drive.docs.values()].filter((d) => d.id.startsWith('copy-'))).toHaveLength(0);
    expect(h.records('合作项目')[row - 2]!['协议文件']).toBe('');
  });

  it('续签项目 refuses an agreement only a forged 签署 row puts in force', () => {
    const h = registry();
    plantRecord(h, '合作项目', 2, {
      项目编号: 'HZ2024-003',
      项目名称: '汽修实训基地',
      合作单位编号: 'P0001',
      合作类别: '实践教学基地',
      开始日期: '2024-03-01',
      结束日期: '2026-12-31',
      状态: '已生效',
    });
    plantLog(h, [
      { time: '2024-02-01 10:00:00', projectId: 'HZ2024-003', body: '合作交流处', actor: OFFICE, action: '提交', fromStatus: '草稿', toStatus: '待审查' },
    ]);
    const log = h.records('审批记录');
    plantRecord(h, '审批记录', log.length + 2, {
      ...FORGED,
      项目编号: 'HZ2024-003',
      部门或机构: '合作交流处',
      操作: '签署',
      原状态: '已批准',
      新状态: '已生效',
      备注: '协议编号 ZQLG-HZ-2024-003，签署日期 2024-02-20',
    });
    h.as(OFFICE).select('合作项目', 2);
    const out = h.click('续签项目').join('\n');
    expect(out).not.toContain('创建续签项目');
    expect(h.records('合作项目').filter((r) => r['前序项目'] === 'HZ2024-003')).toHaveLength(0);
  });
});

describe('审批记录更正 on the sheet', () => {
  it('the office re-anchors a broken chain with a 日志更正 row; the forged row stays in the sheet but no longer counts', () => {
    const h = registry();
    const row = reviewed(h);
    const logRow = h.records('审批记录').length + 2;
    typeRecord(h, '审批记录', logRow, FORGED, OWNER);
    h.as(STAFF);
    expect(h.click('审批记录更正').join('\n')).toContain('只有合作交流处工作人员可以更正审批记录');
    h.as(OFFICE);
    expect(h.click('审批记录更正', { button: 'CANCEL' }).join('\n')).toContain('已取消');
    const out = h.click('审批记录更正', { button: 'OK', text: `核实：第 ${logRow} 行系手工录入` }, { button: 'NO' }).join('\n');
    expect(out).toContain('已记录「日志更正」并重新锚定校验链');
    expect(out).toContain(`以下记录不再计入：第 ${logRow} 行`);
    const log = h.records('审批记录');
    expect(log[logRow - 2]!['操作人']).toBe('nobody@evil.example');
    expect(log.at(-1)).toMatchObject({ 操作: '日志更正', 操作人: OFFICE });
    expect(h.click('校验全部').join('\n')).not.toContain('审批记录」第');
    expect(h.click('审批记录更正').join('\n')).toContain('审批记录校验链完整，无需更正');
    // The workflow runs again, on the log without the forged row: the meetings are still to be held.
    h.select('合作项目', row);
    expect(h.click('登记签署', { button: 'OK', text: '2026-11-24' }).join('\n')).toContain('当前状态为「待审议」');
    tick(h, row, '教务处', APPROVERS['教务处'], false);
    expect(status(h, row)).toBe('审查中');
  });
});

describe('typed or pasted workflow cells on the edit trigger', () => {
  it('a pasted 状态 or meeting tick shows the logged value again and moves nothing', () => {
    const h = registry();
    const row = submittedProject(h);
    pasteRecord(h, '合作项目', row, { 校长办公会: true, 状态: '已生效' }, OFFICE);
    expect(status(h, row)).toBe('待审查');
    expect(h.records('合作项目')[row - 2]!['校长办公会']).toBe(false);
    expect(h.ss.toasts.at(-1)).toContain('以审批记录为准');
    expect(h.records('审批记录').at(-1)!['操作']).toBe('提交');
  });

  it('a 状态 typed into one cell goes back to what the log records, not to whatever the cell held before', () => {
    const h = registry();
    const row = submittedProject(h);
    plantRecord(h, '合作项目', row, { 状态: '已批准' });
    const a1 = h.log.quiet(() => h.cell('合作项目', row, '状态').getA1Notation());
    h.edit('合作项目', a1, [['已生效']], OFFICE);
    expect(status(h, row)).toBe('待审查');
  });

  it('the tick that completes a review reads no log rows while the cache holds, and rebuilds it when it does not', () => {
    const h = registry();
    const row = submittedProject(h);
    const departments = REVIEW_DEPARTMENT_NAMES;
    for (const d of departments.slice(0, -2)) tick(h, row, d, APPROVERS[d]);
    // Cache gone (as after a repair elsewhere): the next tick reads and verifies the whole log once.
    h.scriptProperties.deleteProperty(STATES_PROPERTY);
    h.log.reset();
    tick(h, row, departments.at(-2)!, APPROVERS[departments.at(-2)!]);
    expect(h.log.methods().filter((m) => m === 'Range.getValues')).toHaveLength(2);
    h.log.reset();
    tick(h, row, departments.at(-1)!, APPROVERS[departments.at(-1)!]);
    expect(h.log.methods().filter((m) => m === 'Range.getValues')).toHaveLength(1);
    expect(h.log.count()).toBeLessThanOrEqual(10);
    expect(status(h, row)).toBe('待审议');
  });
});

describe('the logged-state cache in script properties', () => {
  it('splits many projects over buckets each under the 9 kB a property holds, and serves the tick from them', () => {
    const h = registry();
    const row = submittedProject(h);
    plantLog(h, submissionEntries(400, '2026-11-20 10:00:00'));
    tick(h, row, '教务处', APPROVERS['教务处']);
    const meta = JSON.parse(h.scriptProperties.getProperty(STATES_PROPERTY)!);
    expect(meta.buckets).toBeGreaterThan(1);
    const buckets = Array.from({ length: meta.buckets }, (_, i) => h.scriptProperties.getProperty(`${STATES_PROPERTY}.${i}`)!);
    expect(buckets.every((b) => b.length <= 9 * 1024)).toBe(true);
    expect(buckets.join('')).toContain('HZ2025-0400');
    h.log.reset();
    tick(h, row, '科研处', APPROVERS['科研处']);
    expect(h.log.methods().filter((m) => m === 'Range.getValues')).toHaveLength(1);
    expect(status(h, row)).toBe('审查中');
  });

  it('a cache the properties cannot hold is dropped; the edit still goes through, reading the log', () => {
    const h = registry();
    const row = submittedProject(h);
    const props = h.scriptProperties;
    const set = props.setProperty.bind(props);
    props.setProperty = (key: string, value: string) => {
      if (key.startsWith(STATES_PROPERTY)) throw new Error('You have exceeded the property storage quota.');
      return set(key, value);
    };
    tick(h, row, '教务处', APPROVERS['教务处']);
    tick(h, row, '科研处', APPROVERS['科研处']);
    expect(status(h, row)).toBe('审查中');
    expect(props.getProperty(STATES_PROPERTY)).toBeNull();
    expect(h.records('审批记录').map((r) => r['操作'])).toEqual(['提交', '审查通过', '审查通过']);
  });
});

describe('the daily run and typed 状态', () => {
  it('writes each 状态 as the log records it: a typed 已生效 past its end is not expired but put back, a logged one expires', () => {
    const h = registry();
    const base = { 合作单位编号: 'P0001', 合作类别: '培训服务', 开始日期: '2024-01-01', 结束日期: '2025-12-31', 状态: '已生效' };
    plantRecord(h, '合作项目', 2, { ...base, 项目编号: 'HZ2024-001', 项目名称: '只是填了已生效' });
    plantRecord(h, '合作项目', 3, { ...base, 项目编号: 'HZ2024-002', 项目名称: '审批记录记载签署' });
    plantLog(h, [
      {
        time: '2024-01-01 10:00:00',
        projectId: 'HZ2024-002',
        body: '合作交流处',
        actor: OFFICE,
        action: '签署',
        fromStatus: '已批准',
        toStatus: '已生效',
        remark: '协议编号 ZQLG-HZ-2024-002，签署日期 2024-01-01',
      },
    ]);
    h.runDaily();
    expect(status(h, 2)).toBe('草稿');
    expect(status(h, 3)).toBe('已到期');
  });
});

describe('校验全部 and the log', () => {
  it('marks every status, tick, meeting and signing cell that disagrees with 审批记录, naming typed and logged values', () => {
    const h = registry();
    const row = submittedProject(h);
    plantRecord(h, '合作项目', row, { 状态: '已批准', 教务处: true, 校长办公会: true, 签署日期: '2026-11-30' });
    const out = h.as(OFFICE).click('校验全部').join('\n');
    expect(out).toContain(`合作项目 第 ${row} 行 状态：「状态」填的是「已批准」，审批记录记载的是「待审查」`);
    expect(note(h, row, '状态')).toContain('审批记录记载的是「待审查」');
    expect(note(h, row, '教务处')).toContain('未登记的审查');
    expect(note(h, row, '校长办公会')).toContain('「校长办公会」填的是');
    expect(note(h, row, '签署日期')).toContain('「签署日期」填的是「2026-11-30」，审批记录记载的是「未签署」');
    // The cells the log agrees with carry no mark.
    expect(note(h, row, '科研处')).toBe('');
  });
});
