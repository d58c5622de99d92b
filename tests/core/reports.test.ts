import { describe, expect, it } from 'vitest';
import { evaluationsOwed, expiringSoon } from '../../core/index.js';
import * as core from '../../core/index.js';
import { demoSettings, partner, project, sealLog, vouchedRegistry as registry } from './fixtures.js';

describe('annual evaluations owed (第十六条)', () => {
  const signed = (overrides = {}) => project({ status: '已生效', startDate: '2024-09-01', endDate: '2027-07-31', signedAt: '2024-08-20', ...overrides });

  it('past years without an evaluation are overdue; this year is due from the reminder date', () => {
    const data = registry([partner()], [signed()]);
    data.evaluations.push({ cells: { projectId: 'HZ2026-001', year: 2024 }, sheetRow: 2 });
    expect(evaluationsOwed(data, demoSettings(), '2026-11-24')).toEqual({
      overdue: [expect.objectContaining({ projectId: 'HZ2026-001', year: 2025 })],
      due: [],
    });
    expect(evaluationsOwed(data, demoSettings(), '2026-12-01').due).toEqual([expect.objectContaining({ year: 2026 })]);
  });

  it('a project owes nothing for the years before it was signed', () => {
    const data = registry([partner()], [signed({ signedAt: '2026-03-01' })]);
    expect(evaluationsOwed(data, demoSettings(), '2026-11-24')).toEqual({ overdue: [], due: [] });
  });

  it('owes from the signing 审批记录 records, not a later signing date typed into the cell', () => {
    const data = registry([partner()], [signed()]);
    // The log signed it on 2024-08-20; a 2026 date typed into 签署日期 would excuse 2024 and 2025.
    data.projects[0]!.cells.signedAt = '2026-03-01';
    expect(evaluationsOwed(data, demoSettings(), '2026-11-24').overdue.map((o) => o.year)).toEqual([2024, 2025]);
  });

  it('drafts and projects in review owe nothing', () => {
    const data = registry([partner()], [signed({ status: '审查中' })]);
    expect(evaluationsOwed(data, demoSettings(), '2027-02-01').overdue).toEqual([]);
  });
});

describe('agreements expiring', () => {
  it('lists agreements in force that end within the lead time of 设置', () => {
    const data = registry(
      [partner()],
      [project({ status: '已生效', endDate: '2027-01-20' }), project({ projectId: 'HZ2026-002', status: '已生效', endDate: '2027-03-01' })],
    );
    expect(expiringSoon(data, demoSettings(), '2026-11-24').map((p) => p.projectId)).toEqual(['HZ2026-001']);
  });
});

describe('dashboard figures (one source for coop status, the archive, the HTML report and 统计看板)', () => {
  const log = (projectId: string, action: string, body: string | null, toStatus: string, time: string) => ({
    cells: { time, projectId, body, actor: 'x@zqlg.edu.cn', action, fromStatus: null, toStatus, remark: null },
    sheetRow: 2,
  });

  it('queues reviews oldest first with the departments still to review, as the log vouches', () => {
    const data = registry(
      [partner()],
      [
        project({ projectId: 'HZ2026-001', status: '审查中', appliedAt: '2026-11-20' }),
        project({ projectId: 'HZ2026-002', status: '待审查', appliedAt: '2026-11-01' }),
        project({ projectId: 'HZ2026-003', status: '草稿' }),
      ],
    );
    sealLog(data, log('HZ2026-001', '提交', null, '待审查', '2026-11-20 09:00:00'), log('HZ2026-001', '审查通过', '计财处', '审查中', '2026-11-21 09:00:00'));
    const { reviewQueue } = core;
    const queue = reviewQueue(data, demoSettings(), '2026-11-24');
    expect(queue.map((w) => [w.projectId, w.days])).toEqual([
      ['HZ2026-002', 23],
      ['HZ2026-001', 4],
    ]);
    expect(queue[1]!.waitingOn).not.toContain('计财处');
    expect(queue[0]!.waitingOn).toContain('计财处');
    const s = core.summarize(data, demoSettings(), '2026-11-24');
    expect(s.waitingOn['计财处']).toEqual(['HZ2026-002']);
    expect(s.waitingOn['教务处']).toEqual(['HZ2026-001', 'HZ2026-002']);
    expect(s.oldestWaitingDays['教务处']).toBe(23);
    expect(s.oldestWaitingDays['计财处']).toBe(23);
  });

  it('counts status by category, projects and money by year, and totals in exact cents', () => {
    const data = registry(
      [partner()],
      [
        project({ projectId: 'HZ2025-001', category: '培训服务', status: '已生效', income: 0.1, expense: 0 }),
        project({ projectId: 'HZ2026-001', category: '培训服务', status: '草稿', income: 0.2, expense: 100.55 }),
        project({ projectId: 'HZ2026-002', category: '科研合作', status: '草稿', income: null, expense: 1 }),
      ],
    );
    const s = core.summarize(data, demoSettings(), '2026-11-24');
    expect(s.byCategoryStatus['培训服务']).toMatchObject({ 已生效: 1, 草稿: 1 });
    expect(s.byCategoryStatus['科研合作']!['草稿']).toBe(1);
    expect(s.byYear).toEqual([
      { year: '2025', projects: 1, income: 0.1, expense: 0 },
      { year: '2026', projects: 2, income: 0.2, expense: 101.55 },
    ]);
    expect(s.totals).toEqual({ income: 0.3, expense: 101.55 });
  });

  it('lists the office queue: meetings still to decide, then signing', () => {
    const data = registry(
      [partner()],
      [
        project({ projectId: 'HZ2026-001', status: '待审议', updatedAt: '2026-11-10 09:00:00' }),
        project({ projectId: 'HZ2026-002', status: '已批准', updatedAt: '2026-11-20 10:00:00' }),
      ],
    );
    expect(core.officeQueue(data, '2026-11-24').map((w) => [w.projectId, w.next, w.days])).toEqual([
      ['HZ2026-001', '校长办公会', 14],
      ['HZ2026-002', '签署', 4],
    ]);
  });

  it('takes the next meeting from 审批记录: a 校长办公会 tick typed into the row does not skip it', () => {
    const data = registry([partner()], [project({ projectId: 'HZ2026-001', status: '待审议', updatedAt: '2026-11-10 09:00:00' })]);
    data.projects[0]!.cells.presidentMeeting = true;
    expect(core.officeQueue(data, '2026-11-24').map((w) => w.next)).toEqual(['校长办公会']);
  });

  it('derives no signing date the log does not record (the archive and printed forms read derived cells)', () => {
    const data = registry([partner()], [project({ projectId: 'HZ2026-001', status: '已批准', signedAt: '2026-11-01' })]);
    core.deriveColumns(data, '2026-11-24');
    expect(data.projects[0]!.cells.signedAt).toBeNull();
    const signedProject = registry([partner()], [project({ status: '已生效', signedAt: '2024-08-20' })]);
    signedProject.projects[0]!.cells.signedAt = '2030-01-01';
    core.deriveColumns(signedProject, '2026-11-24');
    expect(signedProject.projects[0]!.cells.signedAt).toBe('2024-08-20');
  });
});
