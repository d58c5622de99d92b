// Service calls made by the Apps Script handlers on the in-memory fake (run against the built Code.js),
// beside a naive per-cell implementation of the same job measured on the same fake.
import { performance } from 'node:perf_hooks';
import { REVIEW_DEPARTMENT_NAMES } from '../core/index.js';
import { Harness } from '../tests/apps-script/fake/harness.js';
import { APPROVERS, OFFICE, OWNER, plantProjects, registry, submittedProject, tick } from '../tests/apps-script/fixture.js';

function measure(h: Harness, work: () => void): { calls: number; writes: number; ms: number } {
  h.log.reset();
  const t = performance.now();
  work();
  return { calls: h.log.count(), writes: h.log.writes().length, ms: performance.now() - t };
}

/** What a straightforward script does: one getRange/getValue per cell read, one call per cell written. */
function naiveValidateCalls(h: Harness): number {
  const sheet = h.sheet('合作项目');
  h.log.reset();
  const api = h.context.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp;
  const s = api.getActiveSpreadsheet().getSheetByName('合作项目')!;
  const rows = s.getLastRow();
  const cols = s.getLastColumn();
  for (let r = 2; r <= rows; r++) {
    for (let c = 1; c <= cols; c++) {
      const cell = s.getRange(r, c);
      cell.getValue();
      cell.getNote();
    }
  }
  void sheet;
  // Marking writes a note and a colour per checked cell.
  return h.log.count() + (rows - 1) * cols * 2;
}

export default async function bench(): Promise<void> {
  const rows: [string, number, string, number | string][] = [];

  const h = registry();
  const row = submittedProject(h);
  const one = measure(h, () => tick(h, row, '教务处', APPROVERS['教务处']));
  // Naive tick: read the row cell by cell (36), check the 7 review cells, write status and time and stamp, append the log cell by cell (8).
  rows.push(['one approver tick', one.calls, 'budget ≤ 10', 36 + 7 + 3 + 8]);

  for (const d of REVIEW_DEPARTMENT_NAMES.slice(1, -1)) tick(h, row, d, APPROVERS[d]);
  const last = REVIEW_DEPARTMENT_NAMES.at(-1)!;
  const completing = measure(h, () => tick(h, row, last, APPROVERS[last]));
  // The state comes from the logged-state cache in script properties: no 审批记录 read, the log row appended blind.
  rows.push(['tick that completes a review', completing.calls, 'budget ≤ 10, log state from the cache', 36 + 7 + 3 + 8]);
  const p = registry();
  const projects = Array.from({ length: 50 }, () => submittedProject(p));
  const col = p.headerCol('合作项目', '教务处');
  const a1 = p.log.quiet(() => p.sheet('合作项目').getRange(2, col, 50, 1).getA1Notation());
  const paste = measure(p, () =>
    p.edit(
      '合作项目',
      a1,
      projects.map(() => [true]),
      APPROVERS['教务处'],
    ),
  );
  rows.push(['paste of 50 ticks', paste.calls, '', 50 * (36 + 7 + 3 + 8)]);

  const v = registry();
  plantProjects(v, 2000);
  v.as(OFFICE);
  const all = measure(v, () => v.click('校验全部'));
  rows.push(['校验全部, 2,000 projects (first run)', all.calls, `budget ≤ 22, all five sheets; ${all.ms.toFixed(0)} ms on the fake`, naiveValidateCalls(v)]);
  const again = measure(v, () => v.click('校验全部'));
  rows.push(['校验全部, 2,000 projects (nothing changed)', again.calls, `${again.ms.toFixed(0)} ms on the fake`, '']);

  const daily = measure(v, () => v.runDaily());
  rows.push(['daily reminders, 2,000 projects', daily.calls, `${v.mail.outbox.length} mails`, '']);

  const s = registry();
  const setup = measure(s, () => s.click('初始化/修复登记表'));
  const columns = s.ss.sheets.reduce((n, sheet) => n + sheet.getLastColumn(), 0);
  rows.push([`初始化/修复 again (${columns} schema columns)`, setup.calls, `grows with columns, not rows; ${setup.writes} of them writes`, '']);
  const fresh = new Harness({ owner: OWNER });
  fresh.as(OWNER).open();
  const first = measure(fresh, () => fresh.click('初始化/修复登记表'));
  rows.push(['初始化/修复 on an empty spreadsheet', first.calls, `${first.writes} of them writes`, '']);
  s.log.quiet(() => s.sheet('合作项目').insertRowsAfter(1000, 9000));
  s.click('初始化/修复登记表');
  const big = measure(s, () => s.click('初始化/修复登记表'));
  rows.push(['初始化/修复 again with 10,000-row sheets', big.calls, `${big.writes} of them writes`, '']);

  console.log('Spreadsheet-service calls per handler (fake SpreadsheetApp, counting every call on SpreadsheetApp/Spreadsheet/Sheet/Range/Protection)');
  console.log(['handler', 'calls', 'note', 'naive per-cell calls'].join(' | '));
  for (const r of rows) console.log(r.join(' | '));
}
