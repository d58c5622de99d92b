/**
 * The layout intent every renderer of the registry shares (exceljs, Sheets API requests, SpreadsheetApp):
 * which validation a column gets, which number format, and who may edit it. Renderers translate; none decides.
 */
import { STATUSES, type ReviewDepartment, type Status } from './enums.js';
import { LAYOUT_TEXT } from './messages.js';
import { projectsSheet, type ColumnSpec, type SheetSpec } from './schema.js';
import type { Settings } from './settings.js';

/** The shared spreadsheet's time zone, set by both setups: the school's, so TODAY() and typed dates are the school's. */
export const SPREADSHEET_TIME_ZONE = 'Asia/Shanghai';

/** Dates outside this span are typing mistakes, not cooperation dates. */
export const DATE_RANGE = { min: '1990-01-01', max: '2100-12-31' } as const;

export type ColumnValidation =
  /** A dropdown: the enum of the schema, or a list kept in 设置. */
  | { kind: 'oneOf'; values: readonly string[] }
  | { kind: 'checkbox' }
  | { kind: 'date'; min: string; max: string }
  | { kind: 'number'; integer: boolean; min: number; max?: number };

/** The validation a column gets, or null for free text. */
export function columnValidation(column: ColumnSpec, settings: Pick<Settings, 'departments' | 'majors'>): ColumnValidation | null {
  switch (column.type) {
    case 'enum':
      return { kind: 'oneOf', values: column.enum ?? [] };
    case 'list':
      return { kind: 'oneOf', values: settings[column.list!] };
    case 'checkbox':
      return { kind: 'checkbox' };
    case 'date':
      return { kind: 'date', ...DATE_RANGE };
    case 'money':
      return { kind: 'number', integer: false, min: 0 };
    case 'integer':
      return { kind: 'number', integer: true, min: 0 };
    case 'year':
      return { kind: 'number', integer: true, min: 2000, max: 2100 };
    default:
      return null;
  }
}

/** Number formats in the pattern syntax Excel, LibreOffice and Google Sheets all read. */
export const NUMBER_FORMATS = { date: 'yyyy-mm-dd', money: '#,##0.00', text: '@' } as const;

/** Columns whose digits must stay exact (credit codes, IDs, phones): formatted as text, so Excel never rounds them to 15 digits. */
export function isDigitsTextColumn(column: ColumnSpec): boolean {
  return column.type === 'creditCode' || column.type === 'id' || column.type === 'phone';
}

export function numberFormatOf(column: ColumnSpec): { type: 'DATE' | 'NUMBER'; pattern: string } | null {
  if (column.type === 'date') return { type: 'DATE', pattern: NUMBER_FORMATS.date };
  if (column.type === 'money') return { type: 'NUMBER', pattern: NUMBER_FORMATS.money };
  return null;
}

/** The plain-text format: what is typed stays exactly as typed (no date, number or formula parsing). */
export const TEXT_FORMAT = '@';

/**
 * The format a column's data cells get in the shared sheet, from both setups. Text that looks like a number or a
 * date must stay text: phone numbers, credit codes, IDs, and every cell of 设置 (a value such as `12-01` would
 * otherwise become a date when the Apps Script writes it).
 */
export function columnFormatOf(sheet: Pick<SheetSpec, 'key'>, column: ColumnSpec): { type: 'DATE' | 'DATE_TIME' | 'NUMBER' | 'TEXT'; pattern: string } | null {
  if (sheet.key === 'settings') return { type: 'TEXT', pattern: TEXT_FORMAT };
  switch (column.type) {
    case 'date':
    case 'money':
      return numberFormatOf(column);
    case 'timestamp':
      return { type: 'DATE_TIME', pattern: 'yyyy-mm-dd hh:mm:ss' };
    case 'integer':
    case 'year':
      return { type: 'NUMBER', pattern: '0' };
    default:
      return isDigitsTextColumn(column) ? { type: 'TEXT', pattern: TEXT_FORMAT } : null;
  }
}

/** Header fills: the office's columns light blue, the system's grey (people should not type there). */
export const HEADER_FILLS = { input: '#ddebf7', system: '#e7e6e6' } as const;

