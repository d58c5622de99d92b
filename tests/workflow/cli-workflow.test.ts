// Drives every transition of SPEC.md's workflow through the built `coop` on real workbooks and checks 审批记录 row by row.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// CLI runs are whole processes on a shared machine: generous per-test time, no timing assertions.
import { REVIEW_DEPARTMENT_NAMES } from '../../core/index.js';
import {
  APPLICANT,
  APPROVED,
  REVIEWED,
  SAMPLE_APPROVERS,
  SAMPLE_OFFICE,
  STAMP,
  STRANGER,
  TODAY,
  advance,
  fileHash,
  readLog,
  readProject,
  registryWith,
  sample,
} from './fixture.js';

const by = (email: string) => ['--by', email];
const entry = (projectId: string, body: string | null, actor: string, action: string, fromStatus: string, toStatus: string, remark: string | null = null) => ({
  time: STAMP,
  projectId,
  body,
  actor,
  action,
  fromStatus,
  toStatus,
  remark,
});

describe('coop submit → review ×7 → meeting ×2 → sign → terminate', { timeout: 600_000 }, () => {
  it('walks a project to 已终止, logging every step with who, when, what and remark', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    const id = 'HZ2026-001';
    const ok = (args: string[]) => {
      const r = run(args);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };

    expect(ok(['submit', id, ...by(APPLICANT)])).toContain(`✔ ${id}「数控技术应用专业“星湖班”订单式人才培养」：草稿 → 待审查`);
    expect(await readProject(path, id)).toMatchObject({ status: '待审查', applicant: APPLICANT, appliedAt: TODAY, updatedAt: STAMP });

    const expected = [entry(id, '数控技术应用专业教学团队', APPLICANT, '提交', '草稿', '待审查')];
    REVIEW_DEPARTMENT_NAMES.forEach((d, i) => {
      const remark = d === '计财处' ? '经费测算合理' : null;
      const out = ok(['review', id, '--dept', d, ...by(SAMPLE_APPROVERS[d]), ...(remark ? ['--remark', remark] : [])]);
      const to = i === REVIEW_DEPARTMENT_NAMES.length - 1 ? '待审议' : '审查中';
      expected.push(entry(id, d, SAMPLE_APPROVERS[d], '审查通过', i === 0 ? '待审查' : '审查中', to, remark));
      expect(out).toContain(`审批记录：${STAMP} · ${d} · 审查通过 · ${SAMPLE_APPROVERS[d]}`);
    });
    // A review withdrawn and given again before the meetings.
    ok(['review', id, '--dept', '招就处', '--undo', '--remark', '需复核就业岗位', ...by(SAMPLE_APPROVERS['招就处'])]);
    expected.push(entry(id, '招就处', SAMPLE_APPROVERS['招就处'], '撤销审查', '待审议', '审查中', '需复核就业岗位'));
    expect(await readProject(path, id)).toMatchObject({ status: '审查中', review_admissions: false, review_academic: true });
    ok(['review', id, '--dept', '招就处', ...by(SAMPLE_APPROVERS['招就处'])]);
    expected.push(entry(id, '招就处', SAMPLE_APPROVERS['招就处'], '审查通过', '审查中', '待审议'));

    ok(['meeting', id, '--body', '校长办公会', '--decision', '通过', '--minutes', '校办〔2026〕21号', ...by(SAMPLE_OFFICE)]);
    expected.push(entry(id, '校长办公会', SAMPLE_OFFICE, '会议通过', '待审议', '待审议', '校长办公会通过，纪要号 校办〔2026〕21号'));
    ok(['meeting', id, '--body', '党委会', '--decision', '通过', '--minutes', '党委〔2026〕9号', ...by(SAMPLE_OFFICE)]);
    expected.push(entry(id, '党委会', SAMPLE_OFFICE, '会议通过', '待审议', '已批准', '党委会通过，纪要号 党委〔2026〕9号'));
    expect(await readProject(path, id)).toMatchObject({
      status: '已批准',
      presidentMeeting: true,
      presidentMinutes: '校办〔2026〕21号',
      partyCommittee: true,
      partyMinutes: '党委〔2026〕9号',
    });

    ok(['sign', id, '--date', '2026-11-24', ...by(SAMPLE_OFFICE)]);
    expected.push(entry(id, '合作交流处', SAMPLE_OFFICE, '签署', '已批准', '已生效', '协议编号 ZQLG-HZ-2026-001，签署日期 2026-11-24'));
    expect(await readProject(path, id)).toMatchObject({ status: '已生效', signedAt: '2026-11-24', agreementNo: 'ZQLG-HZ-2026-001' });

    ok(['terminate', id.toLowerCase(), '--reason', '企业经营范围调整，双方协商终止', ...by(SAMPLE_OFFICE)]);
    expected.push(entry(id, '合作交流处', SAMPLE_OFFICE, '终止', '已生效', '已终止', '企业经营范围调整，双方协商终止'));
    expect((await readProject(path, id)).status).toBe('已终止');

    expect(await readLog(path)).toEqual(expected);
    const validate = run(['validate']);
    expect(validate.code, validate.stdout).toBe(0);
  });

  it('returns a project with the reason, clears every tick, and lets it be submitted again', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    const id = 'HZ2026-001';
    expect(run(['submit', id, ...by(APPLICANT)]).code).toBe(0);
    expect(run(['review', id, '--dept', '教务处', ...by(SAMPLE_APPROVERS['教务处'])]).code).toBe(0);
    const returned = run(['return', id, '--reason', '合作内容未写明企业兼职教师人数', ...by(SAMPLE_APPROVERS['计财处'])]);
    expect(returned.code, returned.stderr).toBe(0);
    expect(await readProject(path, id)).toMatchObject({ status: '草稿', review_academic: false, reviewRemarks: '合作内容未写明企业兼职教师人数' });
    expect(run(['submit', id, ...by(APPLICANT)]).code).toBe(0);
    // The earlier review does not carry over into the new round.
    expect(run(['review', id, '--dept', '教务处', ...by(SAMPLE_APPROVERS['教务处'])]).code).toBe(0);
    expect((await readLog(path)).map((e) => [e.action, e.body, e.fromStatus, e.toStatus, e.remark])).toEqual([
      ['提交', '数控技术应用专业教学团队', '草稿', '待审查', null],
      ['审查通过', '教务处', '待审查', '审查中', null],
      ['退回', '计财处', '审查中', '草稿', '退回原因：合作内容未写明企业兼职教师人数'],
      ['提交', '数控技术应用专业教学团队', '草稿', '待审查', null],
      ['审查通过', '教务处', '待审查', '审查中', null],
    ]);
  });

  it('records 未通过 at 校长办公会 as 未批准, after which nothing more is allowed', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    const id = 'HZ2026-001';
    await advance(path, id, REVIEWED);
    const r = run(['meeting', id, '--body', '校长办公会', '--decision', '未通过', '--minutes', '校办〔2026〕30号', ...by(SAMPLE_OFFICE)]);
    expect(r.code, r.stderr).toBe(0);
    expect((await readLog(path)).at(-1)).toEqual(
      entry(id, '校长办公会', SAMPLE_OFFICE, '会议未通过', '待审议', '未批准', '校长办公会未通过，纪要号 校办〔2026〕30号'),
    );
    const before = fileHash(path);
    const sign = run(['sign', id, '--date', TODAY, ...by(SAMPLE_OFFICE)]);
    expect(sign.code).toBe(1);
    expect(sign.stderr).toContain('当前状态为「未批准」');
    expect(sign.stderr).toContain('该状态下不能再办理任何审批操作');
    expect(fileHash(path)).toBe(before);
  });

  it('takes the actor from COOP_USER, then from coop.config.json', async () => {
    const { dir, path, run } = await registryWith([sample('星湖班'), sample('合作办园')]);
    expect(run(['submit', 'HZ2026-001'], { COOP_USER: 'Env.User@ZQLG.example.edu.cn' }).code).toBe(0);
    writeFileSync(join(dir, 'coop.config.json'), JSON.stringify({ registry: path, user: 'config.user@zqlg.example.edu.cn' }));
    const { coop } = await import('../helpers/cli.js');
    const r = coop(['submit', 'HZ2026-002'], { cwd: dir, env: { COOP_USER: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect((await readLog(path)).map((e) => e.actor)).toEqual(['env.user@zqlg.example.edu.cn', 'config.user@zqlg.example.edu.cn']);
  });
});

describe('refusals: Chinese message naming project, status and what is allowed; exit 1; nothing written', { timeout: 600_000 }, () => {
  /** Runs a command expected to be refused and checks that the workbook is byte-for-byte unchanged. */
  async function refused(ctx: Awaited<ReturnType<typeof registryWith>>, args: string[], ...needles: string[]) {
    const before = fileHash(ctx.path);
    const logBefore = await readLog(ctx.path);
    const r = ctx.run(args);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    for (const n of needles) expect(r.stderr).toContain(n);
    expect(r.stderr).toContain('登记表未作任何修改');
    expect(fileHash(ctx.path)).toBe(before);
    expect(await readLog(ctx.path)).toEqual(logBefore);
    return r;
  }

  it('refuses submission for a 诚信不良 partner, for an incomplete row, and of a project already submitted', async () => {
    const incomplete = { ...sample('合作办园'), content: null, leader: null };
    const ctx = await registryWith([sample('电子装配'), incomplete, sample('星湖班')]);
    await refused(ctx, ['submit', 'HZ2026-001', ...by(APPLICANT)], '项目 HZ2026-001', '诚信状况为「不良」', '第六条', '当前状态为「草稿」');
    await refused(ctx, ['submit', 'HZ2026-002', ...by(APPLICANT)], '合作内容及双方权责：必填', '项目负责人：必填');
    expect(ctx.run(['submit', 'HZ2026-003', ...by(APPLICANT)]).code).toBe(0);
    await refused(ctx, ['submit', 'HZ2026-003', ...by(APPLICANT)], '项目 HZ2026-003 当前状态为「待审查」，不能提交审查', '当前可以：勾选审查、退回修改');
  });

  it('submits several projects all or nothing', async () => {
    const ctx = await registryWith([sample('星湖班'), sample('电子装配'), sample('合作办园')]);
    const r = await refused(ctx, ['submit', 'HZ2026-001', 'HZ2026-002', 'HZ2026-003', ...by(APPLICANT)], '3 个项目中有 1 个不能办理', 'HZ2026-002');
    expect(r.stderr).not.toContain('HZ2026-001 的');
    const ok = ctx.run(['submit', 'HZ2026-001', 'HZ2026-003', ...by(APPLICANT)]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await readLog(ctx.path)).map((e) => [e.projectId, e.action])).toEqual([
      ['HZ2026-001', '提交'],
      ['HZ2026-003', '提交'],
    ]);
  });

  it('refuses reviews out of turn, repeated, withdrawn without a review, and of a department marked 不涉及', async () => {
    const ctx = await registryWith([sample('星湖班')], (s) => (s.notInvolved['订单式人才培养'] = ['招就处']));
    const id = 'HZ2026-001';
    const jw = by(SAMPLE_APPROVERS['教务处']);
    await refused(ctx, ['review', id, '--dept', '教务处', ...jw], '项目 HZ2026-001 当前状态为「草稿」，不能勾选审查', '当前可以：提交审查');
    ctx.run(['submit', id, ...by(APPLICANT)]);
    await refused(ctx, ['review', id, '--dept', '教务处', '--undo', ...jw], '当前状态为「待审查」，不能撤销审查');
    ctx.run(['review', id, '--dept', '教务处', ...jw]);
    await refused(ctx, ['review', id, '--dept', '教务处', ...jw], '已有教务处的审查记录', '当前状态为「审查中」');
    await refused(ctx, ['review', id, '--dept', '计财处', '--undo', ...by(SAMPLE_APPROVERS['计财处'])], '没有计财处的审查记录');
    await refused(ctx, ['review', id, '--dept', '招就处', ...by(SAMPLE_APPROVERS['招就处'])], '设置为招就处不涉及，无需招就处审查', '当前状态为「审查中」');
    await refused(ctx, ['meeting', id, '--body', '校长办公会', '--decision', '通过', '--minutes', '1', ...by(SAMPLE_OFFICE)], '不能记录会议审议');
    // With 招就处 not involved, the other six reviews complete the round.
    await advance(ctx.path, id, REVIEWED.slice(2, -1));
    expect((await readProject(ctx.path, id)).status).toBe('待审议');
  });

  it('refuses 党委会 before 校长办公会, a repeated meeting, withdrawing after it, and signing before approval', async () => {
    const ctx = await registryWith([sample('星湖班')]);
    const id = 'HZ2026-001';
    await advance(ctx.path, id, REVIEWED);
    const office = by(SAMPLE_OFFICE);
    await refused(
      ctx,
      ['meeting', id, '--body', '党委会', '--decision', '通过', '--minutes', '党委〔2026〕1号', ...office],
      '须先经校长办公会审议通过，再提交党委会',
      '当前状态为「待审议」',
    );
    await refused(ctx, ['sign', id, '--date', TODAY, ...office], '当前状态为「待审议」，不能登记签署');
    expect(ctx.run(['meeting', id, '--body', '校长办公会', '--decision', '通过', '--minutes', '校办〔2026〕1号', ...office]).code).toBe(0);
    await refused(ctx, ['meeting', id, '--body', '校长办公会', '--decision', '通过', '--minutes', '校办〔2026〕2号', ...office], '已记录校长办公会审议结果');
    await refused(ctx, ['review', id, '--dept', '教务处', '--undo', ...by(SAMPLE_APPROVERS['教务处'])], '不能撤销审查');
    await refused(ctx, ['terminate', id, '--reason', '无', ...office], '当前状态为「待审议」，不能终止项目');
  });

  it('refuses steps after 已终止 and on an agreement past its end date (已到期, derived on every read)', async () => {
    const ctx = await registryWith([sample('技能培训'), sample('星湖班')]); // the first ends 2026-04-30
    const id = 'HZ2026-001';
    await advance(ctx.path, 'HZ2026-002', APPROVED);
    expect(ctx.run(['terminate', 'HZ2026-002', '--reason', '企业撤回合作意向', ...by(SAMPLE_OFFICE)]).code).toBe(0);
    await refused(ctx, ['sign', 'HZ2026-002', '--date', TODAY, ...by(SAMPLE_OFFICE)], '项目 HZ2026-002 当前状态为「已终止」，不能登记签署');
    await refused(ctx, ['submit', 'HZ2026-002', ...by(APPLICANT)], '当前状态为「已终止」');
    await advance(ctx.path, id, APPROVED, new Date('2026-01-05T02:00:00Z'));
    expect(ctx.run(['sign', id, '--date', '2026-01-05', ...by(SAMPLE_OFFICE)], { COOP_NOW: '2026-01-05T02:00:00Z' }).code).toBe(0);
    expect((await readProject(ctx.path, id)).status).toBe('已生效');
    // Today (2026-11-24) the end date has passed: every read sees 已到期, whatever the cell says.
    await refused(ctx, ['terminate', id, '--reason', '提前终止', ...by(SAMPLE_OFFICE)], '当前状态为「已到期」，不能终止项目', '该状态下不能再办理任何审批操作');
    const status = ctx.run(['status', '--json']);
    expect(JSON.parse(status.stdout).byStatus['已到期']).toBe(1);
  });
});

