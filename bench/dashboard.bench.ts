// 统计看板, the sidebar and `coop report --html`: Spreadsheet-service calls of each sidebar server call and of a
// dashboard rebuild at two registry sizes (bounded by charts, not rows), and the time to render the HTML report.
import { performance } from 'node:perf_hooks';
import { defaultSettings, emptyRegistry, summarize, type RegistryData } from '../core/index.js';
import { reportHtml } from '../sync/src/report/html.js';
import type { Harness } from '../tests/apps-script/fake/harness.js';
import { APPROVERS, OFFICE, PROJECT_FIELDS, STAFF, plantProjects, plantSubmissions, registry } from '../tests/apps-script/fixture.js';

function measure(h: Harness, work: () => void): { calls: number; ms: number } {
  h.log.reset();
  const t = performance.now();
  work();
  return { calls: h.log.count(), ms: performance.now() - t };
}

const SIZES = [100, Number(process.env.BENCH_PROJECTS ?? 2000)];

export default async function bench(): Promise<void> {
  const rows: [string, number | string, string][] = [];
  for (const n of SIZES) {
    const h = registry();
    plantProjects(h, n);
    // Every project submitted in 审批记录: 我的待办 derives the queue from the verified log.
    plantSubmissions(h, n);
    h.log.quiet(() => h.sheet('合作项目').insertRowsAfter(h.sheet('合作项目').getMaxRows(), 50));
    h.as(OFFICE);
    const first = measure(h, () => h.click('刷新统计看板'));
    rows.push([`统计看板 first build, ${n} projects`, first.calls, `${first.ms.toFixed(0)} ms on the fake; creates 3 charts`]);
    const again = measure(h, () => h.click('刷新统计看板'));
    rows.push([`统计看板 rebuild, ${n} projects`, again.calls, `${again.ms.toFixed(0)} ms; charts updated in place`]);
    // Each sidebar call runs as the person at the sidebar, under their own protections (google.script.run).
    h.as(APPROVERS['计财处']);
    const todo = measure(h, () => h.run('sidebarTodoData'));
    rows.push([`sidebar 我的待办, ${n} projects`, todo.calls, `budget ≤ 6; ${todo.ms.toFixed(0)} ms`]);
    const project = {
      title: PROJECT_FIELDS.项目名称,
      department: PROJECT_FIELDS.承办系部,
      partnerId: 'P0001',
      category: PROJECT_FIELDS.合作类别,
      content: PROJECT_FIELDS.合作内容及双方权责,
      startDate: PROJECT_FIELDS.开始日期,
      endDate: PROJECT_FIELDS.结束日期,
      ipOwnership: PROJECT_FIELDS.成果权属,
      leader: PROJECT_FIELDS.项目负责人,
    };
    const partner = { name: `肇庆新伙伴${n}有限公司`, kind: '境外机构', contactName: '陈工', contactPhone: '+49 30 12345678', integrity: '良好' };
    h.as(STAFF);
    const save = measure(h, () => h.run('sidebarSaveProject', { project }));
    rows.push([`sidebar save by staff (queued), ${n} projects`, save.calls, `budget ≤ 10; ${save.ms.toFixed(0)} ms`]);
    const recorded = measure(h, () => h.runClock(/minute/));
    rows.push([`minute trigger writing it, ${n} projects`, recorded.calls, `runs as the owner; ${recorded.ms.toFixed(0)} ms`]);
    h.as(OFFICE);
    const office = measure(h, () => h.run('sidebarSaveProject', { project, partner }));
    rows.push([`sidebar save by the office with a new partner, ${n} projects`, office.calls, `budget ≤ 10; written at once; ${office.ms.toFixed(0)} ms`]);
    const trail = measure(h, () => h.run('sidebarTrailData', 'HZ2025-0001'));
    rows.push([`sidebar 审批轨迹 (chain verified), ${n} projects`, trail.calls, `${trail.ms.toFixed(0)} ms`]);
    h.as(STAFF);
    const boot = measure(h, () => h.run('sidebarBootData'));
    rows.push([`sidebar start-up data, ${n} projects`, boot.calls, `${boot.ms.toFixed(0)} ms`]);
  }
  console.log('Spreadsheet-service calls (fake SpreadsheetApp, built Code.js)');
  console.log(['handler', 'calls', 'note'].join(' | '));
  for (const r of rows) console.log(r.join(' | '));

  // The HTML report: summarize + render on a synthetic registry.
  const n = Number(process.env.BENCH_PROJECTS ?? 2000) * 5;
  const data: RegistryData = emptyRegistry();
  const statuses = ['草稿', '待审查', '审查中', '待审议', '已批准', '已生效'];
  for (let i = 0; i < n; i++) {
    data.projects.push({
      cells: {
        projectId: `HZ${2020 + (i % 7)}-${String(i + 1).padStart(5, '0')}`,
        title: `项目${i}`,
        department: '计算机应用专业',
        category: '培训服务',
        status: statuses[i % statuses.length]!,
        income: 1000.5,
        expense: 10,
        startDate: '2024-01-01',
        endDate: '2027-12-31',
        appliedAt: '2026-11-01',
      },
      sheetRow: i + 2,
    });
  }
  const t = performance.now();
  const html = reportHtml(summarize(data, defaultSettings(), '2026-11-24'), '肇庆理工中等职业学校', '2026-11-24');
  console.log(`coop report --html render, ${n} projects: ${(performance.now() - t).toFixed(0)} ms, ${(html.length / 1024).toFixed(1)} KiB page`);
}
