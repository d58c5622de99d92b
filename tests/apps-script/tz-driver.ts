// Run by timezones.test.ts in a subprocess under a chosen TZ: signs a project and sends the daily mail, printing
// the dates the sheet ends up holding and the mail shows, so the test can compare zones.
import { APPROVERS, OFFICE, plantLog, plantRecord, registry, submittedProject, tick } from './fixture.js';
import { REVIEW_DEPARTMENT_NAMES } from '../../core/index.js';

const h = registry();
const row = submittedProject(h);
for (const d of REVIEW_DEPARTMENT_NAMES) tick(h, row, d, APPROVERS[d]);
h.as(OFFICE).select('合作项目', row);
h.click('记录会议审议', { button: 'YES' }, { button: 'OK', text: '校办〔2026〕12号' });
h.click('记录会议审议', { button: 'YES' }, { button: 'OK', text: '党委〔2026〕5号' });
// Signed a week after approval: a signing dated in the future is refused.
h.setNow('2026-12-01T02:00:00Z');
h.click('登记签署', { button: 'OK', text: '2026-12-01' });
// An agreement whose end date Sheets hands back as a Date at school midnight (2026-12-31 00:00 +08:00).
plantRecord(h, '合作项目', row + 1, {
  项目编号: 'HZ2025-009',
  项目名称: '旧项目',
  状态: '已生效',
  开始日期: new Date('2025-01-01T00:00:00+08:00'),
  结束日期: new Date('2026-12-31T00:00:00+08:00'),
});
// In force as 审批记录 records it (a typed 状态 alone would not make it an agreement that expires).
plantLog(h, [
  {
    time: '2025-01-01 10:00:00',
    projectId: 'HZ2025-009',
    body: '合作交流处',
    actor: OFFICE,
    action: '签署',
    fromStatus: '已批准',
    toStatus: '已生效',
    remark: '协议编号 ZQLG-HZ-2025-009，签署日期 2025-01-01',
  },
]);
h.setNow('2026-11-30T16:30:00Z'); // 00:30 on 1 December at school
h.runDaily();
const signed = h.records('合作项目')[row - 2]!['签署日期'] as Date;
const mail = h.mail.outbox.find((m) => m.to === OFFICE && m.subject.includes('每日提醒'))?.body ?? '';
console.log(
  JSON.stringify({
    signed: signed.toISOString(),
    expiring: /HZ2025-009「旧项目」(\S+) 到期/.exec(mail)?.[1],
    due: mail.includes('本年度评价待填报（12 月 31 日前）'),
  }),
);
