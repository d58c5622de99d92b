// One layout, two renderers, one spreadsheet: the Apps Script 初始化 (the built bundle over the SpreadsheetApp fake)
// and `coop google setup` (the real Sheets client against the loopback emulator) act in turn on the SAME spreadsheet
// model (tests/apps-script/fake/sheets-model.ts moves it between the two views). In either order, the second setup
// and every re-run after it write nothing, and both orders leave the same spreadsheet: header style, widths, number
// and text formats, validations and their strictness, protections, status colours, frozen rows, time zone, 设置.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVIEW_DEPARTMENT_NAMES, readSettings, writeSettings } from '../../core/index.js';
import { setupSpreadsheet } from '../../sync/src/ops/google-setup.js';
import { GsheetRegistryStore } from '../../sync/src/stores/gsheet-store.js';
import { Harness as ScriptHarness } from '../apps-script/fake/harness.js';
import { loadIntoFake, saveFromFake } from '../apps-script/fake/sheets-model.js';
import { APPROVERS, OFFICE } from '../apps-script/fixture.js';
import { SPREADSHEET_OWNER, type GoogleEmulator } from '../google/emulator.js';
import { startHarness, type Harness } from '../google/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.emulator.stop());

type Setup = 'script' | 'api';

/** Runs one setup on spreadsheet `id`; returns what it changed: mutating SpreadsheetApp calls, or Sheets write requests. */
async function runSetup(which: Setup, id: string): Promise<string[]> {
  if (which === 'api') {
    h.emulator.resetLog();
    await setupSpreadsheet(id, h.clients);
    return h.emulator.log
      .filter((r) => r.endpoint === 'sheets.spreadsheets.batchUpdate' || r.endpoint === 'sheets.values.batchUpdate')
      .flatMap((r) => ((r.body as { requests?: object[] }).requests ?? [r.body]).map((x) => JSON.stringify(x).slice(0, 160)));
  }
  const s = new ScriptHarness({ owner: SPREADSHEET_OWNER });
  loadIntoFake(s, h.emulator, id);
  s.as(SPREADSHEET_OWNER).open();
  s.log.reset();
  const alerts = s.click('初始化/修复登记表');
  // 初始化 reports what it did; a failure would be an alert, and the "no change" below would prove nothing.
  expect(alerts.join('\n')).toMatch(/登记表已就绪/);
  const changed = s.log.writes();
  saveFromFake(s, h.emulator, id);
  return changed;
}

/** The office names approvers and itself in 设置 through the CLI's store, as it would after the first setup. */
async function nameApprovers(id: string): Promise<void> {
  await new GsheetRegistryStore(id, h.clients).update((data) => {
    const { settings } = readSettings(data);
    for (const d of REVIEW_DEPARTMENT_NAMES) settings.approvers[d] = [APPROVERS[d]];
    settings.officeStaff = [OFFICE];
    writeSettings(data, settings);
    return { result: undefined, write: true };
  });
}

const sorted = <V>(map: Map<string | number, V> | undefined) => [...(map ?? [])].map(([k, v]) => [String(k), v] as const).sort(([a], [b]) => (a < b ? -1 : 1));

/** Everything both setups manage, comparable across spreadsheets: sheet IDs as titles, protections by description. */
function canonical(emulator: GoogleEmulator, id: string): unknown {
  const model = emulator.spreadsheets.get(id)!;
  const title = new Map(model.map((s) => [s.sheetId, s.title]));
  const named = (range: any) => ({ ...range, sheetId: title.get(range?.sheetId ?? 0) });
  return {
    timeZone: emulator.timeZones.get(id),
    tabs: model.map((s) => s.title),
    sheets: model.map((s) => ({
      title: s.title,
      grid: [s.rowCount, s.columnCount, s.frozenRowCount ?? 0],
      values: s.values.map((r) => r.map((v) => v ?? '')).filter((r) => r.some((v) => v !== '')),
      notes: sorted(s.notes),
      formats: sorted(s.formats),
      validations: sorted(s.validations),
      styles: sorted(s.styles),
      widths: sorted(s.widths),
      protections: (s.protectedRanges ?? [])
        .map((p) => ({ description: p.description, range: named(p.range), users: [...p.editors.users].sort(), domain: !!p.editors.domainUsersCanEdit }))
        .sort((a, b) => (a.description < b.description ? -1 : 1)),
      conditionalFormats: (s.conditionalFormats ?? []).map((r) => ({ ...r, ranges: r.ranges.map(named) })),
    })),
  };
}

