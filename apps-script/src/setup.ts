/**
 * 初始化/修复登记表: brings the spreadsheet to the core schema — sheets, headers, validations, protections,
 * conditional formats, frozen headers, widths. Idempotent, never touches data, keeps user-added columns.
 * Service calls grow with the number of columns, never with the number of rows.
 */
import {
  HEADER_STYLE,
  REGISTRY_SHEETS,
  SPREADSHEET_TIME_ZONE,
  columnLayout,
  conditionalFormatIntents,
  defaultSettings,
  isOurConditionalFormat,
  isOurProtection,
  settingsRows,
  settingsSheet,
  sheetProtections,
  type ColumnSpec,
  type Settings,
  type SheetSpec,
} from '../../core/index.js';
import { freshSettings, ownerEmail, spreadsheetUrl } from './registry.js';
import { headerIndex, indexToLetters, isDate, sheetDate, toDomain, toSheet } from './table.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export interface SetupReport {
  sheets: number;
  addedColumns: number;
}

export function setupRegistry(ss: Spreadsheet): SetupReport {
  if (ss.getSpreadsheetTimeZone() !== SPREADSHEET_TIME_ZONE) ss.setSpreadsheetTimeZone(SPREADSHEET_TIME_ZONE);
  let settings = defaultSettings();
  let addedColumns = 0;
  // Stored now, so a tick that ends in a mail need not fetch it (every tick stays within its call budget).
  spreadsheetUrl(ss);
  const owner = ownerEmail(ss);
  // Missing sheets are added after the others in schema order (the API setup's tab order); then 设置 is set up first:
  // dropdowns and protections are built from it.
  for (const spec of REGISTRY_SHEETS) if (!ss.getSheetByName(spec.name)) ss.insertSheet(spec.name, ss.getSheets().length);
  const ordered = [settingsSheet, ...REGISTRY_SHEETS.filter((s) => s.key !== 'settings')];
  for (const spec of ordered) {
    const sheet = ss.getSheetByName(spec.name)!;
    const { index, added } = ensureHeaders(sheet, spec);
    addedColumns += added.length;
    if (spec.key === 'settings') {
      // 设置 is text before anything is written into it: `12-01` typed or written stays `12-01`, not a date.
      for (const column of spec.columns) applyColumnFormat(sheet, spec, column, index.get(column.header)! + 1, sheet.getMaxRows(), settings);
      fillDefaultSettings(sheet, index);
      settings = freshSettings(ss).parsed.settings;
    }
    const maxRows = sheet.getMaxRows();
    if (sheet.getFrozenRows() !== 1) sheet.setFrozenRows(1);
    styleHeader(sheet, spec, index, settings);
    for (const header of added)
      sheet.setColumnWidth(index.get(header)! + 1, columnLayout(spec, spec.columns.find((c) => c.header === header)!, settings).pixels);
    for (const column of spec.columns) applyColumnFormat(sheet, spec, column, index.get(column.header)! + 1, maxRows, settings);
    protect(sheet, spec, index, settings, owner);
    if (spec.key === 'projects') conditionalFormats(sheet, index);
  }
  return { sheets: ordered.length, addedColumns };
}

/** Appends the schema's missing headers after the last column in use; existing columns stay where users put them. */
function ensureHeaders(sheet: Sheet, spec: SheetSpec): { index: Map<string, number>; added: string[] } {
  const lastCol = sheet.getLastColumn();
  const header = lastCol ? sheet.getRange(1, 1, 1, lastCol).getValues()[0]! : [];
  const index = headerIndex(header);
  const added = spec.columns.map((c) => c.header).filter((h) => !index.has(h));
  if (added.length) {
    const needed = lastCol + added.length - sheet.getMaxColumns();
    if (needed > 0) sheet.insertColumnsAfter(sheet.getMaxColumns(), needed);
    sheet.getRange(1, lastCol + 1, 1, added.length).setValues([added]);
    added.forEach((h, i) => index.set(h, lastCol + i));
  }
  return { index, added };
}

/** A new 设置 sheet gets the school's defaults; one that has rows is the office's and is left alone. */
function fillDefaultSettings(sheet: Sheet, index: Map<string, number>): void {
  if (sheet.getLastRow() > 1) return;
  const width = Math.max(...index.values()) + 1;
  const grid = settingsRows(defaultSettings()).map((row) => {
    const values = Array.from({ length: width }, () => '' as unknown);
    for (const c of settingsSheet.columns) values[index.get(c.header)!] = toSheet(row[c.key as keyof typeof row] ?? null, c);
    return values;
  });
  sheet.getRange(2, 1, grid.length, width).setValues(grid);
}