describe('trespass: refused, exit 1, and only the 越权尝试 entry written', { timeout: 600_000 }, () => {
  it('logs a stranger ticking, another department ticking, and non-office meeting/sign/return/terminate', async () => {
    const { path, run } = await registryWith([sample('星湖班'), sample('实践教学基地共建')]);
    const [a, b] = ['HZ2026-001', 'HZ2026-002'];
    run(['submit', a, b, ...by(APPLICANT)]);
    const attempt = async (args: string[], expectedEntry: ReturnType<typeof entry>, ...needles: string[]) => {
      const projectBefore = await readProject(path, expectedEntry.projectId);
      const logBefore = await readLog(path);
      const r = run(args);
      expect(r.code, r.stderr).toBe(1);
      for (const n of needles) expect(r.stderr).toContain(n);
      expect(r.stderr).toContain('此次越权尝试已记入「审批记录」');
      expect(await readLog(path)).toEqual([...logBefore, expectedEntry]);
      expect(await readProject(path, expectedEntry.projectId)).toEqual(projectBefore);
    };
    await attempt(
      ['review', a, '--dept', '教务处', ...by(STRANGER)],
      entry(a, '教务处', STRANGER, '越权尝试', '待审查', '待审查', '试图勾选教务处审查列'),
      `${STRANGER} 不是教务处的审查人`,
      '当前状态为「待审查」',
    );
    const jc = SAMPLE_APPROVERS['计财处'];
    await attempt(
      ['review', a, '--dept', '教务处', ...by(jc)],
      entry(a, '教务处', jc, '越权尝试', '待审查', '待审查', '试图勾选教务处审查列'),
      `${jc} 不是教务处的审查人`,
    );
    await attempt(
      ['return', a, '--reason', '不想要', ...by(STRANGER)],
      entry(a, '合作交流处', STRANGER, '越权尝试', '待审查', '待审查', '试图退回修改（无权限）'),
      '不是合作交流处工作人员',
    );

    await advance(path, b, REVIEWED.slice(1));
    const meeting = ['meeting', b, '--body', '校长办公会', '--decision', '通过', '--minutes', 'X'];
    await attempt([...meeting, ...by(jc)], entry(b, '校长办公会', jc, '越权尝试', '待审议', '待审议', '试图记录会议审议（无权限）'), '不能记录会议审议');
    expect(run([...meeting, ...by(SAMPLE_OFFICE)]).code).toBe(0);
    await advance(path, b, APPROVED.slice(-1));
    await attempt(
      ['sign', b, '--date', TODAY, ...by(APPLICANT)],
      entry(b, '合作交流处', APPLICANT, '越权尝试', '已批准', '已批准', '试图登记签署（无权限）'),
      '不能登记签署',
    );
    await attempt(
      ['terminate', b, '--reason', 'x', ...by(STRANGER)],
      entry(b, '合作交流处', STRANGER, '越权尝试', '已批准', '已批准', '试图终止项目（无权限）'),
      '不能终止项目',
    );
    expect((await readProject(path, b)).status).toBe('已批准');
  });
});

