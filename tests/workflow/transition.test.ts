// Unit tests of the core state machine: every status × every event, then each refusal and log entry in detail.
import { describe, expect, it } from 'vitest';
import {
  IdAllocator,
  REVIEW_DEPARTMENT_NAMES,
  STATUSES,
  defaultSettings,
  emptyRow,
  loggedStates,
  newProject,
  practiceConditionsMet,
  projectsSheet,
  reviewColumnFor,
  transition,
  workflowProject,
  type ProjectRow,
  type RawCells,
  type ReviewLogRow,
  type Settings,
  type Status,
  type WorkflowEvent,
} from '../../core/index.js';

const NOW = new Date('2026-11-24T02:00:00Z'); // 10:00 school time
const STAMP = '2026-11-24 10:00:00';
const BOSS = 'boss@zqlg.example.edu.cn';
const STRANGER = 'visitor@example.com';

function settings(): Settings {
  const s = defaultSettings();
  for (const d of REVIEW_DEPARTMENT_NAMES) s.approvers[d] = [BOSS, `${d.length}x@zqlg.example.edu.cn`];
  s.officeStaff = [BOSS, 'hezuo@zqlg.example.edu.cn'];
  return s;
}

/** A project in the given status, with the ticks and meeting flags that status implies. */
function projectIn(
  status: Status,
  ticks: number = status === '审查中' ? 1 : ['待审议', '已批准', '已生效', '已到期', '已终止', '未批准'].includes(status) ? 7 : 0,
): ProjectRow {
  const p = emptyRow(projectsSheet);
  Object.assign(p, {
    projectId: 'HZ2026-001',
    title: '测试项目',
    department: '基础部',
    partnerId: 'P0001',
    category: '培训服务',
    content: '内容',
    startDate: '2025-01-01',
    endDate: status === '已到期' ? '2026-01-31' : '2028-12-31',
    ipOwnership: '学校所有',
    leader: '张三',
    status,
  });
  REVIEW_DEPARTMENT_NAMES.slice(0, ticks).forEach((d) => ((p as Record<string, unknown>)[reviewColumnFor(d)] = true));
  if (['已批准', '已生效', '已到期', '已终止'].includes(status)) Object.assign(p, { presidentMeeting: true, partyCommittee: true });
  return p;
}

const partner = { name: '某公司', integrity: '良好' } as never;

/** One valid event of each type, for a project in `status`. */
function eventsFor(status: Status): Record<WorkflowEvent['type'], WorkflowEvent> {
  const ticked = status === '审查中' || status === '待审议';
  return {
    submit: { type: 'submit', problems: [], partner },
    tick: { type: 'tick', department: status === '审查中' ? '组织部（人事处）' : '教务处' },
    untick: { type: 'untick', department: ticked ? '教务处' : '招就处' },
    return: { type: 'return', reason: '材料不全' },
    contentEdited: { type: 'contentEdited', columns: ['content'] },
    meeting: { type: 'meeting', body: '校长办公会', decision: '通过', minutes: '校办〔2026〕1号' },
    sign: { type: 'sign', date: '2026-11-20' },
    terminate: { type: 'terminate', reason: '合作方停业' },
    expire: { type: 'expire', today: '2026-11-24' },
    historical: { type: 'historical', signedAt: '2023-09-01', agreementNo: 'ZQLG-HZ-2023-007', source: '历史协议.xlsx' },
  };
}

// SPEC.md's diagram, read arrow by arrow: the status each accepted event leads to; absent = refused (STATE).
const ARROWS: Record<Status, Partial<Record<WorkflowEvent['type'], Status>>> = {
  草稿: { submit: '待审查', contentEdited: '草稿', historical: '已生效' },
  待审查: { tick: '审查中', return: '草稿', contentEdited: '待审查' },
  审查中: { tick: '审查中', untick: '待审查', return: '草稿', contentEdited: '待审查' },
  待审议: { untick: '审查中', return: '草稿', contentEdited: '待审查', meeting: '待审议' },
  已批准: { sign: '已生效', terminate: '已终止' },
  未批准: {},
  已生效: { terminate: '已终止', expire: '已生效' },
  已到期: {},
  已终止: {},
};

