// The sidebar 合作交流助手 as people use it: the page the built bundle hands to Ui.showSidebar, opened in headless
// Chromium at the sidebar's 300 px, google.script.run bound to the bundle's server functions, run under the
// authorization of the person using it (the fake enforces the sheet's protections on their writes). Staff fill the
// form, approvers approve and return from 我的待办, anyone reads the trail; what their protections forbid is recorded
// by the owner's minute trigger. The page must request nothing from the network. Screenshots go to test-artifacts/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type Browser } from '../helpers/chromium.js';
import { CHROMIUM, NO_CHROMIUM_REASON } from '../helpers/tools.js';
import type { Harness } from './fake/harness.js';
import { APPROVERS, OFFICE, PROJECT_FIELDS, STAFF, plantProjects, plantRecord, plantSubmissions, registry, submittedProject } from './fixture.js';

const ARTIFACTS = resolve('test-artifacts');

/** google.script.run as the page sees it: any function name, success/failure handlers, arguments and results as JSON. */
const GOOGLE_SCRIPT_RUN = `(() => {
  const runner = (ok, fail) => new Proxy({}, { get(_t, name) {
    if (name === 'withSuccessHandler') return (f) => runner(f, fail);
    if (name === 'withFailureHandler') return (f) => runner(ok, f);
    return (...args) => { window.__coopServer(name, JSON.stringify(args)).then((v) => ok && ok(v), (e) => fail && fail(new Error(e.message))); };
  } });
  window.google = { script: { run: runner() } };
})();`;

