// The pure notifier and robot rules: 催办 from 审批记录, digests per recipient, de-duplication, markdown limits,
// 钉钉's signature checked with an independent HMAC, the services' answer codes, the one-minute window, renewal terms.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  RateWindow,
  appendLogEntries,
  buildDigests,
  defaultSettings,
  emptyRegistry,
  markSent,
  parseSentState,
  plannedDeliveries,
  proposedTerm,
  renderDigest,
  reviewsOverdue,
  robotOutcome,
  robotRequest,
  unsent,
  type RawCells,
} from '../../core/index.js';

const log = (time: string, projectId: string, action: string, body: string | null, toStatus: string): { cells: RawCells } => ({
  cells: { time, projectId, action, body, toStatus, actor: 'x@zqlg.edu.cn', fromStatus: null, remark: null },
});

/** Appends rows to 审批记录 as the system does, sealed into its hash chain (unsealed rows are not trusted). */
const seal = (data: { reviewLog: { cells: RawCells }[] }, ...rows: { cells: RawCells }[]) =>
  appendLogEntries(
    data.reviewLog,
    rows.map((r) => r.cells as never),
  );

function registry() {
  const data = emptyRegistry();
  data.projects.push({
    cells: {
      projectId: 'HZ2026-001',
      title: '订单班',
      department: '计算机应用专业',
      category: '培训服务',
      status: '审查中',
      review_academic: true,
      review_finance: true,
    },
    sheetRow: 2,
  });
  seal(
    data,
    log('2026-11-01 09:00:00', 'HZ2026-001', '提交', '计算机应用专业', '待审查'),
    log('2026-11-02 09:00:00', 'HZ2026-001', '审查通过', '教务处', '审查中'),
  );
  const settings = defaultSettings();
  settings.officeStaff = ['office@zqlg.edu.cn'];
  settings.approvers['计财处'] = ['finance@zqlg.edu.cn'];
  return { data, settings };
}

describe('reviewsOverdue', () => {
  it('reads 审批记录: a hand tick does not count, the wait restarts on a content change', () => {
    const { data, settings } = registry();
    const overdue = reviewsOverdue(data, settings, '2026-11-24');
    // 计财处 was ticked by hand (no log entry): still waiting. 教务处 reviewed in the log: not waiting.
    expect(overdue.map((o) => o.department)).toEqual(['组织部（人事处）', '计财处', '国资处', '科研处', '学生（学工）处', '招就处']);
    expect(overdue[0]).toMatchObject({ projectId: 'HZ2026-001', since: '2026-11-01', days: 23, sheetRow: 2 });
    seal(data, log('2026-11-20 09:00:00', 'HZ2026-001', '内容变更重审', null, '待审查'));
    expect(reviewsOverdue(data, settings, '2026-11-24')).toEqual([]);
    expect(reviewsOverdue(data, settings, '2026-11-28').map((o) => o.days)).toEqual(Array(7).fill(8));
  });
});

describe('digests and deliveries', () => {
  it('gives each recipient its own digest, by its channels, once a day', () => {
    const { data, settings } = registry();
    settings.channels = { 计财处: ['计财群', 'chief@zqlg.edu.cn'], 计算机应用专业: ['计算机组'] };
    const digests = buildDigests({ data, settings, today: '2026-11-24', chainProblems: [{ row: 7, message: '第 7 行的哈希与上一行不符' }] });
    expect(digests.map((d) => d.recipient)).toEqual(['合作交流处', '组织部（人事处）', '计财处', '国资处', '科研处', '学生（学工）处', '招就处']);
    expect(digests[0]!.items[0]).toEqual({ kind: 'chainBreak', row: 7, message: '第 7 行的哈希与上一行不符' });
    const { deliveries, skipped } = plannedDeliveries(digests, settings);
    expect(deliveries.filter((d) => d.recipient === '计财处').map((d) => d.target)).toEqual([
      { type: 'robot', name: '计财群' },
      { type: 'email', to: ['chief@zqlg.edu.cn'] },
    ]);
    // Departments with no channel row get e-mail at their approvers' addresses; with none listed, they are reported.
    expect(skipped).toContain('接收方「国资处」没有可用的邮箱地址，邮件渠道已跳过');
    expect(plannedDeliveries(digests, settings, ['计财群']).deliveries.map((d) => d.key)).toEqual(['计财处|robot:计财群']);
    let state = parseSentState(null);
    const first = unsent(deliveries, state, '2026-11-24');
    state = markSent(
      state,
      '2026-11-24',
      first.map((d) => d.key),
    );
    expect(unsent(deliveries, parseSentState(JSON.stringify(state)), '2026-11-24')).toEqual([]);
    expect(unsent(deliveries, state, '2026-11-25')).toHaveLength(deliveries.length);
  });

  it('splits a long digest into markdown messages within the byte limit, every item kept', () => {
    const { data, settings } = registry();
    for (let i = 2; i < 80; i++) {
      const id = `HZ2026-${String(i).padStart(3, '0')}`;
      data.projects.push({ cells: { projectId: id, title: `很长的项目名称${i}`.repeat(3), category: '培训服务', status: '待审查' }, sheetRow: i + 1 });
      seal(data, log('2026-11-01 09:00:00', id, '提交', null, '待审查'));
    }
    const office = buildDigests({ data, settings, today: '2026-11-24' })[0]!;
    const r = renderDigest(
      office,
      '2026-11-24',
      { registry: 'https://example/x', row: (n) => ({ label: `合作项目 第 ${n} 行`, url: `https://example/x#gid=0&range=A${n}` }) },
      4000,
    );
    expect(r.markdown.length).toBeGreaterThan(1);
    for (const chunk of r.markdown) expect(Buffer.byteLength(chunk, 'utf8')).toBeLessThanOrEqual(4000);
    // One 催办 line per project, naming every department it still waits on.
    const projects = new Set(office.items.map((i) => ('projectId' in i ? i.projectId : ''))).size;
    const items = r.markdown
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('- '));
    expect(items).toHaveLength(projects);
    expect(r.text.split('\n').filter((l) => l.startsWith('· '))).toHaveLength(projects);
    expect(items[0]).toContain('仍待组织部（人事处）、计财处、国资处、科研处、学生（学工）处、招就处审查，已等待 23 天');
  });
});