describe('transition(): every status × every event', () => {
  for (const status of STATUSES) {
    for (const type of Object.keys(eventsFor(status)) as WorkflowEvent['type'][]) {
      const expected = ARROWS[status][type];
      it(`${status} + ${type} → ${expected ?? '拒绝'}`, () => {
        const result = transition(projectIn(status), eventsFor(status)[type], { settings: settings(), actor: BOSS, now: NOW });
        if (expected === undefined) {
          expect(result.ok).toBe(false);
          if (result.ok) return;
          expect(result.code).toBe('STATE');
          expect(result.log).toEqual([]);
          expect(result.message).toContain('HZ2026-001');
          expect(result.message).toContain(`「${status}」`);
        } else {
          expect(result.ok, result.ok ? '' : result.message).toBe(true);
          if (!result.ok) return;
          expect(result.patch.status ?? status).toBe(expected);
          for (const entry of result.log) {
            expect(entry).toMatchObject({ time: STAMP, projectId: 'HZ2026-001', actor: BOSS, fromStatus: status, toStatus: expected });
          }
        }
      });
    }
  }
});

describe('transition(): details', () => {
  const ctx = (actor = BOSS, s = settings()) => ({ settings: s, actor, now: NOW });

  it('submission records the applicant, the date and one 提交 entry', () => {
    const r = transition(projectIn('草稿'), { type: 'submit', problems: [], partner }, ctx('shukong@zqlg.example.edu.cn'));
    expect(r).toMatchObject({ ok: true, patch: { status: '待审查', applicant: 'shukong@zqlg.example.edu.cn', appliedAt: '2026-11-24', updatedAt: STAMP } });
    expect(r.log).toEqual([
      {
        time: STAMP,
        projectId: 'HZ2026-001',
        body: '基础部',
        actor: 'shukong@zqlg.example.edu.cn',
        action: '提交',
        fromStatus: '草稿',
        toStatus: '待审查',
        remark: null,
        operator: null,
        signature: null,
        hash: null,
      },
    ]);
  });

  it('submission is refused for a 不良 partner, a missing partner, row problems and 第九条', () => {
    const bad = transition(projectIn('草稿'), { type: 'submit', problems: [], partner: { name: '诚达', integrity: '不良' } as never }, ctx());
    expect(bad).toMatchObject({ ok: false, code: 'INVALID' });
    expect(!bad.ok && bad.reasons.join()).toContain('诚信状况为「不良」');
    const none = transition(projectIn('草稿'), { type: 'submit', problems: [], partner: null }, ctx());
    expect(!none.ok && none.reasons.join()).toContain('P0001 不存在');
    const problems = [
      { sheet: '合作项目', row: 2, column: '合作内容及双方权责', rule: '必填', message: '必填' },
      { sheet: '合作单位', row: 3, column: '联系电话', rule: '联系电话', message: '号码不对' },
    ];
    const invalid = transition(projectIn('草稿'), { type: 'submit', problems, partner }, ctx());
    expect(!invalid.ok && invalid.reasons).toEqual(['合作内容及双方权责：必填', '合作单位·联系电话：号码不对']);
    const base = { ...projectIn('草稿'), category: '实践教学基地', practiceSite: '是', qualifiedInstructors: '否' };
    const practice = transition(base, { type: 'submit', problems: [], partner }, ctx());
    expect(!practice.ok && practice.reasons.join()).toContain('第九条');
  });

  it('the last required tick moves to 待审议; a department marked 不涉及 is not waited for and cannot tick', () => {
    const s = settings();
    s.notInvolved['培训服务'] = ['招就处'];
    const six = projectIn('审查中', 5);
    const r = transition(six, { type: 'tick', department: '学生（学工）处' }, ctx(BOSS, s));
    expect(r).toMatchObject({ ok: true, patch: { status: '待审议', review_students: true } });
    const skipped = transition(projectIn('审查中'), { type: 'tick', department: '招就处' }, ctx(BOSS, s));
    expect(skipped).toMatchObject({ ok: false, code: 'INVALID' });
  });

  it('a stranger ticking is refused and leaves exactly one 越权尝试 entry', () => {
    const r = transition(projectIn('审查中'), { type: 'tick', department: '计财处' }, ctx(STRANGER));
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(r.log).toEqual([
      {
        time: STAMP,
        projectId: 'HZ2026-001',
        body: '计财处',
        actor: STRANGER,
        action: '越权尝试',
        fromStatus: '审查中',
        toStatus: '审查中',
        remark: '试图勾选计财处审查列',
        operator: null,
        signature: null,
        hash: null,
      },
    ]);
  });

  it('an approver of one department cannot tick another', () => {
    const s = settings();
    s.approvers['教务处'] = ['jw@zqlg.example.edu.cn'];
    const r = transition(projectIn('审查中'), { type: 'tick', department: '计财处' }, ctx('jw@zqlg.example.edu.cn', s));
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN', log: [{ action: '越权尝试', body: '计财处' }] });
  });

  it('office-only steps by others are trespasses naming what was attempted', () => {
    for (const [status, event, body, remark] of [
      ['待审议', eventsFor('待审议').meeting, '校长办公会', '试图记录会议审议（无权限）'],
      ['已批准', eventsFor('已批准').sign, '合作交流处', '试图登记签署（无权限）'],
      ['已生效', eventsFor('已生效').terminate, '合作交流处', '试图终止项目（无权限）'],
      ['审查中', eventsFor('审查中').return, '合作交流处', '试图退回修改（无权限）'],
    ] as const) {
      const r = transition(projectIn(status), event, ctx(STRANGER));
      expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN', log: [{ action: '越权尝试', body, actor: STRANGER, remark }] });
    }
  });

  it('a reviewer may return; ticks and meetings are cleared and the reason kept', () => {
    const s = settings();
    s.approvers['计财处'] = ['jc@zqlg.example.edu.cn'];
    const r = transition(projectIn('待审议'), { type: 'return', reason: '预算不清' }, ctx('jc@zqlg.example.edu.cn', s));
    expect(r).toMatchObject({ ok: true, patch: { status: '草稿', reviewRemarks: '预算不清', review_academic: false, review_admissions: false } });
    expect(r.log[0]).toMatchObject({ action: '退回', body: '计财处', remark: '退回原因：预算不清' });
    expect(transition(projectIn('审查中'), { type: 'return', reason: '  ' }, ctx())).toMatchObject({ ok: false, code: 'INVALID' });
  });

  it('meetings: 校长办公会 first, no repeat, 未通过 ends in 未批准, both 通过 is 已批准', () => {
    const party = { type: 'meeting', body: '党委会', decision: '通过', minutes: '党委〔2026〕1号' } as const;
    expect(transition(projectIn('待审议'), party, ctx())).toMatchObject({ ok: false, code: 'STATE', message: expect.stringContaining('须先经校长办公会') });
    const afterPresident = { ...projectIn('待审议'), presidentMeeting: true };
    expect(transition(afterPresident, eventsFor('待审议').meeting, ctx())).toMatchObject({ ok: false, message: expect.stringContaining('已记录校长办公会') });
    expect(transition(afterPresident, party, ctx())).toMatchObject({
      ok: true,
      patch: { status: '已批准', partyCommittee: true, partyMinutes: '党委〔2026〕1号' },
    });
    const no = transition(projectIn('待审议'), { ...eventsFor('待审议').meeting, decision: '未通过' } as WorkflowEvent, ctx());
    expect(no).toMatchObject({ ok: true, patch: { status: '未批准' }, log: [{ action: '会议未通过', body: '校长办公会' }] });
    expect(transition(projectIn('待审议'), { ...party, body: '校长办公会', minutes: ' ' }, ctx())).toMatchObject({ ok: false, code: 'INVALID' });
  });

  it('no review can be withdrawn once 校长办公会 has passed', () => {
    const p = { ...projectIn('待审议'), presidentMeeting: true };
    expect(transition(p, { type: 'untick', department: '教务处' }, ctx())).toMatchObject({ ok: false, code: 'STATE' });
  });

  it('content changed by an import: free in 草稿, refused past it where an edit in the registry reopens review', () => {
    const event = { type: 'contentEdited', columns: ['content'], source: 'import' } as const;
    expect(transition(projectIn('草稿'), event, ctx())).toMatchObject({ ok: true, patch: {}, log: [] });
    for (const status of ['待审查', '审查中', '待审议', '已批准', '已生效'] as const) {
      const r = transition(projectIn(status), event, ctx());
      expect(r, status).toMatchObject({ ok: false, code: 'STATE', log: [] });
      if (!r.ok) expect(r.message).toContain(`「${status}」`);
      // The same change made in the registry resets the review where the diagram allows it.
      const inRegistry = transition(projectIn(status), { type: 'contentEdited', columns: ['content'] }, ctx());
      expect(inRegistry.ok, status).toBe(ARROWS[status].contentEdited !== undefined);
    }
  });

  it('第九条 is one rule: practiceConditionsMet decides for submission and for the import note alike', () => {
    const base = { category: '实践教学基地', practiceSite: '是', qualifiedInstructors: '是' };
    expect(practiceConditionsMet(base)).toBe(true);
    expect(practiceConditionsMet({ ...base, qualifiedInstructors: '否' })).toBe(false);
    expect(practiceConditionsMet({ ...base, practiceSite: null })).toBe(false);
    expect(practiceConditionsMet({ ...base, category: '培训服务', practiceSite: null })).toBe(true);
    const refused = transition({ ...projectIn('草稿'), ...base, practiceSite: '否' }, { type: 'submit', problems: [], partner }, ctx());
    expect(refused).toMatchObject({ ok: false, code: 'INVALID' });
  });

  it('newProject(): the next ID of the year of application, 草稿 and the time, never an ID twice', () => {
    const ids = new IdAllocator({ partners: 0, projects: { '2026': 4 } }, ['HZ2026-009', 'HZ2025-002']);
    expect(newProject(ids, NOW)).toEqual({ projectId: 'HZ2026-010', status: '草稿', updatedAt: STAMP });
    expect(newProject(ids, NOW).projectId).toBe('HZ2026-011');
    // 2026-12-31 16:30 UTC is already 2027 at school.
    expect(newProject(ids, new Date('2026-12-31T16:30:00Z')).projectId).toBe('HZ2027-001');
    expect(newProject(ids, NOW, 2019)).toMatchObject({ projectId: 'HZ2019-001', status: '草稿' });
  });

  it('signing numbers the agreement from 设置 unless a number is given', () => {
    expect(transition(projectIn('已批准'), { type: 'sign', date: '2026-11-20' }, ctx())).toMatchObject({
      ok: true,
      patch: { status: '已生效', signedAt: '2026-11-20', agreementNo: 'ZQLG-HZ-2026-001' },
    });
    expect(transition(projectIn('已批准'), { type: 'sign', date: '2026-11-20', agreementNo: 'X-1' }, ctx())).toMatchObject({
      ok: true,
      patch: { agreementNo: 'X-1' },
    });
    expect(transition(projectIn('已批准'), { type: 'sign', date: '2026-02-30' }, ctx())).toMatchObject({ ok: false, code: 'INVALID' });
  });
});