/** The office's own colour rule and protection on 合作项目: neither setup may touch them. */
function addOfficeOwn(id: string): void {
  const projects = h.emulator.spreadsheets.get(id)!.find((s) => s.title === '合作项目')!;
  (projects.conditionalFormats ??= []).push({
    ranges: [{ sheetId: projects.sheetId, startRowIndex: 1, startColumnIndex: 1, endColumnIndex: 2 }],
    booleanRule: {
      condition: { type: 'CUSTOM_FORMULA', values: [{ userEnteredValue: '=$B2="重点"' }] },
      format: { backgroundColor: { red: 1, green: 0, blue: 0 } },
    },
  });
  (projects.protectedRanges ??= []).push({
    protectedRangeId: 9_999,
    description: '办公室自己的保护',
    range: { sheetId: projects.sheetId, startRowIndex: 0, endRowIndex: 1, startColumnIndex: 1, endColumnIndex: 2 },
    editors: { users: [OFFICE, SPREADSHEET_OWNER] },
  });
}

/** First setup on a new spreadsheet, 设置 filled in, the same setup again, then the other setup, then each once more. */
async function inOrder(first: Setup, second: Setup): Promise<{ id: string; changes: Record<string, string[]> }> {
  const id = h.emulator.addSpreadsheet([{ title: 'Sheet1' }]);
  expect((await runSetup(first, id)).length).toBeGreaterThan(50);
  await nameApprovers(id);
  addOfficeOwn(id);
  await runSetup(first, id);
  const changes = {
    [`${second} after ${first}`]: await runSetup(second, id),
    [`${first} again`]: await runSetup(first, id),
    [`${second} again`]: await runSetup(second, id),
  };
  return { id, changes };
}

describe('the two setups render one layout onto one spreadsheet', () => {
  it('in either order the second setup and every re-run change nothing, and both orders leave the same spreadsheet', async () => {
    const apiFirst = await inOrder('api', 'script');
    const scriptFirst = await inOrder('script', 'api');
    expect(apiFirst.changes).toEqual({ 'script after api': [], 'api again': [], 'script again': [] });
    expect(scriptFirst.changes).toEqual({ 'api after script': [], 'script again': [], 'api again': [] });
    const a = canonical(h.emulator, apiFirst.id) as any;
    const b = canonical(h.emulator, scriptFirst.id) as any;
    // Each side really laid the sheet out (two empty spreadsheets would compare equal too).
    const projects = a.sheets.find((s: any) => s.title === '合作项目');
    expect(projects.protections.length).toBeGreaterThan(10);
    // Ours (11) in front, the office's own rule kept behind them; its protection kept too.
    expect(projects.conditionalFormats).toHaveLength(12);
    expect(projects.conditionalFormats[11].booleanRule.condition.values[0].userEnteredValue).toBe('=$B2="重点"');
    expect(projects.protections.map((p: any) => p.description)).toContain('办公室自己的保护');
    expect(projects.validations.length).toBeGreaterThan(10);
    expect(projects.styles.length).toBeGreaterThan(20);
    expect(a.timeZone).toBe('Asia/Shanghai');
    for (const [i, sheet] of a.sheets.entries()) expect(b.sheets[i], sheet.title).toEqual(sheet);
    expect(b).toEqual(a);
  });

  it('the phone, credit-code and ID columns are plain text (@) from either setup', async () => {
    for (const first of ['api', 'script'] as const) {
      const id = h.emulator.addSpreadsheet([{ title: 'Sheet1' }]);
      await runSetup(first, id);
      const partners = h.emulator.spreadsheets.get(id)!.find((s) => s.title === '合作单位')!;
      const header = partners.values[0]!;
      for (const title of ['统一社会信用代码', '联系电话']) {
        const col = header.indexOf(title);
        expect(col, `${first}: ${title}`).toBeGreaterThanOrEqual(0);
        expect(h.emulator.formatAt(id, '合作单位', 5, col), `${first}: ${title}`).toBe('@');
      }
    }
  });
});