describe('the sidebar page', () => {
  it('is inline: no external script, style, font or image', () => {
    const h = registry();
    h.as(STAFF);
    h.click('合作交流助手');
    const page = h.app.ui.sidebars.at(-1)!;
    expect(page.getTitle()).toBe('合作交流助手');
    const html = page.getContent();
    expect(html).toContain('<script>');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(\s*['"]?https?:|<img/i);
  });
});

describe('opening the spreadsheet', () => {
  it('shows 合作交流助手 to an approver with reviews waiting, and to nobody else', () => {
    const h = registry();
    submittedProject(h);
    h.openAs(APPROVERS['计财处']);
    expect(h.app.ui.sidebars).toHaveLength(1);
    h.openAs(STAFF);
    h.openAs(OFFICE);
    expect(h.app.ui.sidebars).toHaveLength(1);
    // When the event leaves the user out, Session is asked (Google tells it within the domain).
    h.openAs(APPROVERS['教务处'], { eventUser: false });
    expect(h.app.ui.sidebars).toHaveLength(2);
  });
});

describe.skipIf(!CHROMIUM)(`sidebar in headless Chromium${CHROMIUM ? '' : ` (skipped: ${NO_CHROMIUM_REASON})`}`, () => {
  let h: Harness;
  let browser: Browser;
  const calls: string[] = [];
  let older: number;
  let newer: number;

  /** Opens the sidebar as `user` (menu click), loads its page, waits until the script has started. */
  async function open(user: string): Promise<void> {
    h.as(user);
    h.click('合作交流助手');
    // Apps Script serves the page with google.script.run already defined; the test's stand-in goes first in <head>.
    await browser.page.setContent(h.app.ui.sidebars.at(-1)!.getContent().replace('<head>', `<head><script>${GOOGLE_SCRIPT_RUN}</script>`));
    await browser.page.waitForSelector('body[data-ready]');
    if ((await browser.page.getAttribute('body', 'data-ready')) !== 'true')
      throw new Error(`sidebar failed to start: ${await browser.page.textContent('body')}`);
  }

  /** A screenshot kept in test-artifacts/, checked to be the sidebar's 300 px wide (PNG's IHDR width at byte 16). */
  const shot = async (name: string) => {
    const path = join(ARTIFACTS, `sidebar-${name}.png`);
    await browser.page.screenshot({ path, fullPage: true });
    expect(readFileSync(path).readUInt32BE(16)).toBe(300);
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    h = registry();
    h.setNow('2026-11-10T02:00:00Z');
    older = submittedProject(h, { 项目名称: '数控订单班（较早）' });
    h.setNow('2026-11-20T02:00:00Z');
    newer = submittedProject(h, { 项目名称: '汽修培训（较晚）', 合作类别: '培训服务' });
    h.setNow('2026-11-24T02:00:00Z');
    browser = await openBrowser({ width: 300, height: 900 });
    // google.script.run as Apps Script gives it to the page: by function name, arguments and results as JSON.
    await browser.page.exposeBinding('__coopServer', (_source, name: string, args: string) => {
      calls.push(name);
      // google.script.run runs as the person at the sidebar: Session knows them and the protections apply to them.
      return JSON.parse(JSON.stringify(h.run(name, ...(JSON.parse(args) as unknown[])) ?? null));
    });
  }, 120_000);

  afterAll(async () => browser?.close());

  it('staff fill the form: the 第九条 questions appear for 实践教学基地, errors show in Chinese before any save, a corrected form saves', async () => {
    await open(STAFF);
    const page = browser.page;
    const practice = page.locator('#pj-practiceSite');
    expect(await practice.isVisible()).toBe(false);
    await page.locator('#pj-title').pressSequentially('汽修专业校外实践教学基地');
    await page.selectOption('#pj-department', '汽车运用与维修专业');
    await page.locator('#pj-partner').pressSequentially('精工');
    // Choosing from the suggestions puts the option's text in the box.
    await page.fill('#pj-partner', '肇庆市精工数控有限公司（P0001）');
    expect(await page.textContent('#pj-partner-hint')).toContain('P0001');
    await page.selectOption('#pj-category', '实践教学基地');
    expect(await practice.isVisible()).toBe(true);
    await page.fill('#pj-content', '共建汽修实训基地，企业派驻指导教师。');
    await page.fill('#pj-startDate', '2027-03-01');
    await page.fill('#pj-endDate', '2026-03-01');
    await page.fill('#pj-leader', '王老师');
    await page.fill('#pj-income', '-5');
    const before = calls.length;
    await page.keyboard.press('Enter');
    await page.waitForSelector('#form-problems li');
    const problems = await page.locator('#form-problems li').allTextContents();
    expect(problems.join('\n')).toMatch(/成果权属/);
    expect(problems.join('\n')).toMatch(/结束日期/);
    expect(problems.join('\n')).toMatch(/预计收入/);
    expect(problems.join('\n')).toMatch(/[\u4e00-\u9fa5]/);
    expect(await page.getAttribute('#pj-ipOwnership', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#pj-ipOwnership-error')).not.toBe('');
    expect(calls.length).toBe(before); // nothing went to the server
    await shot('form-errors');

    await page.selectOption('#pj-ipOwnership', '双方共有');
    await page.fill('#pj-endDate', '2030-02-28');
    await page.fill('#pj-income', '12000.5');
    await page.selectOption('#pj-practiceSite', '是');
    await page.selectOption('#pj-qualifiedInstructors', '是');
    await page.click('#save');
    await page.waitForSelector('#new-id');
    const id = await page.textContent('#new-id');
    expect(id).toMatch(/^HZ2026-\d{3}$/);
    expect(await page.locator('#form-problems li').count()).toBe(0);
    // Staff may not write 编号/状态/设置: the ID is reserved and shown, the owner's minute trigger writes the row.
    expect(await page.textContent('#form-status')).toContain('已提交');
    expect(h.records('合作项目').some((r) => r['项目编号'] === id)).toBe(false);
    await shot('form-saved');
    h.runClock(/minute/);
    const saved = h.records('合作项目').find((r) => r['项目编号'] === id)!;
    expect(saved).toMatchObject({
      项目名称: '汽修专业校外实践教学基地',
      合作单位编号: 'P0001',
      合作单位名称: '肇庆市精工数控有限公司',
      合作类别: '实践教学基地',
      状态: '草稿',
      '预计收入（元）': 12000.5,
      具备实践教学场所: '是',
    });
  });

  it('registers a new partner inline with the project, IDs allocated together', async () => {
    await open(STAFF);
    const page = browser.page;
    await page.fill('#pj-title', '工业机器人联合实验室');
    await page.selectOption('#pj-department', '工业机器人技术应用专业');
    await page.check('#new-partner');
    expect(await page.locator('#pj-partner').isDisabled()).toBe(true);
    await page.fill('#pt-name', '=HYPERLINK("x") 肇庆机器人有限公司');
    await page.selectOption('#pt-kind', '企业');
    await page.fill('#pt-creditCode', '123');
    await page.fill('#pt-contactName', '陈工');
    await page.fill('#pt-contactPhone', '13900139000');
    await page.selectOption('#pt-integrity', '良好');
    await page.selectOption('#pj-category', '科研合作');
    await page.fill('#pj-content', '共建机器人实验室。');
    await page.fill('#pj-startDate', '2027-01-01');
    await page.fill('#pj-endDate', '2028-12-31');
    await page.selectOption('#pj-ipOwnership', '学校所有');
    await page.fill('#pj-leader', '李老师');
    await page.click('#save');
    await page.waitForSelector('#form-problems li');
    expect(await page.textContent('#pt-creditCode-error')).toMatch(/统一社会信用代码|18/);
    await page.fill('#pt-creditCode', '');
    await page.selectOption('#pt-kind', '境外机构');
    // A foreign partner's phone is written in the international form (+CC …).
    await page.fill('#pt-contactPhone', '+49 30 12345678');
    await page.click('#save');
    await page.waitForSelector('#new-id');
    h.runClock(/minute/);
    const partners = h.records('合作单位');
    const added = partners.find((p) => String(p['单位名称']).includes('肇庆机器人有限公司'))!;
    expect(added['单位编号']).toBe('P0002');
    // Formula-like text is stored as text, never as a formula.
    expect(h.log.quiet(() => h.sheet('合作单位').getDataRange().getFormulas().flat().filter(Boolean))).toEqual([]);
    const project = h.records('合作项目').find((r) => r['项目名称'] === '工业机器人联合实验室')!;
    expect(project['合作单位编号']).toBe('P0002');
  });

  it('an approver lands on 我的待办: oldest first with days waiting; approves one and returns the other with a reason', async () => {
    const approver = APPROVERS['计财处'];
    await open(approver);
    const page = browser.page;
    expect(await page.getAttribute('#tab-todo', 'aria-selected')).toBe('true');
    await page.waitForSelector('#todo-list .card');
    const cards = page.locator('#todo-list .card');
    const titles = await cards.locator('.card-head').allTextContents();
    expect(titles[0]).toContain('数控订单班（较早）');
    expect(titles[1]).toContain('汽修培训（较晚）');
    expect(await cards.nth(0).locator('.days').textContent()).toBe('已等待 14 天');
    expect(await cards.nth(1).locator('.days').textContent()).toBe('已等待 4 天');
    await shot('todo');

    await cards.nth(0).getByRole('button', { name: '审查通过（计财处）' }).click();
    await cards.nth(0).locator('.result:not(:empty)').waitFor();
    // The approver may not write 状态 or 审批记录: the decision is queued, and the pane says so honestly.
    expect(await cards.nth(0).locator('.result').textContent()).toContain('已提交，稍后记录');
    expect(h.records('合作项目')[older - 2]).toMatchObject({ 计财处: false, 状态: '待审查' });
    // Refreshed before the owner's trigger ran: the card says it is on its way and offers no second decision.
    await page.click('#todo-refresh');
    await cards.nth(0).locator('.result', { hasText: '已提交，稍后记录' }).waitFor();
    expect(await cards.nth(0).getByRole('button').count()).toBe(0);
    h.runClock(/minute/);
    expect(h.records('合作项目')[older - 2]).toMatchObject({ 计财处: true, 状态: '审查中' });
    const log = h.records('审批记录');
    expect(log.at(-1)).toMatchObject({ 操作: '审查通过', 部门或机构: '计财处', 操作人: approver });
    const stamp = h.log.quiet(() => h.cell('合作项目', older, '计财处').getNote());
    expect(stamp).toContain(approver);

    // Keyboard only: Tab to 退回, Enter, type the reason, Tab to 确认退回, Enter.
    await cards.nth(1).getByRole('button', { name: '退回' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.type('出访经费预算未列明细');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await cards.nth(1).locator('.result:not(:empty)').waitFor();
    expect(await cards.nth(1).locator('.result').textContent()).toContain('已提交，稍后记录');
    h.runClock(/minute/);
    expect(h.records('合作项目')[newer - 2]).toMatchObject({ 状态: '草稿', 审查意见: '出访经费预算未列明细' });
    expect(h.records('审批记录').at(-1)).toMatchObject({ 操作: '退回', 操作人: approver });
    await shot('todo-done');
  });

  it('a refused decision is explained in Chinese and changes nothing', async () => {
    await open(APPROVERS['计财处']);
    const page = browser.page;
    await page.click('#todo-refresh');
    await page.waitForSelector('#todo-list p.empty, #todo-list .card');
    // Both projects are now either reviewed by 计财处 or back in draft: nothing waits on this approver.
    expect(await page.textContent('#todo-list')).toContain('目前没有等待您审查的项目');
    const r = h.run('sidebarDecision', { projectId: `HZ2026-00${older - 1}`, decision: 'approve', department: '计财处' }) as {
      ok: boolean;
      message: string;
    };
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('the office sees projects waiting on meetings and signing', async () => {
    await open(OFFICE);
    const page = browser.page;
    await page.click('#tab-todo');
    await page.waitForSelector('#todo-list h3');
    expect(await page.textContent('#todo-list h3')).toContain('合作交流处');
  });

  it('审批轨迹 shows the selected project’s history as a timeline, with the chain state', async () => {
    await open(STAFF);
    h.select('合作项目', older);
    const page = browser.page;
    await page.focus('#tab-form');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('#tab-trail', 'aria-selected')).toBe('true');
    await page.waitForSelector('#trail-out .timeline');
    const events = await page.locator('#trail-out .event').allTextContents();
    expect(events.length).toBe(2);
    expect(events[0]).toContain('提交');
    expect(events[1]).toContain('审查通过');
    expect(events[1]).toContain('计财处');
    expect(events[1]).toContain(APPROVERS['计财处']);
    expect(await page.textContent('#trail-out .chain')).toBe('审批记录校验通过');
    await shot('trail');
    // By ID as well.
    await page.fill('#trail-id', `HZ2026-00${newer - 1}`);
    await page.click('#trail-show');
    await page.locator('#trail-out h3', { hasText: '汽修培训' }).waitFor();
    expect(await page.locator('#trail-out .event').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('退回')]));
  });

  it('fits 300 px: nothing wider than the sidebar', async () => {
    const overflow = await browser.page.evaluate<number>('document.documentElement.scrollWidth');
    expect(overflow).toBeLessThanOrEqual(300);
  });

  it('requested nothing from the network', () => {
    expect(browser.outside).toEqual([]);
  });
});

describe('sidebar server calls, each under its user’s own authorization', () => {
  it('loading 我的待办 on 2,000 projects takes a fixed handful of Spreadsheet calls; a save at most 10', () => {
    const big = registry();
    plantProjects(big, 2000);
    plantSubmissions(big, 2000);
    // A sheet with room below its data, as Sheets keeps one; the full-sheet path is exercised by the saves above.
    big.log.quiet(() => big.sheet('合作项目').insertRowsAfter(big.sheet('合作项目').getMaxRows(), 50));
    big.as(APPROVERS['计财处']);
    big.log.reset();
    const todo = big.run('sidebarTodoData') as { reviews: unknown[] };
    // Every planted project was submitted (the log says so) and 计财处 reviews every category.
    expect(todo.reviews).toHaveLength(2000);
    expect(big.log.count('spreadsheet')).toBeLessThanOrEqual(6);
    // Staff: 合作项目 and 合作单位 read once each, the lock's flush; the record waits for the owner's trigger.
    big.as(STAFF);
    big.log.reset();
    const r = big.run('sidebarSaveProject', { project: { ...fieldsByKey(), partnerId: 'P0001' } }) as { ok: boolean };
    expect(r.ok).toBe(true);
    expect(big.log.count('spreadsheet')).toBeLessThanOrEqual(10);
    expect(big.log.methods('spreadsheet').filter((m) => m === 'Range.setValues')).toHaveLength(0);
    // The office writes at once, a new partner included: one write per sheet.
    big.as(OFFICE);
    big.log.reset();
    const partner = { name: '肇庆新能源有限公司', kind: '境外机构', contactName: '陈工', contactPhone: '+49 30 12345678', integrity: '良好' };
    const o = big.run('sidebarSaveProject', { project: fieldsByKey(), partner }) as { ok: boolean; queued: boolean; message: string };
    expect(o).toMatchObject({ ok: true, queued: false });
    expect(big.log.count('spreadsheet')).toBeLessThanOrEqual(10);
    expect(big.log.methods('spreadsheet').filter((m) => m === 'Range.setValues' || m === 'Sheet.appendRow')).toHaveLength(2);
  });

  it('staff save: the ID is reserved under the lock and shown, never handed out again, and the owner’s trigger writes the row', () => {
    const h = registry();
    // The protections are real in the fake: staff may not write 设置 or 项目编号 themselves, by hand or by script.
    expect(h.edit('设置', 'C2', [['x']], STAFF).blocked).toBe(true);
    h.env.effective = STAFF;
    try {
      expect(() => h.sheet('设置').getRange(2, 3).setValue('x')).toThrow(/protected cell/);
      expect(() => h.cell('合作项目', 2, '项目编号').setValue('HZ2026-999')).toThrow(/protected cell/);
    } finally {
      h.env.effective = undefined;
    }
    h.as(STAFF);
    const first = h.run('sidebarSaveProject', { project: { ...fieldsByKey(), partnerId: 'P0001' } }) as { ok: boolean; projectId: string; queued: boolean };
    const partner = { name: '肇庆新能源有限公司', kind: '境外机构', contactName: '陈工', contactPhone: '+49 30 12345678', integrity: '良好' };
    const second = h.run('sidebarSaveProject', { project: { ...fieldsByKey(), title: '新能源实训' }, partner }) as {
      ok: boolean;
      projectId: string;
      partnerId: string;
      queued: boolean;
    };
    expect(first).toMatchObject({ ok: true, projectId: 'HZ2026-001', queued: true });
    expect(second).toMatchObject({ ok: true, projectId: 'HZ2026-002', partnerId: 'P0002', queued: true });
    // The queued partner can be chosen already, and registering it again by name is refused.
    const boot = h.run('sidebarBootData') as { partners: { partnerId: string }[] };
    expect(boot.partners.map((p) => p.partnerId)).toContain('P0002');
    const again = h.run('sidebarSaveProject', { project: fieldsByKey(), partner }) as { ok: boolean; message: string };
    expect(again.ok).toBe(false);
    expect(again.message).toContain('P0002');
    // The office allocates from the menu before the trigger has run: the reserved IDs are not reused.
    h.as(OFFICE);
    h.click('新建合作项目');
    expect(h.records('合作项目').map((r) => r['项目编号'])).toEqual(['HZ2026-003']);
    h.runClock(/minute/);
    const projects = h.records('合作项目');
    expect(projects.map((r) => r['项目编号']).sort()).toEqual(['HZ2026-001', 'HZ2026-002', 'HZ2026-003']);
    expect(projects.find((r) => r['项目编号'] === 'HZ2026-002')).toMatchObject({
      项目名称: '新能源实训',
      合作单位编号: 'P0002',
      合作单位名称: '肇庆新能源有限公司',
      状态: '草稿',
    });
    expect(h.records('合作单位').map((r) => r['单位编号'])).toEqual(['P0001', 'P0002']);
    const counters = h.records('设置').filter((r) => r['分组'] === '编号计数');
    expect(counters.find((r) => String(r['设置项']).includes('2026'))?.['值']).toBe('3');
    expect(counters.find((r) => String(r['设置项']).includes('合作单位'))?.['值']).toBe('2');
    // Recording again changes nothing: nothing queued, the rows are not written twice.
    h.runClock(/minute/);
    expect(h.records('合作项目')).toHaveLength(3);
  });

  it('approver and office decisions go through the menu’s queue: the approver’s recorded by the owner’s trigger, the office’s at once', () => {
    const h = registry();
    const row = submittedProject(h);
    const id = String(h.records('合作项目')[row - 2]!['项目编号']);
    const approver = APPROVERS['计财处'];
    // Writing 状态 directly is what an approver's authorization may not do.
    expect(
      h.edit(
        '合作项目',
        h.log.quiet(() => h.cell('合作项目', row, '状态').getA1Notation()),
        [['审查中']],
        approver,
      ).blocked,
    ).toBe(true);
    h.as(approver);
    const r = h.run('sidebarDecision', { projectId: id, decision: 'approve', department: '计财处' }) as { ok: boolean; queued: boolean; message: string };
    expect(r).toMatchObject({ ok: true, queued: true });
    expect(r.message).toContain('已提交，稍后记录');
    // Until recorded, the card says it is on its way instead of offering the buttons again.
    const todo = h.run('sidebarTodoData') as { reviews: { projectId: string; queued: boolean }[] };
    expect(todo.reviews.find((w) => w.projectId === id)?.queued).toBe(true);
    // Nothing left for them to do: opening the sheet does not pop the sidebar up again.
    const shown = h.app.ui.sidebars.length;
    h.openAs(approver);
    expect(h.app.ui.sidebars).toHaveLength(shown);
    h.runClock(/minute/);
    expect(h.records('审批记录').at(-1)).toMatchObject({ 操作: '审查通过', 部门或机构: '计财处', 操作人: approver });
    expect((h.run('sidebarTodoData') as { reviews: unknown[] }).reviews).toHaveLength(0);
    // The office returns it from the sidebar's server call: recorded at once.
    h.as(OFFICE);
    const back = h.run('sidebarDecision', { projectId: id, decision: 'return', reason: '材料不全' }) as { ok: boolean; queued?: boolean };
    expect(back.ok).toBe(true);
    expect(back.queued).toBeFalsy();
    expect(h.records('合作项目')[row - 2]).toMatchObject({ 状态: '草稿', 审查意见: '材料不全' });
    expect(h.records('审批记录').at(-1)).toMatchObject({ 操作: '退回', 操作人: OFFICE });
  });

  it('我的待办 and the trail read the verified log: a pasted 状态 or tick puts no project in or out of a queue', () => {
    const h = registry();
    const submitted = submittedProject(h);
    const approver = APPROVERS['计财处'];
    // A draft whose 状态 someone pasted as 待审查 (no log entry), and the submitted one pasted back to 草稿 with a tick.
    h.as(OFFICE);
    h.click('新建合作项目');
    const draft = h.records('合作项目').length + 1;
    plantRecord(h, '合作项目', draft, { ...PROJECT_FIELDS, 项目名称: '未提交的项目', 状态: '待审查', 申请日期: '2026-11-01' });
    plantRecord(h, '合作项目', submitted, { 状态: '草稿', 计财处: true });
    h.as(approver);
    const todo = h.run('sidebarTodoData') as { reviews: { projectId: string; title: string }[] };
    expect(todo.reviews.map((w) => w.title)).toEqual([PROJECT_FIELDS.项目名称]);
    // The office's queue: a pasted 已批准 does not put a project waiting for signing.
    plantRecord(h, '合作项目', draft, { 状态: '已批准' });
    h.as(OFFICE);
    expect((h.run('sidebarTodoData') as { office: unknown[] }).office).toEqual([]);
    // The trail: the status the log records, and a log row edited by hand marked as not counting.
    const id = String(h.records('合作项目')[submitted - 2]!['项目编号']);
    const trail = h.run('sidebarTrailData', id) as { status: string; chain: { state: string }; events: { trusted: boolean }[] };
    expect(trail.status).toBe('待审查');
    expect(trail.chain.state).toBe('ok');
    expect(trail.events.every((e) => e.trusted)).toBe(true);
    plantRecord(h, '审批记录', 2, { 备注: '改过的备注' });
    const broken = h.run('sidebarTrailData', id) as { chain: { state: string; message: string }; events: { trusted: boolean }[] };
    expect(broken.chain.state).toBe('broken');
    expect(broken.events[0]!.trusted).toBe(false);
  });
});

/** PROJECT_FIELDS (header → value) as schema keys. */
function fieldsByKey(): Record<string, unknown> {
  const keys: Record<string, string> = {
    项目名称: 'title',
    承办系部: 'department',
    合作类别: 'category',
    合作内容及双方权责: 'content',
    开始日期: 'startDate',
    结束日期: 'endDate',
    成果权属: 'ipOwnership',
    '预计收入（元）': 'income',
    '预计支出（元）': 'expense',
    项目负责人: 'leader',
  };
  return Object.fromEntries(
    Object.entries(PROJECT_FIELDS)
      .filter(([k]) => keys[k])
      .map(([k, v]) => [keys[k], v]),
  );
}
