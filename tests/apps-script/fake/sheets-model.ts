// One spreadsheet, two views: loads the Google API emulator's model of a spreadsheet into the SpreadsheetApp fake and
// saves the fake's state back into that model, translating each attribute the way Google does between its two APIs
// (SpreadsheetApp objects ↔ Sheets API resources). With it the built bundle and the real Sheets client act on the
// same spreadsheet in turn: values, notes, number formats, validations, header styles, widths, frozen rows,
// protections, conditional formats and the time zone.
import type { CellValue, EmulatedSheet, GoogleEmulator } from '../../google/emulator.js';
import type { Harness } from './harness.js';
import {
  FakeBooleanCondition,
  FakeConditionalFormatRule,
  FakeDataValidation,
  FakeProtection,
  FakeRange,
  FakeSheet,
  type Bounds,
  isDate,
} from './spreadsheet.js';

/** Both views treat dates as the spreadsheet's own (school) midnight; the model holds Sheets serial numbers. */
const SCHOOL_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 86_400_000;
const SERIAL_EPOCH = 25_569;
const serialToDate = (serial: number) => new Date((serial - SERIAL_EPOCH) * DAY_MS - SCHOOL_OFFSET_MS);
const dateToSerial = (d: Date) => (d.getTime() + SCHOOL_OFFSET_MS) / DAY_MS + SERIAL_EPOCH;
const isDatePattern = (pattern: string | undefined) => !!pattern && /y{2,4}/i.test(pattern);
const dayText = (d: Date) => new Date(d.getTime() + SCHOOL_OFFSET_MS).toISOString().slice(0, 10);
const dayDate = (text: string) => new Date(Date.parse(`${text}T00:00:00Z`) - SCHOOL_OFFSET_MS);

