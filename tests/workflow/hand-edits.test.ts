// A workbook edited by hand can never approve a project: typed ticks, meetings and statuses do not count; dates never shift.
import { describe, expect, it } from 'vitest';
import { REVIEW_DEPARTMENT_NAMES } from '../../core/index.js';
import { REVIEWED, SAMPLE_APPROVERS, SAMPLE_OFFICE, STAMP, advance, fileHash, readLog, readProject, registryWith, sample, typeIntoProject } from './fixture.js';

const by = (email: string) => ['--by', email];

describe('hand edits', { timeout: 600_000 }, () => {
  it('a tick typed into a review column is not counted, and coop validate reports it as 未登记的审查 with its row', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    const id = 'HZ2026-001';
    // Submitted and reviewed by every department but 教务处 (typed by hand below) and 招就处 (via the CLI).
    await advance(path, id, [REVIEWED[0]!, ...REVIEWED.slice(2, 7)]);
    const row = await typeIntoProject(path, id, '教务处', true);

    const validate = run(['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain(`工作表「合作项目」 · 第 ${row} 行 · 列「教务处」 · 规则「未登记的审查」`);

    // coop status still lists the project as waiting on 教务处.
    const waiting = JSON.parse(run(['status', '--json']).stdout).waitingOn;
    expect(waiting['教务处']).toEqual([id]);
    expect(waiting['组织部（人事处）']).toEqual([]);

    // The last department's review completes only the logged ticks: still 审查中, not 待审议.
    const last = run(['review', id, '--dept', '招就处', ...by(SAMPLE_APPROVERS['招就处'])]);
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toContain('：审查中');
    // Writing derives every log-decided cell from 审批记录 again: the typed tick is cleared, not kept.
    expect(await readProject(path, id)).toMatchObject({ status: '审查中', review_academic: false });
    const meeting = run(['meeting', id, '--body', '校长办公会', '--decision', '通过', '--minutes', '1', ...by(SAMPLE_OFFICE)]);
    expect(meeting.code).toBe(1);
    expect(meeting.stderr).toContain('当前状态为「审查中」');

    // The real approver's review is taken (the typed tick did not pre-empt it) and completes the round.
    const real = run(['review', id, '--dept', '教务处', ...by(SAMPLE_APPROVERS['教务处'])]);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain('审查中 → 待审议');
    expect(run(['validate']).code).toBe(0);
  });

  it('a status and meeting ticks typed by hand cannot approve or sign a draft', async () => {
    const { path, run } = await registryWith([sample('星湖班'), sample('合作办园')]);
    await typeIntoProject(path, 'HZ2026-001', '状态', '已批准');
    await typeIntoProject(path, 'HZ2026-001', '校长办公会', true);
    await typeIntoProject(path, 'HZ2026-001', '党委会', true);
    for (const d of REVIEW_DEPARTMENT_NAMES) await typeIntoProject(path, 'HZ2026-001', d, true);
    const before = fileHash(path);
    const sign = run(['sign', 'HZ2026-001', '--date', '2026-11-24', ...by(SAMPLE_OFFICE)]);
    expect(sign.code).toBe(1);
    expect(sign.stderr).toContain('项目 HZ2026-001 当前状态为「草稿」，不能登记签署');
    expect(fileHash(path)).toBe(before);

    // A 校长办公会 tick typed on a project awaiting deliberation does not let 党委会 go first.
    await advance(path, 'HZ2026-002', REVIEWED);
    await typeIntoProject(path, 'HZ2026-002', '校长办公会', true);
    const party = run(['meeting', 'HZ2026-002', '--body', '党委会', '--decision', '通过', '--minutes', '1', ...by(SAMPLE_OFFICE)]);
    expect(party.code).toBe(1);
    expect(party.stderr).toContain('须先经校长办公会审议通过');
  });

  it('keeps the signing date and the log time whatever the host time zone', async () => {
    const { path, run } = await registryWith([sample('星湖班'), sample('合作办园')]);
    // Approved in February, so a signing on 2026-03-01 follows the approval.
    const february = new Date('2026-02-10T02:00:00Z');
    await advance(
      path,
      'HZ2026-001',
      [
        ...REVIEWED,
        [SAMPLE_OFFICE, { type: 'meeting', body: '校长办公会', decision: '通过', minutes: '1' }],
        [SAMPLE_OFFICE, { type: 'meeting', body: '党委会', decision: '通过', minutes: '2' }],
      ],
      february,
    );
    await advance(
      path,
      'HZ2026-002',
      [
        ...REVIEWED,
        [SAMPLE_OFFICE, { type: 'meeting', body: '校长办公会', decision: '通过', minutes: '1' }],
        [SAMPLE_OFFICE, { type: 'meeting', body: '党委会', decision: '通过', minutes: '2' }],
      ],
      february,
    );
    const east = run(['sign', 'HZ2026-001', '--date', '2026-03-01', ...by(SAMPLE_OFFICE)], { TZ: 'Pacific/Kiritimati' });
    const west = run(['sign', 'HZ2026-002', '--date', '2026-03-01', ...by(SAMPLE_OFFICE)], { TZ: 'America/Los_Angeles' });
    expect(east.code, east.stderr).toBe(0);
    expect(west.code, west.stderr).toBe(0);
    expect((await readProject(path, 'HZ2026-001')).signedAt).toBe('2026-03-01');
    expect((await readProject(path, 'HZ2026-002')).signedAt).toBe('2026-03-01');
    const signed = (await readLog(path)).filter((e) => e.action === '签署');
    expect(signed.map((e) => [e.time, e.remark])).toEqual([
      [STAMP, '协议编号 ZQLG-HZ-2026-001，签署日期 2026-03-01'],
      [STAMP, '协议编号 ZQLG-HZ-2026-002，签署日期 2026-03-01'],
    ]);
    // Read back in the same far-apart zones, the registry still says 2026-03-01.
    for (const TZ of ['Pacific/Kiritimati', 'America/Los_Angeles']) {
      const status = run(['validate'], { TZ });
      expect(status.code, status.stdout).toBe(0);
    }
  });
});