/** How every schema header cell looks, in both setups: bold, centred both ways, wrapped. */
export const HEADER_STYLE = { bold: true, horizontalAlignment: 'center', verticalAlignment: 'middle', wrap: true } as const;

/** A header's fill: grey for the columns people should not type in, light blue for the office's. */
export function headerFill(column: ColumnSpec): string {
  return isProtectedColumn(column) ? HEADER_FILLS.system : HEADER_FILLS.input;
}

/** The note on a header: the column's hint, else, on system columns, why not to type there. */
export function headerNote(column: ColumnSpec): string {
  return column.hint ?? (isProtectedColumn(column) ? LAYOUT_TEXT.systemColumn : '');
}

/** Schema widths count characters; both setups turn them into pixels with this one factor (CJK text, 10 pt). */
export const PIXELS_PER_CHAR = 14;

/** A column's width in pixels: its character width plus a margin for the dropdown arrow or checkbox. */
export function columnPixels(column: Pick<ColumnSpec, 'width'>): number {
  return (column.width + 2) * PIXELS_PER_CHAR;
}

/** Background of the 状态 cell for each status (conditional formats of 合作项目). */
export const STATUS_COLOURS: Record<Status, string> = {
  草稿: '#f3f3f3',
  待审查: '#fff2cc',
  审查中: '#fce5cd',
  待审议: '#cfe2f3',
  已批准: '#d9ead3',
  未批准: '#ead1dc',
  已生效: '#b6d7a8',
  已到期: '#d9d9d9',
  已终止: '#cccccc',
};

/** Warnings on 结束日期: an agreement past its end still 已生效, and an end before the start. */
export const DATE_WARNING_COLOURS = {
  overdue: { background: '#ea9999', font: '#990000' },
  endBeforeStart: { background: '#f4cccc' },
} as const;

/**
 * Whether a validation rejects what breaks it or only flags it. Dropdowns and checkboxes reject (a status typed
 * freely is no status); dates and numbers only warn, so a person can paste a whole row and fix it afterwards,
 * and 校验全部 / the edit trigger explain the problem in Chinese.
 */
export function validationRejects(validation: ColumnValidation): boolean {
  return validation.kind === 'oneOf' || validation.kind === 'checkbox';
}

/** Every protection the system makes is named with this marker, by both setups; others' protections are left alone. */
export const PROTECTION_MARKER = 'coop：';

/** What earlier versions of the Apps Script setup named their protections: recognised as ours, and replaced. */
export const LEGACY_PROTECTION_PREFIX = 'coop:';

/** Whether a protection is one the system made (by either setup, now or earlier), rather than the office's own. */
export function isOurProtection(description: string | null | undefined): boolean {
  return !!description && (description.startsWith(PROTECTION_MARKER) || description.startsWith(LEGACY_PROTECTION_PREFIX));
}

/** Our conditional-format formulas carry this no-op term, so repair can tell them from the office's own rules. */
export const CF_MARK = 'N("coop")=0';

/** Whether a conditional-format formula is one the system made (either setup), rather than the office's own rule. */
export function isOurConditionalFormat(formula: unknown): boolean {
  return typeof formula === 'string' && formula.includes(CF_MARK);
}

/** One conditional format of 合作项目: its custom formula (row 2 relative), the column it colours, and the look. */
export interface ConditionalFormatIntent {
  formula: string;
  /** The coloured column's position, as the renderer's `position` gave it. */
  column: number;
  background: string;
  font?: string;
}

/**
 * The conditional formats of 合作项目, in order: agreements past their end date still 已生效, an end before the
 * start, then one colour per status. `position` finds a header where it stands now (users move columns), in the
 * renderer's own numbering; `letters` names that position in A1 notation.
 */