type ApiColor = { red?: number; green?: number; blue?: number };
const toHex = (c: ApiColor) =>
  `#${[c.red, c.green, c.blue]
    .map((v) =>
      Math.round((v ?? 0) * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
function toColor(hex: string): ApiColor {
  const n = Number.parseInt(hex.slice(1), 16);
  return { red: ((n >> 16) & 255) / 255, green: ((n >> 8) & 255) / 255, blue: (n & 255) / 255 };
}

const ALIGN_TO_APP: Record<string, string> = { LEFT: 'left', CENTER: 'center', RIGHT: 'right', TOP: 'top', MIDDLE: 'middle', BOTTOM: 'bottom' };

/** SpreadsheetApp criteria ↔ Sheets API condition types (the ones the setups use). */
const CRITERIA: [app: string, api: string][] = [
  ['VALUE_IN_LIST', 'ONE_OF_LIST'],
  ['CHECKBOX', 'BOOLEAN'],
  ['DATE_BETWEEN', 'DATE_BETWEEN'],
  ['DATE_IS_VALID_DATE', 'DATE_IS_VALID'],
  ['NUMBER_GREATER_THAN_OR_EQUAL_TO', 'NUMBER_GREATER_THAN_EQ'],
  ['NUMBER_BETWEEN', 'NUMBER_BETWEEN'],
];

function ruleToApp(rule: any): FakeDataValidation {
  const type = rule.condition?.type as string;
  const app = CRITERIA.find(([, api]) => api === type)?.[0];
  if (!app) throw new Error(`sheets-model: no SpreadsheetApp criteria for ${type}`);
  const values = ((rule.condition?.values ?? []) as { userEnteredValue?: string }[]).map((v) => v.userEnteredValue ?? '');
  let args: unknown[];
  if (app === 'VALUE_IN_LIST') args = [values, !!rule.showCustomUi];
  else if (app === 'DATE_BETWEEN') args = values.map(dayDate);
  else if (app.startsWith('NUMBER')) args = values.map(Number);
  else args = [];
  return new FakeDataValidation(app, args, !rule.strict, rule.inputMessage ?? '');
}

function ruleToApi(v: FakeDataValidation): any {
  const api = CRITERIA.find(([app]) => app === v.criteria)?.[1];
  if (!api) throw new Error(`sheets-model: no Sheets API condition for ${v.criteria}`);
  let values: string[];
  if (v.criteria === 'VALUE_IN_LIST') values = (v.args[0] as string[]).map(String);
  else values = v.args.map((a) => (isDate(a) ? dayText(a) : String(a)));
  return {
    condition: { type: api, ...(values.length ? { values: values.map((userEnteredValue) => ({ userEnteredValue })) } : {}) },
    ...(v.allowInvalid ? {} : { strict: true }),
    ...(v.criteria === 'VALUE_IN_LIST' && v.args[1] ? { showCustomUi: true } : {}),
    ...(v.helpText ? { inputMessage: v.helpText } : {}),
  };
}

/** A GridRange as fake bounds: no end row means open downwards. */
function gridToBounds(sheet: FakeSheet, g: any): Bounds {
  const r1 = (g.startRowIndex ?? 0) + 1;
  const c1 = (g.startColumnIndex ?? 0) + 1;
  const c2 = g.endColumnIndex ?? sheet.maxCols;
  return g.endRowIndex === undefined ? { r1, c1, r2: sheet.maxRows, c2, open: r1 > 1 ? 'fromRow' : 'column' } : { r1, c1, r2: g.endRowIndex, c2 };
}

function boundsToGrid(sheetId: number, b: Bounds): any {
  return { sheetId, startRowIndex: b.r1 - 1, ...(b.open ? {} : { endRowIndex: b.r2 }), startColumnIndex: b.c1 - 1, endColumnIndex: b.c2 };
}

/** Replaces the harness's spreadsheet with the emulator's spreadsheet `id`, as the bundle would open it. */
export function loadIntoFake(h: Harness, emulator: GoogleEmulator, id: string): void {
  const model = emulator.spreadsheets.get(id)!;
  const ss = h.ss;
  h.log.quiet(() => {
    ss.timeZone = emulator.timeZones.get(id) ?? 'America/Los_Angeles';
    ss.sheets = model.map((m) => {
      const sheet = new FakeSheet(ss, m.title, m.sheetId);
      sheet.maxRows = Math.max(m.rowCount ?? 1000, m.values.length);
      sheet.maxCols = Math.max(m.columnCount ?? 26, ...m.values.map((r) => r.length));
      sheet.frozenRows = m.frozenRowCount ?? 0;
      for (const [c, px] of m.widths ?? []) sheet.widths.set(c + 1, px);
      const at = (key: string) => key.split(',').map(Number) as [number, number];
      const perCell = <V>(map: Map<string, V> | undefined, apply: (r: number, c: number, v: V) => void) => {
        for (const [key, v] of map ?? []) {
          if (key.startsWith('*,')) for (let r = 2; r <= sheet.maxRows; r++) apply(r, Number(key.slice(2)) + 1, v);
        }
        for (const [key, v] of map ?? []) if (!key.startsWith('*,')) apply(at(key)[0] + 1, at(key)[1] + 1, v);
      };
      perCell(m.formats, (r, c, pattern) => {
        if (pattern) sheet._cellForWrite(r, c).numberFormat = pattern;
      });
      perCell(m.validations, (r, c, rule) => {
        sheet._cellForWrite(r, c).validation = ruleToApp(rule);
      });
      perCell(m.styles, (r, c, style: any) => {
        const cell = sheet._cellForWrite(r, c);
        if (style.backgroundColor) cell.background = toHex(style.backgroundColor);
        if (style.textFormat?.bold) cell.fontWeight = 'bold';
        if (style.horizontalAlignment) cell.horizontalAlignment = ALIGN_TO_APP[style.horizontalAlignment];
        if (style.verticalAlignment) cell.verticalAlignment = ALIGN_TO_APP[style.verticalAlignment];
        if (style.wrapStrategy === 'WRAP') cell.wrap = true;
      });
      for (const [key, note] of m.notes ?? []) sheet._cellForWrite(at(key)[0] + 1, at(key)[1] + 1).note = note;
      m.values.forEach((row, r0) =>
        row.forEach((v, c0) => {
          if (v === null || v === '') return;
          const cell = sheet._cellForWrite(r0 + 1, c0 + 1);
          cell.value = typeof v === 'number' && isDatePattern(cell.numberFormat) ? serialToDate(v) : v;
        }),
      );
      for (const p of m.protectedRanges ?? []) {
        const g = p.range ?? {};
        const whole = g.startRowIndex === undefined && g.endRowIndex === undefined && g.startColumnIndex === undefined && g.endColumnIndex === undefined;
        const protection = new FakeProtection(sheet, whole ? null : new FakeRange(sheet, gridToBounds(sheet, g)), whole ? 'SHEET' : 'RANGE');
        protection.description = p.description ?? '';
        protection.editors = new Set(((p.editors?.users ?? []) as string[]).map((u) => u.toLowerCase()));
        protection.domainEdit = !!p.editors?.domainUsersCanEdit;
        protectionIds.set(protection, p.protectedRangeId);
        sheet.protections.push(protection);
      }
      sheet.cfRules = (m.conditionalFormats ?? []).map((rule) => {
        const b = rule.booleanRule;
        const font = b.format?.textFormat?.foregroundColor;
        const condition = new FakeBooleanCondition(
          b.condition.values[0].userEnteredValue,
          b.format?.backgroundColor ? toHex(b.format.backgroundColor) : null,
          font ? toHex(font) : null,
        );
        return new FakeConditionalFormatRule(
          condition,
          (rule.ranges ?? []).map((g: any) => new FakeRange(sheet, gridToBounds(sheet, g))),
        );
      });
      return sheet;
    });
    ss.activeSheet = ss.sheets[0]!;
  });
}

/** The protectedRangeId a protection had in the model (new ones get fresh IDs on save). */
const protectionIds = new WeakMap<FakeProtection, number>();
let nextProtectionId = 100_000;

/**
 * Writes the fake's spreadsheet back into the emulator's model `id`. A number format or validation every data row
 * of a column shares is kept as the column's (as a whole-column request leaves it); the rest cell by cell.
 */
export function saveFromFake(h: Harness, emulator: GoogleEmulator, id: string): void {
  const ss = h.ss;
  emulator.timeZones.set(id, ss.timeZone);
  const model: EmulatedSheet[] = ss.sheets.map((sheet) => {
    const m: EmulatedSheet = {
      sheetId: sheet.id,
      title: sheet.name,
      values: [],
      rowCount: sheet.maxRows,
      columnCount: sheet.maxCols,
      notes: new Map(),
      formats: new Map(),
      validations: new Map(),
      styles: new Map(),
      widths: new Map([...sheet.widths].map(([c, px]) => [c - 1, px])),
      ...(sheet.frozenRows ? { frozenRowCount: sheet.frozenRows } : {}),
    };
    for (const [key, cell] of sheet.cells) {
      const [r, c] = key.split(',').map(Number) as [number, number];
      const k = `${r - 1},${c - 1}`;
      const v = cell.formula ?? cell.value;
      if (v !== '' && v !== null && v !== undefined) {
        while (m.values.length < r) m.values.push([]);
        const row = m.values[r - 1]!;
        while (row.length < c) row.push(null);
        row[c - 1] = isDate(v) ? dateToSerial(v) : (v as CellValue);
      }
      if (cell.note) m.notes!.set(k, cell.note);
      if (cell.numberFormat) m.formats!.set(k, cell.numberFormat);
      if (cell.validation) m.validations!.set(k, ruleToApi(cell.validation));
      const style = {
        ...(cell.background ? { backgroundColor: toColor(cell.background) } : {}),
        ...(cell.fontWeight === 'bold' ? { textFormat: { bold: true } } : {}),
        ...(cell.horizontalAlignment ? { horizontalAlignment: cell.horizontalAlignment.toUpperCase() } : {}),
        ...(cell.verticalAlignment ? { verticalAlignment: cell.verticalAlignment.toUpperCase() } : {}),
        ...(cell.wrap ? { wrapStrategy: 'WRAP' } : {}),
      };
      if (Object.keys(style).length) m.styles!.set(k, style);
    }
    for (let c0 = 0; c0 < sheet.maxCols; c0++) {
      for (const map of [m.formats!, m.validations!] as Map<string, unknown>[]) {
        const first = map.get(`1,${c0}`);
        if (first === undefined) continue;
        const same = (v: unknown) => JSON.stringify(v) === JSON.stringify(first);
        let all = true;
        for (let r0 = 1; r0 < sheet.maxRows && all; r0++) all = same(map.get(`${r0},${c0}`));
        if (!all) continue;
        for (let r0 = 1; r0 < sheet.maxRows; r0++) map.delete(`${r0},${c0}`);
        map.set(`*,${c0}`, first);
      }
    }
    m.protectedRanges = sheet.protections.map((p) => {
      const range = p.type === 'SHEET' ? { sheetId: sheet.id } : boundsToGrid(sheet.id, p.range!.bounds);
      let protectedRangeId = protectionIds.get(p);
      if (protectedRangeId === undefined) protectionIds.set(p, (protectedRangeId = nextProtectionId++));
      return {
        protectedRangeId,
        description: p.description,
        range,
        warningOnly: false,
        editors: { users: [...p.editors], ...(p.domainEdit ? { domainUsersCanEdit: true } : {}) },
      };
    });
    m.conditionalFormats = sheet.cfRules.map((r) => ({
      ranges: r.ranges.map((x) => boundsToGrid(sheet.id, x.bounds)),
      booleanRule: {
        condition: { type: 'CUSTOM_FORMULA', values: [{ userEnteredValue: r.condition.formula }] },
        format: {
          ...(r.condition.background ? { backgroundColor: toColor(r.condition.background) } : {}),
          ...(r.condition.fontColor ? { textFormat: { foregroundColor: toColor(r.condition.fontColor) } } : {}),
        },
      },
    }));
    return m;
  });
  emulator.spreadsheets.set(id, model);
}
