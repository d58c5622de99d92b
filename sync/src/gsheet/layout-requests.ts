/**
 * The registry layout as Sheets API requests, derived from the core schema and core/layout.ts (the same intent
 * the exceljs renderer and the Apps Script 初始化 use): sheets, headers, frozen rows, widths, formats,
 * dropdowns, checkboxes and protections. Pure: it builds requests, it sends nothing.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import {
  CoopError,
  HEADER_STYLE,
  REGISTRY_SHEETS,
  SPREADSHEET_TIME_ZONE,
  columnLayout,
  conditionalFormatIntents,
  isOurConditionalFormat,
  isOurProtection,
  neutralizeFormula,
  numberFormatOf,
  settingsRows,
  sheetProtections,
  type ColumnLayout,
  type ColumnSpec,
  type Settings,
  type SheetSpec,
} from '../../../core/index.js';
import { columnLetters, quoteSheet, sheetValueFor, type SheetValue } from './cells.js';
import { headerPositions, type PlacedWrite, type RangeWrite } from './table.js';
import { GSHEET_TEXT as T } from './text.js';

type Request = sheets_v4.Schema$Request;

/** `#rrggbb` of core/layout.ts as the API's colour. */
function rgb(hex: string): sheets_v4.Schema$Color {
  const n = Number.parseInt(hex.slice(1), 16);
  return { red: ((n >> 16) & 255) / 255, green: ((n >> 8) & 255) / 255, blue: (n & 255) / 255 };
}
/** The API's colour as `#rrggbb` (components Google leaves out are 0). */
function hexOf(c: sheets_v4.Schema$Color | undefined): string {
  if (!c) return '';
  return `#${[c.red, c.green, c.blue]
    .map((v) =>
      Math.round((v ?? 0) * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}
const NEW_SHEET_ROWS = 1000;
const MIN_COLUMNS = 26;

/** A sheet as the spreadsheet has it before setup. */
export interface ExistingSheet {
  properties: sheets_v4.Schema$SheetProperties;
  protectedRanges: sheets_v4.Schema$ProtectedRange[];
  /** Values of row 1. */
  headerRow: SheetValue[];
  /** Whether the sheet has any row below the header. */
  hasData: boolean;
  /** Its conditional-format rules, so ours are replaced only when they differ. */
  conditionalFormats?: sheets_v4.Schema$ConditionalFormatRule[];
  /**
   * Cells of row 1 (header) and row 2 (the first data row, which a whole-column format or validation reaches), by
   * 0-based column: what is already right is not sent again. Unknown (undefined): everything is sent.
   */
  cells?: { header: sheets_v4.Schema$CellData[]; firstRow: sheets_v4.Schema$CellData[] };
}

export interface SetupPlan {
  /** One spreadsheets.batchUpdate. */
  requests: Request[];
  /** One values.batchUpdate (RAW): missing headers, and 设置's defaults on an empty 设置. */
  values: RangeWrite[];
  addedSheets: string[];
  addedHeaders: string[];
}

function validationRule(column: ColumnSpec, layout: ColumnLayout): sheets_v4.Schema$DataValidationRule | null {
  const intent = layout.validation;
  if (!intent) return null;
  const v = (value: string | number) => ({ userEnteredValue: String(value) });
  let condition: sheets_v4.Schema$BooleanCondition;
  switch (intent.kind) {
    case 'oneOf':
      if (!intent.values.length) return null;
      // Sheets parses each list value as if typed into a cell, so a 设置 item starting with = would become a formula.
      condition = { type: 'ONE_OF_LIST', values: intent.values.map((item) => v(neutralizeFormula(item))) };
      break;
    case 'checkbox':
      condition = { type: 'BOOLEAN' };
      break;
    case 'date':
      condition = { type: 'DATE_BETWEEN', values: [v(intent.min), v(intent.max)] };
      break;
    case 'number':
      condition =
        intent.max === undefined
          ? { type: 'NUMBER_GREATER_THAN_EQ', values: [v(intent.min)] }
          : { type: 'NUMBER_BETWEEN', values: [v(intent.min), v(intent.max)] };
      break;
  }
  // showCustomUi means "show a dropdown", which only a list has (the Apps Script setup's requireValueInList(…, true)).
  return {
    condition,
    strict: layout.rejects,
    ...(intent.kind === 'oneOf' ? { showCustomUi: true } : {}),
    ...(column.hint ? { inputMessage: column.hint } : {}),
  };
}

function columnRange(sheetId: number, col: number, fromRow = 1): sheets_v4.Schema$GridRange {
  return { sheetId, startRowIndex: fromRow, startColumnIndex: col, endColumnIndex: col + 1 };
}

/** A protection of core/layout.ts placed on the sheet: its range, and its editors as Google compares them. */
interface WantedProtection {
  description: string;
  range: sheets_v4.Schema$GridRange;
  users: string[];
}

/**
 * Google lists the spreadsheet's owner (and the account that made the protection) among its editors whatever was
 * asked; those are not differences, or every re-run would delete and re-add every protection.
 */
function sameProtection(have: sheets_v4.Schema$ProtectedRange, want: WantedProtection, implicit: ReadonlySet<string>): boolean {
  const r = have.range ?? {};
  const w = want.range;
  const users = [...new Set((have.editors?.users ?? []).map((u) => u.toLowerCase()))].filter((u) => !implicit.has(u) || want.users.includes(u)).sort();
  return (
    have.description === want.description &&
    (r.sheetId ?? 0) === (w.sheetId ?? 0) &&
    (r.startRowIndex ?? null) === (w.startRowIndex ?? null) &&
    (r.endRowIndex ?? null) === (w.endRowIndex ?? null) &&
    (r.startColumnIndex ?? null) === (w.startColumnIndex ?? null) &&
    (r.endColumnIndex ?? null) === (w.endColumnIndex ?? null) &&
    JSON.stringify(users) === JSON.stringify(want.users)
  );
}

/**
 * Requests that bring a spreadsheet to the registry layout. Idempotent: on a registry already set up the
 * protections are kept as they are, missing sheets and headers are added, data and users' own columns stay.
 * `implicitEditors` are the accounts Google lists on every protection anyway (the owner, the setup account);
 * `timeZone` is the spreadsheet's now (unknown: it is set).
 */
export function setupPlan(
  existing: ReadonlyMap<string, ExistingSheet>,
  settings: Settings,
  implicitEditors: readonly string[] = [],
  timeZone?: string,
): SetupPlan {
  const implicit = new Set(implicitEditors.map((e) => e.toLowerCase()));
  const plan: SetupPlan = { requests: [], values: [], addedSheets: [], addedHeaders: [] };
  if (timeZone !== SPREADSHEET_TIME_ZONE)
    plan.requests.push({ updateSpreadsheetProperties: { properties: { timeZone: SPREADSHEET_TIME_ZONE }, fields: 'timeZone' } });
  const protections: WantedProtection[] = [];
  let nextSheetId = Math.max(0, ...[...existing.values()].map((s) => s.properties.sheetId ?? 0)) + 1;
  for (const spec of REGISTRY_SHEETS) {
    const have = existing.get(spec.name);
    let sheetId: number;
    let headers: Map<string, number>;
    let columnCount: number;
    const added: ColumnSpec[] = [];
    if (!have) {
      sheetId = nextSheetId++;
      columnCount = Math.max(MIN_COLUMNS, spec.columns.length);
      plan.requests.push({
        addSheet: { properties: { sheetId, title: spec.name, gridProperties: { rowCount: NEW_SHEET_ROWS, columnCount, frozenRowCount: 1 } } },
      });
      headers = new Map(spec.columns.map((c, i) => [c.header, i]));
      added.push(...spec.columns);
      plan.addedSheets.push(spec.name);
    } else {
      sheetId = have.properties.sheetId ?? 0;
      headers = headerPositions([have.headerRow]);
      columnCount = have.properties.gridProperties?.columnCount ?? MIN_COLUMNS;
      let next = have.headerRow.length;
      for (const c of spec.columns) {
        if (headers.has(c.header)) continue;
        headers.set(c.header, next++);
        added.push(c);
        plan.addedHeaders.push(`${spec.name}.${c.header}`);
      }
      const gridProperties: sheets_v4.Schema$GridProperties = {};
      const fields: string[] = [];
      if (have.properties.gridProperties?.frozenRowCount !== 1) {
        gridProperties.frozenRowCount = 1;
        fields.push('gridProperties.frozenRowCount');
      }
      if (next > columnCount) {
        gridProperties.columnCount = next;
        fields.push('gridProperties.columnCount');
      }
      if (fields.length) plan.requests.push({ updateSheetProperties: { properties: { sheetId, gridProperties }, fields: fields.join(',') } });
    }
    for (const c of added) {
      const col = headers.get(c.header)!;
      plan.values.push({ range: `${quoteSheet(spec.name)}!${columnLetters(col)}1`, values: [[c.header]] });
      plan.requests.push({
        updateDimensionProperties: {
          range: { sheetId, dimension: 'COLUMNS', startIndex: col, endIndex: col + 1 },
          properties: { pixelSize: columnLayout(spec, c, settings).pixels },
          fields: 'pixelSize',
        },
      });
    }
    plan.requests.push(...columnRequests(spec, sheetId, headers, settings, have?.cells));
    // A sheet protected whole gets no column protections inside it; columns are protected whole, open downwards.
    for (const p of sheetProtections(spec, settings)) {
      protections.push({
        description: p.description,
        range: p.header === undefined ? { sheetId } : columnRange(sheetId, headers.get(p.header)!, 0),
        users: p.editors.map((e) => e.toLowerCase()).sort(),
      });
    }
    if (spec.key === 'projects') plan.requests.push(...conditionalFormatRequests(sheetId, headers, have?.conditionalFormats ?? []));
    if (spec.key === 'settings' && !have?.hasData) plan.values.push(...defaultSettingsValues(spec, headers, settings));
  }
  const sheetIds = new Set([...existing.values()].map((s) => s.properties.sheetId ?? 0));
  const kept = new Set<WantedProtection>();
  for (const sheet of existing.values()) {
    for (const p of sheet.protectedRanges) {
      if (!isOurProtection(p.description) || !sheetIds.has(p.range?.sheetId ?? 0)) continue;
      const same = protections.find((w) => !kept.has(w) && sameProtection(p, w, implicit));
      if (same) kept.add(same);
      else if (p.protectedRangeId !== undefined && p.protectedRangeId !== null)
        plan.requests.push({ deleteProtectedRange: { protectedRangeId: p.protectedRangeId } });
    }
  }
  for (const w of protections) {
    if (kept.has(w)) continue;
    plan.requests.push({
      addProtectedRange: { protectedRange: { description: w.description, range: w.range, warningOnly: false, editors: { users: w.users } } },
    });
  }
  return plan;
}

/**
 * The conditional formats of core/layout.ts on 合作项目, as the Apps Script setup makes them. Ours are recognised
 * by their marker (core/layout.ts); when they already are what they should be nothing is sent, else they are deleted (highest index
 * first) and added again in front of the office's own rules.
 */
function conditionalFormatRequests(sheetId: number, headers: Map<string, number>, current: sheets_v4.Schema$ConditionalFormatRule[]): Request[] {
  const wanted = conditionalFormatIntents((header) => headers.get(header)!, columnLetters).map(
    (intent): sheets_v4.Schema$ConditionalFormatRule => ({
      // Open downwards, as the Apps Script setup's `X2:X`: rows added later are coloured too.
      ranges: [{ sheetId, startRowIndex: 1, startColumnIndex: intent.column, endColumnIndex: intent.column + 1 }],
      booleanRule: {
        condition: { type: 'CUSTOM_FORMULA', values: [{ userEnteredValue: intent.formula }] },
        format: { backgroundColor: rgb(intent.background), ...(intent.font ? { textFormat: { foregroundColor: rgb(intent.font) } } : {}) },
      },
    }),
  );
  const isOurs = (r: sheets_v4.Schema$ConditionalFormatRule) =>
    (r.booleanRule?.condition?.values ?? []).some((v) => isOurConditionalFormat(v.userEnteredValue));
  const signature = (rules: sheets_v4.Schema$ConditionalFormatRule[]) =>
    JSON.stringify(
      rules.map((r) => [
        r.booleanRule?.condition?.values?.map((v) => v.userEnteredValue),
        hexOf(r.booleanRule?.format?.backgroundColor),
        hexOf(r.booleanRule?.format?.textFormat?.foregroundColor),
        r.ranges?.map((g) => [g.startRowIndex ?? 0, g.endRowIndex ?? null, g.startColumnIndex, g.endColumnIndex]),
      ]),
    );
  const ours = current.map((r, i) => ({ r, i })).filter(({ r }) => isOurs(r));
  if (signature(ours.map(({ r }) => r)) === signature(wanted)) return [];
  return [
    ...ours.reverse().map(({ i }) => ({ deleteConditionalFormatRule: { sheetId, index: i } })),
    ...wanted.map((r, index) => ({ addConditionalFormatRule: { rule: r, index } })),
  ];
}

/** A validation rule as comparable text (Google may leave out false flags). */
function ruleSignature(rule: sheets_v4.Schema$DataValidationRule | null | undefined): string {
  if (!rule) return '';
  const c = rule.condition ?? {};
  return JSON.stringify([c.type, (c.values ?? []).map((v) => v.userEnteredValue ?? ''), !!rule.strict, !!rule.showCustomUi, rule.inputMessage ?? '']);
}

/** Whether a header cell already has the look of core/layout.ts. */
function headerLooksRight(cell: sheets_v4.Schema$CellData | undefined, layout: ColumnLayout): boolean {
  const f = cell?.userEnteredFormat ?? {};
  return (
    hexOf(f.backgroundColor) === layout.fill &&
    !!f.textFormat?.bold === HEADER_STYLE.bold &&
    f.horizontalAlignment === HEADER_STYLE.horizontalAlignment.toUpperCase() &&
    f.verticalAlignment === HEADER_STYLE.verticalAlignment.toUpperCase() &&
    (f.wrapStrategy === 'WRAP') === HEADER_STYLE.wrap
  );
}

/**
 * Header look and note, number format and validation of each schema column, wherever it stands now; with the
 * sheet's cells known, only what differs from them (a second run sends nothing).
 */
function columnRequests(spec: SheetSpec, sheetId: number, headers: Map<string, number>, settings: Settings, cells?: ExistingSheet['cells']): Request[] {
  const requests: Request[] = [];
  for (const c of spec.columns) {
    const col = headers.get(c.header)!;
    const header = cells?.header[col];
    const first = cells?.firstRow[col];
    const layout = columnLayout(spec, c, settings);
    if (!cells || !headerLooksRight(header, layout)) {
      requests.push({
        repeatCell: {
          range: { sheetId, startRowIndex: 0, endRowIndex: 1, startColumnIndex: col, endColumnIndex: col + 1 },
          cell: {
            userEnteredFormat: {
              backgroundColor: rgb(layout.fill),
              textFormat: { bold: HEADER_STYLE.bold },
              horizontalAlignment: HEADER_STYLE.horizontalAlignment.toUpperCase(),
              verticalAlignment: HEADER_STYLE.verticalAlignment.toUpperCase(),
              wrapStrategy: HEADER_STYLE.wrap ? 'WRAP' : 'OVERFLOW_CELL',
            },
          },
          fields: 'userEnteredFormat(backgroundColor,textFormat.bold,horizontalAlignment,verticalAlignment,wrapStrategy)',
        },
      });
    }
    const note = layout.note;
    if (note !== (cells ? (header?.note ?? '') : '')) {
      requests.push({
        updateCells: {
          range: { sheetId, startRowIndex: 0, endRowIndex: 1, startColumnIndex: col, endColumnIndex: col + 1 },
          rows: [{ values: [note ? { note } : {}] }],
          fields: 'note',
        },
      });
    }
    const format = layout.format;
    if (format && (!cells || first?.userEnteredFormat?.numberFormat?.pattern !== format.pattern)) {
      requests.push({
        repeatCell: { range: columnRange(sheetId, col), cell: { userEnteredFormat: { numberFormat: format } }, fields: 'userEnteredFormat.numberFormat' },
      });
    }
    const rule = validationRule(c, layout);
    if (!cells || ruleSignature(rule) !== ruleSignature(first?.dataValidation))
      requests.push({ setDataValidation: { range: columnRange(sheetId, col), ...(rule ? { rule } : {}) } });
  }
  return requests;
}

/** 设置's default rows, written under the header of an empty 设置. */
function defaultSettingsValues(spec: SheetSpec, headers: Map<string, number>, settings: Settings): RangeWrite[] {
  const rows = settingsRows(settings);
  if (!rows.length) return [];
  return spec.columns.map((c) => {
    const col = headers.get(c.header)!;
    return {
      range: `${quoteSheet(spec.name)}!${columnLetters(col)}2:${columnLetters(col)}${rows.length + 1}`,
      values: rows.map((r) => [sheetValueFor((r as Record<string, string | null>)[c.key] ?? null, c)]),
    };
  });
}

/** The cell a value goes into: typed as RAW input would type it (strings stay text, never formulas). */
function cellData(value: SheetValue): sheets_v4.Schema$CellData {
  if (value === '') return {};
  if (typeof value === 'number') return { userEnteredValue: { numberValue: value } };
  if (typeof value === 'boolean') return { userEnteredValue: { boolValue: value } };
  return { userEnteredValue: { stringValue: value } };
}

/**
 * One change as the requests of ONE spreadsheets.batchUpdate, which Google applies all or nothing: changed cells
 * of existing rows, their date/money formats and review-stamp notes, and new rows as appendCells, which lands below
 * whatever is the last row when Google applies it (another log row appended meanwhile is never overwritten).
 */
export function writeRequests(placed: PlacedWrite, sheetIds: ReadonlyMap<string, number>): Request[] {
  const id = (title: string) => {
    const sheetId = sheetIds.get(title);
    if (sheetId === undefined) throw new CoopError('REGISTRY_LAYOUT', T.missingSheetId(title));
    return sheetId;
  };
  const requests: Request[] = [];
  for (const r of placed.runs) {
    requests.push({
      updateCells: {
        range: {
          sheetId: id(r.sheet),
          startRowIndex: r.row - 1,
          endRowIndex: r.row - 1 + r.values.length,
          startColumnIndex: r.first,
          endColumnIndex: r.last + 1,
        },
        rows: r.values.map((row) => ({ values: row.map(cellData) })),
        fields: 'userEnteredValue',
      },
    });
  }
  for (const f of placed.formats) {
    const format = numberFormatOf(f.column);
    if (!format) continue;
    requests.push({
      repeatCell: {
        range: { sheetId: id(f.sheet), startRowIndex: f.fromRow - 1, endRowIndex: f.toRow, startColumnIndex: f.col, endColumnIndex: f.col + 1 },
        cell: { userEnteredFormat: { numberFormat: format } },
        fields: 'userEnteredFormat.numberFormat',
      },
    });
  }
  for (const n of placed.notes) {
    requests.push({
      updateCells: {
        range: { sheetId: id(n.sheet), startRowIndex: n.row - 1, endRowIndex: n.row, startColumnIndex: n.col, endColumnIndex: n.col + 1 },
        rows: [{ values: [{ note: n.note }] }],
        fields: 'note',
      },
    });
  }
  for (const a of placed.appends) {
    // Bytes grow with what is written: blanks and unticked boxes (a blank checkbox reads as unticked) go as `{}`,
    // and the mask clears any note a new row might inherit without sending one per cell.
    const rows = a.rows.map((row) => ({
      values: row.map((cell) => {
        if (!cell || (cell.column.type === 'checkbox' && cell.value === false)) return {};
        const data = cellData(cell.value);
        if (cell.note) data.note = cell.note;
        return data;
      }),
    }));
    requests.push({ appendCells: { sheetId: id(a.sheet), rows, fields: 'userEnteredValue,note' } });
    // Date and money formats once per column, down to the grid's end (the append may have grown it), not per cell.
    const formatted = new Map<number, ColumnSpec>();
    a.rows[0]?.forEach((cell, col) => {
      if (cell && numberFormatOf(cell.column)) formatted.set(col, cell.column);
    });
    for (const [col, column] of formatted) {
      requests.push({
        repeatCell: {
          range: { sheetId: id(a.sheet), startRowIndex: 1, startColumnIndex: col, endColumnIndex: col + 1 },
          cell: { userEnteredFormat: { numberFormat: numberFormatOf(column)! } },
          fields: 'userEnteredFormat.numberFormat',
        },
      });
    }
  }
  return requests;
}
