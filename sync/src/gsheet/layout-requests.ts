/**
 * The registry layout as Sheets API requests, derived from the core schema and core/layout.ts (the same intent
 * the exceljs renderer and the Apps Script 初始化 use): sheets, headers, frozen rows, widths, formats,
 * dropdowns, checkboxes and protections. Pure: it builds requests, it sends nothing.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import {
  CoopError,
  DATE_WARNING_COLOURS,
  HEADER_FILLS,
  LAYOUT_TEXT,
  PROTECTION_MARKER,
  REGISTRY_SHEETS,
  STATUSES,
  STATUS_COLOURS,
  columnEditors,
  columnFormatOf,
  columnOf,
  columnPixels,
  columnValidation,
  editorEmails,
  isProtectedColumn,
  neutralizeFormula,
  numberFormatOf,
  projectsSheet,
  protectionDescription,
  settingsRows,
  sheetEditors,
  validationRejects,
  type ColumnSpec,
  type Editors,
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
const HEADER_FILL = rgb(HEADER_FILLS.input);
const SYSTEM_FILL = rgb(HEADER_FILLS.system);
const NEW_SHEET_ROWS = 1000;
const MIN_COLUMNS = 26;
/** What earlier versions of the Apps Script setup named their protections: recognised as ours, and replaced. */
const LEGACY_PROTECTION_PREFIX = 'coop:';

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
}

export interface SetupPlan {
  /** One spreadsheets.batchUpdate. */
  requests: Request[];
  /** One values.batchUpdate (RAW): missing headers, and 设置's defaults on an empty 设置. */
  values: RangeWrite[];
  addedSheets: string[];
  addedHeaders: string[];
}

function validationRule(column: ColumnSpec, settings: Settings): sheets_v4.Schema$DataValidationRule | null {
  const intent = columnValidation(column, settings);
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
  return { condition, strict: validationRejects(intent), showCustomUi: true, ...(column.hint ? { inputMessage: column.hint } : {}) };
}

function columnRange(sheetId: number, col: number, fromRow = 1): sheets_v4.Schema$GridRange {
  return { sheetId, startRowIndex: fromRow, startColumnIndex: col, endColumnIndex: col + 1 };
}

interface WantedProtection {
  description: string;
  range: sheets_v4.Schema$GridRange;
  users: string[];
}