/**
 * Header look and hints (core/layout.ts), one batch per run of adjacent schema columns; each attribute is read
 * first and written only when it differs, so a second run writes nothing.
 */
function styleHeader(sheet: Sheet, spec: SheetSpec, index: Map<string, number>, settings: Settings): void {
  for (const run of runs(spec, index)) {
    const range = sheet.getRange(1, run.start + 1, 1, run.columns.length);
    const looks = run.columns.map((c) => columnLayout(spec, c, settings));
    const fills = looks.map((l) => l.fill);
    if (range.getBackgrounds()[0]!.some((b, i) => b.toLowerCase() !== fills[i])) range.setBackgrounds([fills]);
    if (range.getFontWeights()[0]!.some((w) => (w === 'bold') !== HEADER_STYLE.bold)) range.setFontWeight(HEADER_STYLE.bold ? 'bold' : 'normal');
    if (range.getHorizontalAlignments()[0]!.some((a) => a !== HEADER_STYLE.horizontalAlignment)) range.setHorizontalAlignment(HEADER_STYLE.horizontalAlignment);
    if (range.getVerticalAlignments()[0]!.some((a) => a !== HEADER_STYLE.verticalAlignment)) range.setVerticalAlignment(HEADER_STYLE.verticalAlignment);
    if (range.getWraps()[0]!.some((w) => w !== HEADER_STYLE.wrap)) range.setWrap(HEADER_STYLE.wrap);
    const notes = looks.map((l) => l.note);
    if (range.getNotes()[0]!.some((n, i) => n !== notes[i])) range.setNotes([notes]);
  }
}

function runs(spec: SheetSpec, index: Map<string, number>): { start: number; columns: ColumnSpec[] }[] {
  const byPosition = spec.columns.map((c) => ({ c, i: index.get(c.header)! })).sort((a, b) => a.i - b.i);
  const out: { start: number; columns: ColumnSpec[] }[] = [];
  for (const { c, i } of byPosition) {
    const last = out[out.length - 1];
    if (last && last.start + last.columns.length === i) last.columns.push(c);
    else out.push({ start: i, columns: [c] });
  }
  return out;
}

/** Translates the core's validation intent (core/layout.ts) into a SpreadsheetApp rule. */
function validationFor(column: ColumnSpec, layout: ReturnType<typeof columnLayout>): GoogleAppsScript.Spreadsheet.DataValidation | null {
  const intent = layout.validation;
  if (!intent) return null;
  const builder = SpreadsheetApp.newDataValidation();
  switch (intent.kind) {
    case 'oneOf':
      if (!intent.values.length) return null;
      builder.requireValueInList([...intent.values], true);
      break;
    case 'checkbox':
      builder.requireCheckbox();
      break;
    case 'date':
      // Calendar dates as the sheet holds them (school midnight), as the API setup's DATE_BETWEEN '1990-01-01'.
      builder.requireDateBetween(sheetDate(intent.min), sheetDate(intent.max));
      break;
    case 'number':
      if (intent.max === undefined) builder.requireNumberGreaterThanOrEqualTo(intent.min);
      else builder.requireNumberBetween(intent.min, intent.max);
      break;
  }
  builder.setAllowInvalid(!layout.rejects);
  if (column.hint) builder.setHelpText(column.hint);
  return builder.build();
}

/** A rule as comparable text: dates as calendar dates, so a rule the API setup made compares equal to ours. */
function validationSignature(rule: GoogleAppsScript.Spreadsheet.DataValidation | null): string {
  if (!rule) return '';
  const values = rule.getCriteriaValues().map((v) => (isDate(v) ? toDomain(v, undefined) : v));
  return JSON.stringify([String(rule.getCriteriaType()), values, rule.getAllowInvalid(), rule.getHelpText()]);
}