export function conditionalFormatIntents(position: (header: string) => number, letters: (position: number) => string): ConditionalFormatIntent[] {
  const at = (key: string) => position(projectsSheet.columns.find((c) => c.key === key)!.header);
  const [statusAt, endAt] = [at('status'), at('endDate')];
  const [status, start, end] = [letters(statusAt), letters(at('startDate')), letters(endAt)];
  const marked = (formula: string) => `=AND(${CF_MARK},${formula})`;
  return [
    {
      formula: marked(`$${end}2<>"",$${end}2<TODAY(),$${status}2="已生效"`),
      column: endAt,
      background: DATE_WARNING_COLOURS.overdue.background,
      font: DATE_WARNING_COLOURS.overdue.font,
    },
    {
      formula: marked(`ISNUMBER($${start}2),ISNUMBER($${end}2),$${end}2<$${start}2`),
      column: endAt,
      background: DATE_WARNING_COLOURS.endBeforeStart.background,
    },
    ...STATUSES.map((s): ConditionalFormatIntent => ({ formula: marked(`$${status}2="${s}"`), column: statusAt, background: STATUS_COLOURS[s] })),
  ];
}

/** The description of a protection: one text for both setups, so each recognises the other's. */
export function protectionDescription(sheetName: string, header?: string): string {
  return `${PROTECTION_MARKER}${sheetName}${header ? `·${header}` : ''}`;
}

/** Columns only the system or a workflow step writes: shown grey, protected in the shared sheet. */
export function isProtectedColumn(column: ColumnSpec): boolean {
  return column.setBy === 'system' || column.setBy === 'workflow';
}

/** Who may edit a protected range (the spreadsheet owner always can). */
export type Editors = { role: 'office' } | { role: 'approvers'; department: ReviewDepartment };

/** The protection a column needs: each review column for its department's approvers, other system columns for the office. */
export function columnEditors(column: ColumnSpec): Editors | null {
  if (column.reviewDepartment) return { role: 'approvers', department: column.reviewDepartment };
  return isProtectedColumn(column) ? { role: 'office' } : null;
}

/**
 * Sheets protected as a whole: the append-only review log, and 设置 — it names the approvers, so whoever
 * could edit it could make themselves one.
 */
export function sheetEditors(sheet: SheetSpec): Editors | null {
  return sheet.appendOnly || sheet.key === 'settings' ? { role: 'office' } : null;
}

/**
 * The e-mail addresses an `Editors` stands for under these settings. The office may edit review columns too:
 * 退回修改 runs as the office member who clicks it and must clear the ticks; a tick by anyone but the
 * department's approvers is still undone by the sheet's edit trigger and logged as 越权尝试.
 */
export function editorEmails(editors: Editors, settings: Pick<Settings, 'approvers' | 'officeStaff'>): string[] {
  const office = [...settings.officeStaff];
  return editors.role === 'office' ? office : [...new Set([...settings.approvers[editors.department], ...office])];
}

/** A protection the system wants on a sheet: its description, who may edit it (besides the owner), and its column. */
export interface WantedProtection {
  description: string;
  editors: string[];
  /** The protected column's header; absent when the whole sheet is protected. */
  header?: string;
}

/** The protections a sheet gets under these settings: the whole sheet (no column protections inside it), or one per protected column. */
export function sheetProtections(sheet: SheetSpec, settings: Pick<Settings, 'approvers' | 'officeStaff'>): WantedProtection[] {
  const whole = sheetEditors(sheet);
  if (whole) return [{ description: protectionDescription(sheet.name), editors: editorEmails(whole, settings) }];
  return sheet.columns.flatMap((column) => {
    const editors = columnEditors(column);
    return editors ? [{ description: protectionDescription(sheet.name, column.header), editors: editorEmails(editors, settings), header: column.header }] : [];
  });
}

/** How one schema column is laid out by either setup: header look, width, data-row format, validation and its strictness. */
export interface ColumnLayout {
  fill: string;
  note: string;
  pixels: number;
  format: ReturnType<typeof columnFormatOf>;
  validation: ColumnValidation | null;
  rejects: boolean;
}

export function columnLayout(sheet: SheetSpec, column: ColumnSpec, settings: Pick<Settings, 'departments' | 'majors'>): ColumnLayout {
  const validation = columnValidation(column, settings);
  return {
    fill: headerFill(column),
    note: headerNote(column),
    pixels: columnPixels(column),
    format: columnFormatOf(sheet, column),
    validation,
    rejects: !!validation && validationRejects(validation),
  };
}