function protectionFor(
  editors: Editors,
  settings: Settings,
  sheetName: string,
  header: string | undefined,
  range: sheets_v4.Schema$GridRange,
): WantedProtection {
  return {
    description: protectionDescription(sheetName, header),
    range,
    users: editorEmails(editors, settings)
      .map((e) => e.toLowerCase())
      .sort(),
  };
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

const isOurProtection = (description: string | null | undefined) =>
  !!description && (description.startsWith(PROTECTION_MARKER) || description.startsWith(LEGACY_PROTECTION_PREFIX));

/**
 * Requests that bring a spreadsheet to the registry layout. Idempotent: on a registry already set up the
 * protections are kept as they are, missing sheets and headers are added, data and users' own columns stay.
 * `implicitEditors` are the accounts Google lists on every protection anyway (the owner, the setup account).
 */
export function setupPlan(existing: ReadonlyMap<string, ExistingSheet>, settings: Settings, implicitEditors: readonly string[] = []): SetupPlan {
  const implicit = new Set(implicitEditors.map((e) => e.toLowerCase()));
  const plan: SetupPlan = { requests: [], values: [], addedSheets: [], addedHeaders: [] };
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
      const gridProperties: sheets_v4.Schema$GridProperties = { frozenRowCount: 1 };
      let fields = 'gridProperties.frozenRowCount';
      if (next > columnCount) {
        gridProperties.columnCount = next;
        fields += ',gridProperties.columnCount';
      }
      plan.requests.push({ updateSheetProperties: { properties: { sheetId, gridProperties }, fields } });
    }
    for (const c of added) {
      const col = headers.get(c.header)!;
      plan.values.push({ range: `${quoteSheet(spec.name)}!${columnLetters(col)}1`, values: [[c.header]] });
      plan.requests.push({
        updateDimensionProperties: {
          range: { sheetId, dimension: 'COLUMNS', startIndex: col, endIndex: col + 1 },
          properties: { pixelSize: columnPixels(c) },
          fields: 'pixelSize',
        },
      });
    }
    plan.requests.push(...columnRequests(spec, sheetId, headers, settings));
    // A sheet protected whole needs no column protections inside it (the Apps Script setup makes none either).
    const whole = sheetEditors(spec);
    if (whole) protections.push(protectionFor(whole, settings, spec.name, undefined, { sheetId }));
    else {
      for (const c of spec.columns) {
        const editors = columnEditors(c);
        if (editors) protections.push(protectionFor(editors, settings, spec.name, c.header, columnRange(sheetId, headers.get(c.header)!, 0)));
      }
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

/** Our conditional-format formulas carry this no-op term (as the Apps Script setup's do), to tell them from the office's own. */
const CF_MARK = 'N("coop")=0';

/**
 * The conditional formats of core/layout.ts on 合作项目, as the Apps Script setup makes them: the 结束日期 warnings,
 * then the 状态 colours. Ours are recognised by CF_MARK; when they already are what they should be nothing is sent,
 * else they are deleted (highest index first) and added again in front of the office's own rules.
 */
function conditionalFormatRequests(sheetId: number, headers: Map<string, number>, current: sheets_v4.Schema$ConditionalFormatRule[]): Request[] {
  const colOf = (key: string) => headers.get(columnOf(projectsSheet, key).header)!;
  const [status, start, end] = [colOf('status'), colOf('startDate'), colOf('endDate')].map(columnLetters) as [string, string, string];
  const on = (col: number) => [{ sheetId, startRowIndex: 1, startColumnIndex: col, endColumnIndex: col + 1 }];
  const rule = (formula: string, col: number, background: string, font?: string): sheets_v4.Schema$ConditionalFormatRule => ({
    ranges: on(col),
    booleanRule: {
      condition: { type: 'CUSTOM_FORMULA', values: [{ userEnteredValue: `=AND(${CF_MARK},${formula})` }] },
      format: { backgroundColor: rgb(background), ...(font ? { textFormat: { foregroundColor: rgb(font) } } : {}) },
    },
  });
  const wanted = [
    rule(`$${end}2<>"",$${end}2<TODAY(),$${status}2="已生效"`, colOf('endDate'), DATE_WARNING_COLOURS.overdue.background, DATE_WARNING_COLOURS.overdue.font),
    rule(`ISNUMBER($${start}2),ISNUMBER($${end}2),$${end}2<$${start}2`, colOf('endDate'), DATE_WARNING_COLOURS.endBeforeStart.background),
    ...STATUSES.map((s) => rule(`$${status}2="${s}"`, colOf('status'), STATUS_COLOURS[s])),
  ];
  const isOurs = (r: sheets_v4.Schema$ConditionalFormatRule) => (r.booleanRule?.condition?.values ?? []).some((v) => v.userEnteredValue?.includes(CF_MARK));
  const signature = (rules: sheets_v4.Schema$ConditionalFormatRule[]) =>
    JSON.stringify(
      rules.map((r) => [r.booleanRule?.condition?.values?.map((v) => v.userEnteredValue), r.ranges?.map((g) => [g.startColumnIndex, g.endColumnIndex])]),
    );
  const ours = current.map((r, i) => ({ r, i })).filter(({ r }) => isOurs(r));
  if (signature(ours.map(({ r }) => r)) === signature(wanted)) return [];
  return [
    ...ours.reverse().map(({ i }) => ({ deleteConditionalFormatRule: { sheetId, index: i } })),
    ...wanted.map((r, index) => ({ addConditionalFormatRule: { rule: r, index } })),
  ];
}

/** Header look and note, number format and validation of each schema column, wherever it stands now. */
function columnRequests(spec: SheetSpec, sheetId: number, headers: Map<string, number>, settings: Settings): Request[] {
  const requests: Request[] = [];
  for (const c of spec.columns) {
    const col = headers.get(c.header)!;
    requests.push({
      repeatCell: {
        range: { sheetId, startRowIndex: 0, endRowIndex: 1, startColumnIndex: col, endColumnIndex: col + 1 },
        cell: {
          userEnteredFormat: {
            backgroundColor: isProtectedColumn(c) ? SYSTEM_FILL : HEADER_FILL,
            textFormat: { bold: true },
            horizontalAlignment: 'CENTER',
            verticalAlignment: 'MIDDLE',
            wrapStrategy: 'WRAP',
          },
        },
        fields: 'userEnteredFormat(backgroundColor,textFormat.bold,horizontalAlignment,verticalAlignment,wrapStrategy)',
      },
    });
    const note = c.hint ?? (isProtectedColumn(c) ? LAYOUT_TEXT.systemColumn : undefined);
    if (note) {
      requests.push({
        updateCells: {
          range: { sheetId, startRowIndex: 0, endRowIndex: 1, startColumnIndex: col, endColumnIndex: col + 1 },
          rows: [{ values: [{ note }] }],
          fields: 'note',
        },
      });
    }
    const format = columnFormatOf(spec, c);
    if (format) {
      requests.push({
        repeatCell: { range: columnRange(sheetId, col), cell: { userEnteredFormat: { numberFormat: format } }, fields: 'userEnteredFormat.numberFormat' },
      });
    }
    const rule = validationRule(c, settings);
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