describe('bad usage: exit 2, nothing written', { timeout: 600_000 }, () => {
  it('reports unknown projects, missing actors and malformed options', async () => {
    const ctx = await registryWith([sample('星湖班')]);
    const before = fileHash(ctx.path);
    const cases: [string[], string][] = [
      [['submit', 'HZ2026-999', ...by(APPLICANT)], '没有项目编号为 HZ2026-999 的项目'],
      [['review', 'HZ2025-001', '--dept', '教务处', ...by(APPLICANT)], '没有项目编号为 HZ2025-001'],
      [['submit', 'HZ2026-001'], '请指定操作人'],
      [['submit', 'HZ2026-001', '--by', 'not-an-email'], '不是有效的电子邮箱'],
      [['review', 'HZ2026-001', '--dept', '后勤处', ...by(APPLICANT)], '选项 --dept 的值「后勤处」无效'],
      // 同意 and 2026/11/24 are understood (as import reads them); these are not.
      [['meeting', 'HZ2026-001', '--body', '校长办公会', '--decision', '也许', '--minutes', '1', ...by(SAMPLE_OFFICE)], '应为：通过、未通过'],
      [['sign', 'HZ2026-001', '--date', '2026/13/24', ...by(SAMPLE_OFFICE)], '签署日期「2026/13/24」无效'],
      [['return', 'HZ2026-001', ...by(SAMPLE_OFFICE)], '缺少选项 --reason'],
      [['terminate', ...by(SAMPLE_OFFICE), '--reason', 'x'], '请指定一个项目编号'],
      [['submit', ...by(APPLICANT)], '请指定一个项目编号'],
    ];
    for (const [args, needle] of cases) {
      const r = ctx.run(args, { COOP_USER: '' });
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(needle);
    }
    expect(fileHash(ctx.path)).toBe(before);
  });
});