/** Number format and validation of a column's data rows, each written only where some row lacks it. */
function applyColumnFormat(sheet: Sheet, spec: SheetSpec, column: ColumnSpec, col: number, maxRows: number, settings: Settings): void {
  const layout = columnLayout(spec, column, settings);
  const format = layout.format?.pattern;
  const validation = validationFor(column, layout);
  if ((!format && !validation) || maxRows < 2) return;
  const range = sheet.getRange(2, col, maxRows - 1, 1);
  if (format && range.getNumberFormats().some((row) => row[0] !== format)) range.setNumberFormat(format);
  if (validation) {
    const wanted = validationSignature(validation);
    if (range.getDataValidations().some((row) => validationSignature(row[0] ?? null) !== wanted)) range.setDataValidation(validation);
  }
}

/**
 * The real enforcement: columns the workflow owns are writable only by the owner and the office (menu actions run
 * as whoever clicks), each review column only by its department's approvers (and the office); 审批记录 and 设置 likewise.
 */
function protect(sheet: Sheet, spec: SheetSpec, index: Map<string, number>, settings: Settings, owner: string): void {
  const protections = sheetProtections(spec, settings);
  const whole = protections.find((p) => p.header === undefined);
  if (whole) {
    const existing = sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET)[0];
    const protection = existing ?? sheet.protect().setDescription(whole.description);
    if (protection.getDescription() !== whole.description) protection.setDescription(whole.description);
    setEditors(protection, whole.editors, owner);
    return;
  }
  const wanted = new Map(protections.map((p) => [p.description, { col: index.get(p.header!)! + 1, editors: p.editors }]));
  if (!wanted.size) return;
  const existing = sheet.getProtections(SpreadsheetApp.ProtectionType.RANGE).filter((p) => isOurProtection(p.getDescription()));
  for (const p of existing) {
    const want = wanted.get(p.getDescription());
    if (!want) {
      p.remove();
      continue;
    }
    wanted.delete(p.getDescription());
    // The whole column, open-ended as the API setup's range: rows added later are protected too.
    const a1 = wholeColumn(want.col);
    if (p.getRange().getA1Notation() !== a1) p.setRange(sheet.getRange(a1));
    setEditors(p, want.editors, owner);
  }
  for (const [description, want] of wanted) {
    const p = sheet.getRange(wholeColumn(want.col)).protect().setDescription(description);
    setEditors(p, want.editors, owner);
  }
}

const wholeColumn = (col: number) => `${indexToLetters(col)}:${indexToLetters(col)}`;

function setEditors(p: GoogleAppsScript.Spreadsheet.Protection, wanted: readonly string[], owner: string): void {
  const want = new Set([...wanted, ...(owner ? [owner] : [])].map((e) => e.toLowerCase()));
  const current = p.getEditors().map((u) => u.getEmail().toLowerCase());
  const extra = current.filter((e) => !want.has(e) && e !== owner);
  const missing = [...want].filter((e) => !current.includes(e));
  if (extra.length) p.removeEditors(extra);
  if (missing.length) p.addEditors(missing);
  if (p.canDomainEdit()) p.setDomainEdit(false);
}

/** Status colours, agreements past their end date still 已生效, and an end date before the start (core/layout.ts). */
function conditionalFormats(sheet: Sheet, index: Map<string, number>): void {
  const ours = conditionalFormatIntents((header) => index.get(header)! + 1, indexToLetters).map((intent) => {
    const letter = indexToLetters(intent.column);
    // Open downwards (`X2:X`), as the API setup's ranges: rows added later are coloured too.
    const b = SpreadsheetApp.newConditionalFormatRule()
      .whenFormulaSatisfied(intent.formula)
      .setBackground(intent.background)
      .setRanges([sheet.getRange(`${letter}2:${letter}`)]);
    if (intent.font) b.setFontColor(intent.font);
    return b.build();
  });
  const current = sheet.getConditionalFormatRules();
  const isOurs = (r: GoogleAppsScript.Spreadsheet.ConditionalFormatRule) => (r.getBooleanCondition()?.getCriteriaValues() ?? []).some(isOurConditionalFormat);
  const signature = (rules: GoogleAppsScript.Spreadsheet.ConditionalFormatRule[]) =>
    JSON.stringify(
      rules.map((r) => [
        r.getBooleanCondition()?.getCriteriaValues(),
        r.getBooleanCondition()?.getBackground()?.toLowerCase(),
        r.getBooleanCondition()?.getFontColor()?.toLowerCase() ?? null,
        r.getRanges().map((x) => x.getA1Notation()),
      ]),
    );
  const theirs = current.filter((r) => !isOurs(r));
  if (signature(current.filter(isOurs)) === signature(ours)) return;
  sheet.setConditionalFormatRules([...ours, ...theirs]);
}