describe('workflowProject(): only what 审批记录 vouches for counts', () => {
  const entry = (action: string, body: string | null, toStatus: string): Partial<ReviewLogRow> => ({
    projectId: 'HZ2026-001',
    action: action as never,
    body,
    toStatus: toStatus as never,
  });
  const cells = (extra: Record<string, unknown>): RawCells => ({ ...(projectIn('草稿') as unknown as RawCells), ...(extra as RawCells) });

  it('hand-typed ticks, meetings and status are ignored', () => {
    const typed = cells({ review_academic: 'TRUE', presidentMeeting: true, status: '已批准' });
    const p = workflowProject(typed, undefined, '2026-11-24');
    expect(p).toMatchObject({ status: '草稿', review_academic: false, presidentMeeting: false });
  });

  it('replays submission, ticks, withdrawals, meetings and returns', () => {
    const log = [
      entry('提交', '基础部', '待审查'),
      entry('审查通过', '教务处', '审查中'),
      entry('审查通过', '计财处', '审查中'),
      entry('撤销审查', '计财处', '审查中'),
      entry('越权尝试', '国资处', '审查中'),
    ];
    const state = loggedStates(log as never).get('HZ2026-001')!;
    expect([...state.reviews]).toEqual(['教务处']);
    const p = workflowProject(cells({ review_finance: true }), state, '2026-11-24');
    expect(p).toMatchObject({ status: '审查中', review_academic: true, review_finance: false });
    const returned = loggedStates([...log, entry('退回', '合作交流处', '草稿')] as never).get('HZ2026-001')!;
    expect(returned).toMatchObject({ status: '草稿', presidentMeeting: false });
    expect(returned.reviews.size).toBe(0);
    const met = loggedStates([entry('会议通过', '校长办公会', '待审议')] as never).get('HZ2026-001')!;
    expect(met).toMatchObject({ presidentMeeting: true, partyCommittee: false, status: '待审议' });
  });

  it('derives expiry from the end date', () => {
    const state = loggedStates([entry('签署', '合作交流处', '已生效')] as never).get('HZ2026-001')!;
    expect(workflowProject(cells({ endDate: '2026-11-23' }), state, '2026-11-24').status).toBe('已到期');
    expect(workflowProject(cells({ endDate: '2026-11-24' }), state, '2026-11-24').status).toBe('已生效');
  });
});