describe('robots', () => {
  it('signs 钉钉 requests as its documentation says: HMAC-SHA256 of "timestamp\\nsecret", base64, URL-encoded', () => {
    const secret = 'SEC000111';
    const hmac = (key: string, message: string) => createHmac('sha256', key).update(message).digest('base64');
    const req = robotRequest(
      { type: 'dingtalk', webhook: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret, atMobiles: ['13800000001'] },
      '标题',
      '内容',
      1700000000000,
      hmac,
    );
    const url = new URL(req.url);
    expect(url.searchParams.get('timestamp')).toBe('1700000000000');
    expect(url.searchParams.get('sign')).toBe(createHmac('sha256', secret).update(`1700000000000\n${secret}`).digest('base64'));
    expect(JSON.parse(req.body)).toEqual({
      msgtype: 'markdown',
      markdown: { title: '标题', text: '内容\n\n@13800000001' },
      at: { atMobiles: ['13800000001'], isAtAll: false },
    });
    const wecom = robotRequest({ type: 'wecom', webhook: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' }, '标题', '内容', 0, hmac);
    expect(JSON.parse(wecom.body)).toEqual({ msgtype: 'markdown', markdown: { content: '内容' } });
  });

  it('retries only what waiting can fix', () => {
    const answer = (errcode: number, errmsg = '') => JSON.stringify({ errcode, errmsg });
    expect(robotOutcome('群', 'dingtalk', 200, answer(0))).toEqual({ ok: true });
    expect(robotOutcome('群', 'dingtalk', 200, answer(130101))).toMatchObject({ ok: false, retry: true });
    expect(robotOutcome('群', 'wecom', 200, answer(45009))).toMatchObject({ ok: false, retry: true });
    expect(robotOutcome('群', 'wecom', 200, answer(93000, 'invalid webhook url'))).toMatchObject({
      ok: false,
      retry: false,
      message: '渠道「群」的 Webhook 地址或密钥无效（93000 invalid webhook url），请合作交流处重新配置',
    });
    expect(robotOutcome('群', 'dingtalk', 200, answer(310000, 'sign not match'))).toMatchObject({ ok: false, retry: false });
    expect(robotOutcome('群', 'wecom', 503, '')).toMatchObject({ ok: false, retry: true });
  });

  it('holds a robot to 20 messages in any minute', () => {
    const w = new RateWindow();
    for (let i = 0; i < 20; i++) {
      expect(w.waitMs(i * 100)).toBe(0);
      w.record(i * 100);
    }
    expect(w.waitMs(2000)).toBe(58_000);
    expect(w.waitMs(60_000)).toBe(0);
  });
});

describe('renewal term', () => {
  it('follows the old term: whole months by months, otherwise by days; a lapsed agreement restarts today', () => {
    expect(proposedTerm('2024-01-01', '2026-12-31', '2026-11-24')).toEqual({ startDate: '2027-01-01', endDate: '2029-12-31' });
    expect(proposedTerm('2024-02-29', '2025-02-27', '2024-06-01')).toEqual({ startDate: '2025-02-28', endDate: '2026-02-27' });
    expect(proposedTerm('2023-01-01', '2023-12-31', '2026-11-24')).toEqual({ startDate: '2026-11-24', endDate: '2027-11-23' });
  });
});
