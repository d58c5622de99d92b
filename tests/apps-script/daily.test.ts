// The daily trigger's mails: expiring agreements, reviews pending too long, annual evaluations due and overdue —
// one summary per recipient per day, within the MailApp quota.
import { describe, expect, it } from 'vitest';
import { APPROVERS, OFFICE, pasteRecord, plantLog, plantRecord, registry, tick } from './fixture.js';

/** A project row written directly (as an imported registry would have it). */
function typedProject(h: ReturnType<typeof registry>, row: number, fields: Record<string, unknown>) {
  plantRecord(h, '合作项目', row, {
    项目编号: `HZ2025-${String(row).padStart(3, '0')}`,
    项目名称: `项目${row}`,
    承办系部: '计算机应用专业',
    合作单位编号: 'P0001',
    合作类别: '培训服务',
    ...fields,
  });
}

/** A 提交 entry in 审批记录, as the workflow would have written it: the wait of every department starts there. */
function submittedOn(h: ReturnType<typeof registry>, projectId: string, date: string) {
  plantLog(h, [
    { time: `${date} 09:00:00`, projectId, body: '计算机应用专业', actor: 'teacher@zqlg.edu.cn', action: '提交', fromStatus: '草稿', toStatus: '待审查' },
  ]);
}

/** A project in force as 审批记录 records it: only the log, never a typed 状态, makes an agreement one that expires. */
function project(h: ReturnType<typeof registry>, row: number, fields: Record<string, unknown>) {
  typedProject(h, row, fields);
  if (fields['状态'] !== '已生效') return;
  const id = `HZ2025-${String(row).padStart(3, '0')}`;
  const signed = String(fields['开始日期']);
  plantLog(h, [
    {
      time: `${signed} 10:00:00`,
      projectId: id,
      body: '合作交流处',
      actor: OFFICE,
      action: '签署',
      fromStatus: '已批准',
      toStatus: '已生效',
      remark: `协议编号 ZQLG-HZ-${id}，签署日期 ${signed}`,
    },
  ]);
}

describe('daily reminders', () => {
  it('sends each recipient one summary of what concerns them, once a day', () => {
    const h = registry();
    // In force and ending within 60 days; in force since 2025 without a 2025 evaluation; pending review for 20 days.
    project(h, 2, { 状态: '已生效', 开始日期: '2025-03-01', 结束日期: '2026-12-31' });
    project(h, 3, { 状态: '待审查', 申请日期: '2026-11-04', 开始日期: '2027-01-01', 结束日期: '2028-01-01' });
    submittedOn(h, 'HZ2025-003', '2026-11-04');
    tick(h, 3, '教务处', APPROVERS['教务处']);
    project(h, 4, { 状态: '已生效', 开始日期: '2024-01-01', 结束日期: '2026-11-01' });
    h.runDaily();
    const byRecipient = new Map(h.mail.outbox.map((m) => [m.to, m]));
    const office = byRecipient.get(OFFICE)!;
    expect(office.subject).toBe('【合作交流】每日提醒 2026-11-24 · 合作交流处');
    expect(office.body).toContain('协议即将到期（1）');
    expect(office.body).toContain('HZ2025-002「项目2」2026-12-31 到期');
    expect(office.body).toContain('年度评价已逾期未填报');
    expect(office.body).toContain('HZ2025-002「项目2」（计算机应用专业）2025 年度');
    expect(office.body).toContain('HZ2025-003「项目3」仍待组织部（人事处）、计财处、国资处、科研处、学生（学工）处、招就处审查，已等待 20 天');
    // The approver who already ticked is not chased; the others are, each once.
    expect(byRecipient.has(APPROVERS['教务处'])).toBe(false);
    expect(byRecipient.get(APPROVERS['计财处'])!.body).toContain('HZ2025-003「项目3」仍待计财处审查，已等待 20 天（2026-11-04 起）');
    // A tick typed over the log's head does not end the wait: 催办 reads 审批记录.
    expect(office.body).not.toContain('教务处');
    expect(h.mail.outbox.filter((m) => m.to === APPROVERS['计财处'])).toHaveLength(1);
    // An agreement past its end date became 已到期.
    expect(h.records('合作项目')[2]!['状态']).toBe('已到期');
    const sent = h.mail.outbox.length;
    h.runDaily();
    expect(h.mail.outbox.length).toBe(sent);
    h.setNow('2026-11-25T02:00:00Z');
    h.runDaily();
    expect(h.mail.outbox.length).toBe(sent * 2);
  });

  it('chases this year’s evaluations from December 1st', () => {
    const h = registry();
    project(h, 2, { 状态: '已生效', 开始日期: '2026-03-01', 结束日期: '2028-12-31' });
    h.runDaily();
    expect(h.mail.outbox).toHaveLength(0);
    h.setNow('2026-12-01T01:00:00Z');
    h.runDaily();
    expect(h.mail.outbox[0]!.body).toContain('本年度评价待填报（12 月 31 日前）');
    h.setNow('2027-01-02T01:00:00Z');
    h.runDaily();
    expect(h.mail.outbox[1]!.body).toContain('年度评价已逾期未填报');
    // Filing the evaluation stops the reminders.
    pasteRecord(h, '年度评价', 2, { 项目编号: 'HZ2025-002', 年度: 2026, 综合评价: '良好', 填报人: '张老师', 填报日期: '2027-01-03' }, OFFICE);
    h.setNow('2027-01-03T01:00:00Z');
    h.runDaily();
    expect(h.mail.outbox).toHaveLength(2);
  });

  it('stays within the MailApp quota, office first, the rest the next day', () => {
    const h = registry();
    project(h, 2, { 状态: '待审查', 申请日期: '2026-11-01' });
    submittedOn(h, 'HZ2025-002', '2026-11-01');
    h.mail.quota = 2;
    h.runDaily();
    expect(h.mail.outbox.map((m) => m.to)[0]).toBe(OFFICE);
    expect(h.mail.outbox).toHaveLength(2);
    h.mail.quota = 100;
    h.runDaily();
    // The same day, only those not yet mailed get theirs.
    expect(new Set(h.mail.outbox.map((m) => m.to)).size).toBe(h.mail.outbox.length);
    expect(h.mail.outbox).toHaveLength(8);
  });

  it('年度评价 ▸ 检查逾期 lists them; 发送提醒 mails the office', () => {
    const h = registry();
    project(h, 2, { 状态: '已生效', 开始日期: '2025-03-01', 结束日期: '2028-12-31' });
    h.as(OFFICE);
    expect(h.click('年度评价 ▸ 检查逾期').join('\n')).toContain('逾期未填报（1）');
    expect(h.click('年度评价 ▸ 发送提醒').join('\n')).toContain('已发送 1 封提醒邮件');
    expect(h.mail.outbox[0]!.subject).toContain('年度评价填报提醒');
  });
});
