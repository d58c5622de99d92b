// The CLI and the sheet append to one 审批记录: the CLI through the Sheets API (emulator), the sheet through the built
// bundle (SpreadsheetApp fake), on the same spreadsheet model. The sheet's chain anchor lives in Script Properties,
// which the CLI cannot move: rows past it that chain from it are the CLI's and count; the sheet moves its anchor
// over them at its next menu action under the lock, after which removing one is a break like any other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVIEW_DEPARTMENT_NAMES, reviewLogSheet } from '../../core/index.js';
import { ANCHOR_PROPERTY } from '../../apps-script/src/log.js';
import { loadIntoFake, saveFromFake } from '../apps-script/fake/sheets-model.js';
import { APPROVERS, OFFICE, registry, submittedProject, tick } from '../apps-script/fixture.js';
import { coopAsync } from '../helpers/cli.js';
import { startHarness, type Harness } from '../google/harness.js';

let g: Harness;
beforeAll(async () => {
  g = await startHarness();
});
afterAll(async () => g.emulator.stop());

const anchorCount = (s: ReturnType<typeof registry>) => JSON.parse(s.scriptProperties.getProperty(ANCHOR_PROPERTY)!).count as number;
const logLength = (s: ReturnType<typeof registry>) => s.records(reviewLogSheet.name).filter((r) => r['操作']).length;

describe('one 审批记录, two writers', () => {
  it('CLI rows past the sheet’s anchor count, the next menu action anchors them, and removing one then is a break', async () => {
    const sheet = registry();
    const row = submittedProject(sheet);
    const [first, second, ...rest] = REVIEW_DEPARTMENT_NAMES;
    expect(tick(sheet, row, first!, APPROVERS[first!]).blocked).toBe(false);
    const projectId = String(sheet.records('合作项目')[row - 2]!['项目编号']);
    const anchoredBefore = anchorCount(sheet);
    expect(anchoredBefore).toBe(logLength(sheet));

    // The office's CLI ticks the second department on the same spreadsheet, through the API.
    const id = g.emulator.addSpreadsheet([]);
    saveFromFake(sheet, g.emulator, id);
    const cli = await coopAsync(['review', projectId, '--dept', second!, '--by', APPROVERS[second!], '--registry', `gsheet:${id}`], { env: g.env });
    expect(cli.code, cli.stderr).toBe(0);
    loadIntoFake(sheet, g.emulator, id);
    expect(logLength(sheet)).toBe(anchoredBefore + 1);
    expect(anchorCount(sheet)).toBe(anchoredBefore);

    // The sheet accepts the CLI's row: 校验全部 finds nothing wrong with the log, and the CLI's tick counts.
    const report = sheet.as(OFFICE).click('校验全部').join('\n');
    expect(report).not.toContain('审批记录」第');
    expect(report).not.toContain('不是本系统写入');
    for (const d of rest) expect(tick(sheet, row, d, APPROVERS[d]).blocked).toBe(false);
    expect(sheet.records('合作项目')[row - 2]!['状态']).toBe('待审议');

    // A menu action under the lock verifies the whole log and moves the anchor over every row, the CLI's included.
    sheet.as(OFFICE).select('合作项目', row);
    const meeting = sheet.click('记录会议审议', { button: 'YES' }, { button: 'OK', text: '校办〔2026〕12号' }).join('\n');
    expect(meeting).not.toContain('审批操作暂停');
    expect(anchorCount(sheet)).toBe(logLength(sheet));

    // Now the CLI's row is under the anchor: deleting it from the sheet is a break, named by 校验全部.
    const cliRow = sheet.records(reviewLogSheet.name).findIndex((r) => r['部门或机构'] === second) + 2;
    sheet.log.quiet(() =>
      sheet
        .sheet(reviewLogSheet.name)
        .getRange(cliRow, 1, 1, reviewLogSheet.columns.length)
        .setValues([reviewLogSheet.columns.map(() => '')]),
    );
    const after = sheet.as(OFFICE).click('校验全部').join('\n');
    expect(after).toMatch(/审批记录/);
    sheet.select('合作项目', row);
    expect(sheet.click('登记签署', { button: 'OK', text: '2026-11-24' }).join('\n')).toContain('审批操作暂停');
  });

  it('a row appended past the anchor that does not chain from it is still a break', async () => {
    const sheet = registry();
    const row = submittedProject(sheet);
    const [first, second] = REVIEW_DEPARTMENT_NAMES;
    tick(sheet, row, first!, APPROVERS[first!]);
    const projectId = String(sheet.records('合作项目')[row - 2]!['项目编号']);
    const id = g.emulator.addSpreadsheet([]);
    saveFromFake(sheet, g.emulator, id);
    expect((await coopAsync(['review', projectId, '--dept', second!, '--by', APPROVERS[second!], '--registry', `gsheet:${id}`], { env: g.env })).code).toBe(0);
    loadIntoFake(sheet, g.emulator, id);
    // Someone retypes the CLI's row with another department: its 校验值 no longer matches.
    const cliRow = sheet.records(reviewLogSheet.name).findIndex((r) => r['部门或机构'] === second) + 2;
    const col = reviewLogSheet.columns.findIndex((c) => c.header === '部门或机构') + 1;
    sheet.log.quiet(() => sheet.sheet(reviewLogSheet.name).getRange(cliRow, col).setValue(first));
    const report = sheet.as(OFFICE).click('校验全部').join('\n');
    expect(report).toContain(`「审批记录」第 ${cliRow} 行`);
  });
});
