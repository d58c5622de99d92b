// One layout, two renderers: the Apps Script 初始化 (built bundle, SpreadsheetApp fake) and `coop google setup`
// (real Sheets client, loopback emulator) both render core/layout.ts. Given the same 设置, every column must come
// out alike — width, format, validation strictness, header note, protection name and editors — and the status colours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_SHEETS, REVIEW_DEPARTMENT_NAMES, readSettings, writeSettings } from '../../core/index.js';
import { setupSpreadsheet } from '../../sync/src/ops/google-setup.js';
import { GsheetRegistryStore } from '../../sync/src/stores/gsheet-store.js';
import { APPROVERS, OFFICE, OWNER, registry } from '../apps-script/fixture.js';
import { SPREADSHEET_OWNER } from '../google/emulator.js';
import { startHarness, type Harness } from '../google/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.emulator.stop());

interface ColumnLook {
  width: number | null;
  format: string | null;
  strict: boolean | null;
  headerNote: string;
}

/** A rule's formula and the 0-based column it colours, as one comparable text. */
const letters = (formula: string, col0: number) => `${formula} @${col0}`;

interface Look {
  columns: Record<string, ColumnLook>;
  protections: Record<string, string[]>;
  statusColours: [string, string, string][];
}

/** The Apps Script setup's result, read back from the fake. */
function appsScriptLook(): Look {
  const s = registry();
  const look: Look = { columns: {}, protections: {}, statusColours: [] };
  s.log.quiet(() => {
    for (const spec of REGISTRY_SHEETS) {
      const sheet = s.sheet(spec.name);
      spec.columns.forEach((c, i) => {
        const col = i + 1;
        const cell = sheet._cell(2, col);
        const format = cell?.numberFormat;
        look.columns[`${spec.name}·${c.header}`] = {
          width: sheet.widths.get(col) ?? null,
          format: format && format !== 'General' ? format : null,
          strict: cell?.validation ? !cell.validation.allowInvalid : null,
          headerNote: sheet._cell(1, col)?.note ?? '',
        };
      });
      for (const p of sheet.protections) look.protections[p.description] = [...p.editors].filter((e) => e !== OWNER).sort();
      if (spec.key === 'projects') {
        look.statusColours = sheet.cfRules.map((r) => [
          letters(r.condition.formula, r.ranges[0]!.bounds.c1 - 1),
          r.condition.background ?? '',
          r.condition.fontColor ?? '',
        ]);
      }
    }
  });
  return look;
}

const hex = (c: { red?: number; green?: number; blue?: number }) =>
  `#${[c.red ?? 0, c.green ?? 0, c.blue ?? 0]
    .map((v) =>
      Math.round(v * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;

/** `coop google setup`'s result: state the emulator keeps, and what its last setup request asked for. */
async function apiLook(): Promise<Look> {
  const id = h.emulator.addSpreadsheet([]);
  await setupSpreadsheet(id, h.clients);
  await new GsheetRegistryStore(id, h.clients).update((data) => {
    const { settings } = readSettings(data);
    for (const d of REVIEW_DEPARTMENT_NAMES) settings.approvers[d] = [APPROVERS[d]];
    settings.officeStaff = [OFFICE];
    writeSettings(data, settings);
    return { result: undefined, write: true };
  });
  const first = h.emulator.log.find((r) => r.endpoint === 'sheets.spreadsheets.batchUpdate')!.body as { requests: any[] };
  h.emulator.resetLog();
  await setupSpreadsheet(id, h.clients);
  const last = h.emulator.log.find((r) => r.endpoint === 'sheets.spreadsheets.batchUpdate')!.body as { requests: any[] };
  const sheets = h.emulator.spreadsheets.get(id)!;
  const look: Look = { columns: {}, protections: {}, statusColours: [] };
  for (const spec of REGISTRY_SHEETS) {
    const sheet = sheets.find((s) => s.title === spec.name)!;
    spec.columns.forEach((c, col) => {
      const width = first.requests.find(
        (r) => r.updateDimensionProperties?.range.sheetId === sheet.sheetId && r.updateDimensionProperties.range.startIndex === col,
      );
      const rule = last.requests.find((r) => r.setDataValidation?.range.sheetId === sheet.sheetId && r.setDataValidation.range.startColumnIndex === col)
        ?.setDataValidation.rule;
      look.columns[`${spec.name}·${c.header}`] = {
        width: width?.updateDimensionProperties.properties.pixelSize ?? null,
        format: h.emulator.formatAt(id, spec.name, 1, col) || null,
        strict: rule ? Boolean(rule.strict) : null,
        headerNote: h.emulator.noteAt(id, spec.name, 0, col),
      };
    });
    for (const p of sheet.protectedRanges ?? []) look.protections[p.description] = (p.editors.users as string[]).filter((e) => e !== SPREADSHEET_OWNER).sort();
    if (spec.key === 'projects') {
      look.statusColours = (sheet.conditionalFormats ?? []).map((r) => [
        letters(r.booleanRule.condition.values[0].userEnteredValue, r.ranges[0].startColumnIndex),
        hex(r.booleanRule.format.backgroundColor),
        r.booleanRule.format.textFormat?.foregroundColor ? hex(r.booleanRule.format.textFormat.foregroundColor) : '',
      ]);
    }
  }
  return look;
}

describe('the two setups render one layout', () => {
  it('every column, protection and status colour comes out the same from 初始化 and coop google setup', async () => {
    const script = appsScriptLook();
    const api = await apiLook();
    // Each side actually rendered something (a comparison of two empty looks proves nothing).
    expect(Object.values(script.columns).filter((c) => c.width).length).toBeGreaterThan(40);
    expect(Object.keys(script.protections).length).toBeGreaterThan(10);
    expect(script.statusColours).toHaveLength(11);
    expect(api.columns).toEqual(script.columns);
    expect(api.protections).toEqual(script.protections);
    expect(api.statusColours).toEqual(script.statusColours);
  });
});
