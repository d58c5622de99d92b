/** Row parsing: zod schemas derived from the declarative schema turn raw cells into typed rows or problems. */
import { z } from 'zod';
import { isCalendarDate } from './dates.js';
import { FOREIGN_PARTNER_KIND, PRACTICE_BASE_CATEGORY } from './enums.js';
import { ID_PATTERNS } from './ids.js';
import { RULE_TEXT as R } from './messages.js';
import { CELL_TEXT_LIMIT, checkCreditCode, creditCodeCheckCharacter, isEmail, isInternationalPhone, isMoney, isPhone, normalizeName } from './rules.js';
import { DATE_RANGE } from './layout.js';
import { suggestOption } from './import-values.js';
import { columnOf, partnersSheet, projectsSheet, type ColumnSpec, type PartnerRow, type ProjectRow, type RowOf, type SheetSpec } from './schema.js';
import type { Settings } from './settings.js';

/** What a spreadsheet cell holds once an adapter has read it: dates already as `YYYY-MM-DD`. */
export type CellValue = string | number | boolean | null;
export type RawCells = Record<string, CellValue>;

/** One broken cell (or row), located for a person to find and fix. */
export interface Problem {
  sheet: string;
  /** 1-based sheet row; absent for a row not yet in a sheet. */
  row?: number;
  /** Column header; absent when the whole row is at fault. */
  column?: string;
  /** Short rule name, e.g. 必填, 统一社会信用代码. */
  rule: string;
  message: string;
  value?: CellValue;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

interface IssueParams {
  rule: string;
}

function blank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

const LIST_NAMES = { departments: '系部', majors: '专业' } as const;

/** The sheet whose ID a column holds: its own for the ID column, the referenced one for a reference. */
function idSheetOf(sheet: SheetSpec, column: ColumnSpec): SheetSpec['key'] | undefined {
  return column.ref?.sheet ?? (column.key === sheet.idColumn ? sheet.key : undefined);
}

const ID_FORMAT_TEXT: Partial<Record<SheetSpec['key'], string>> = { partners: R.partnerIdFormat, projects: R.projectIdFormat };

/** The zod type for one column: blank → null (or false), otherwise the column's rule. */
function columnType(sheet: SheetSpec, column: ColumnSpec, settings: Settings): z.ZodType<unknown> {
  const fail = (ctx: z.RefinementCtx, rule: string, message: string) => {
    ctx.addIssue({ code: 'custom', message, params: { rule } satisfies IssueParams });
    return z.NEVER;
  };
  return z.unknown().transform((value, ctx) => {
    if (column.type === 'checkbox') {
      if (blank(value) || value === false || value === 'FALSE') return false;
      if (value === true || value === 'TRUE') return true;
      return fail(ctx, '勾选框', R.checkbox);
    }
    if (blank(value)) {
      if (column.required) return fail(ctx, '必填', R.required);
      return null;
    }
    switch (column.type) {
      case 'money':
      case 'integer':
      case 'year': {
        const n = asNumber(value);
        if (column.type === 'money') return n !== undefined && isMoney(n) ? n : fail(ctx, '金额', R.money);
        if (column.type === 'year') return n !== undefined && Number.isInteger(n) && n >= 2000 && n <= 2100 ? n : fail(ctx, '年份', R.year);
        return n !== undefined && Number.isInteger(n) && n >= 0 ? n : fail(ctx, '整数', R.integer);
      }
      case 'date':
        if (!isCalendarDate(value)) return fail(ctx, '日期', R.date);
        // The same span the workbook's own date validation allows, so a value is refused alike in both places.
        return value >= DATE_RANGE.min && value <= DATE_RANGE.max ? value : fail(ctx, '日期', R.dateRange(DATE_RANGE.min, DATE_RANGE.max));
      case 'timestamp':
        return typeof value === 'string' && TIMESTAMP.test(value) ? value : fail(ctx, '时间', R.timestamp);
    }
    const text = asText(value);
    if (text === undefined) return fail(ctx, '文本', R.text);
    if (text.length > CELL_TEXT_LIMIT) return fail(ctx, '长度', R.tooLong(text.length, CELL_TEXT_LIMIT));
    switch (column.type) {
      case 'enum': {
        if (column.enum!.includes(text)) return text;
        // A near miss gets a suggestion in the message, never a silent correction (sought only for a miss: it is costly).
        const hint = suggestOption(text, column.enum!);
        return fail(ctx, '下拉选项', R.enum(column.enum!) + (hint ? R.didYouMean(hint) : ''));
      }
      case 'list': {
        const allowed = settings[column.list!];
        if (allowed.includes(text)) return text;
        const hint = suggestOption(text, allowed);
        return fail(ctx, '下拉选项', R.list(LIST_NAMES[column.list!], allowed) + (hint ? R.didYouMean(hint) : ''));
      }
      case 'email':
        return isEmail(text) ? text : fail(ctx, '电子邮箱', R.email);
      case 'phone':
        return isPhone(text) ? text : fail(ctx, '联系电话', R.phone);
      case 'creditCode': {
        const code = text.toUpperCase();
        const verdict = checkCreditCode(code);
        if (verdict === 'ok') return code;
        const message =
          verdict === 'length' ? R.creditCodeLength : verdict === 'charset' ? R.creditCodeCharset : R.creditCodeCheck(creditCodeCheckCharacter(code));
        return fail(ctx, '统一社会信用代码', message);
      }
      case 'id': {
        const target = idSheetOf(sheet, column);
        const pattern = target && ID_PATTERNS[target];
        const alternative = column.ref?.or && ID_PATTERNS[column.ref.or.sheet];
        if (pattern && !pattern.test(text) && !alternative?.test(text)) return fail(ctx, '编号', ID_FORMAT_TEXT[target]!);
        return text;
      }
      default:
        return text;
    }
  });
}

type RowRule = (row: Record<string, unknown>, fail: (key: string, rule: string, message: string) => void) => void;

/** Rules that span several columns of one row. */
const ROW_RULES: Partial<Record<SheetSpec['key'], RowRule>> = {
  partners: (row, fail) => {
    if (row.kind === FOREIGN_PARTNER_KIND && typeof row.contactPhone === 'string' && isPhone(row.contactPhone) && !isInternationalPhone(row.contactPhone)) {
      fail('contactPhone', '联系电话', R.foreignPhone);
    }
  },
  projects: (row, fail) => {
    if (isCalendarDate(row.startDate) && isCalendarDate(row.endDate) && row.endDate < row.startDate) {
      fail('endDate', '日期先后', R.endBeforeStart);
    }
    // 第九条 binds at submission (SPEC): a draft may still lack the two conditions, e.g. from a legacy register.
    if (row.category === PRACTICE_BASE_CATEGORY && !blank(row.status) && row.status !== '草稿') {
      if (blank(row.practiceSite)) fail('practiceSite', '必填', R.required);
      if (blank(row.qualifiedInstructors)) fail('qualifiedInstructors', '必填', R.required);
    }
  },
};

const schemaCache = new WeakMap<Settings, Map<string, z.ZodType<unknown>>>();

/** The zod schema of a sheet's rows under these settings (lists come from 设置). */
export function rowSchema<S extends SheetSpec>(sheet: S, settings: Settings): z.ZodType<RowOf<S>> {
  let bySheet = schemaCache.get(settings);
  if (!bySheet) schemaCache.set(settings, (bySheet = new Map()));
  const cached = bySheet.get(sheet.key);
  if (cached) return cached as z.ZodType<RowOf<S>>;
  const shape = Object.fromEntries(sheet.columns.map((c) => [c.key, columnType(sheet, c, settings)]));
  const schema = z.object(shape);
  bySheet.set(sheet.key, schema);
  return schema as unknown as z.ZodType<RowOf<S>>;
}

/** Parses one row's raw cells; every broken cell becomes a located problem. */
export function parseRow<S extends SheetSpec>(sheet: S, cells: RawCells, settings: Settings, sheetRow?: number): ParseResult<RowOf<S>> {
  const input: Record<string, unknown> = {};
  for (const c of sheet.columns) input[c.key] = cells[c.key] ?? null;
  const located = (key: string, rule: string, message: string): Problem => {
    const column = sheet.columns.find((c) => c.key === key);
    return {
      sheet: sheet.name,
      ...(sheetRow === undefined ? {} : { row: sheetRow }),
      ...(column ? { column: column.header, value: cells[key] ?? null } : {}),
      rule,
      message,
    };
  };
  const result = rowSchema(sheet, settings).safeParse(input);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => located(String(issue.path[0] ?? ''), (issue as { params?: IssueParams }).params?.rule ?? '格式', issue.message));
  // Row rules read the raw input, so they run even when single cells already failed and a person sees every problem at once.
  for (const column of sheet.columns) {
    const unless = column.requiredUnless;
    if (unless && input[unless.key] !== unless.equals && blank(input[column.key]))
      problems.push(located(column.key, '必填', R.requiredUnless(columnOf(sheet, unless.key).header, unless.equals)));
  }
  ROW_RULES[sheet.key]?.(input, (key, rule, message) => problems.push(located(key, rule, message)));
  if (result.success && problems.length === 0) return { ok: true, value: result.data };
  return { ok: false, problems };
}

/**
 * A row's cells as typed values without judging them: checkboxes as booleans, numbers where they read
 * as numbers, everything else as text. For reading a row that may still break rules (e.g. its workflow state).
 */
export function coerceRow<S extends SheetSpec>(sheet: S, cells: RawCells): RowOf<S> {
  const row: Record<string, unknown> = {};
  for (const c of sheet.columns) {
    const value = cells[c.key];
    if (c.type === 'checkbox') row[c.key] = value === true || value === 'TRUE';
    else if (blank(value)) row[c.key] = null;
    else if (c.type === 'money' || c.type === 'integer' || c.type === 'year') row[c.key] = asNumber(value) ?? null;
    else row[c.key] = asText(value) ?? String(value);
  }
  return row as RowOf<S>;
}

/** A project row read from its cells without judging them: the one way Apps Script and the CLI build it for the workflow. */
export function projectFromCells(cells: RawCells): ProjectRow {
  return coerceRow(projectsSheet, cells);
}

/** A partner row read from its cells without judging them (agreements, submission checks). */
export function partnerFromCells(cells: RawCells): PartnerRow {
  return coerceRow(partnersSheet, cells);
}

/**
 * A row's natural key (SheetSpec.naturalKey) as one string to compare: text after normalizeName, other values as
 * written; '' when the sheet declares none or a part of it is blank, so a blank key never matches.
 */
export function naturalKeyOf(sheet: SheetSpec, cells: RawCells): string {
  const parts: string[] = [];
  for (const key of sheet.naturalKey?.columns ?? []) {
    const value = cells[key];
    if (blank(value)) return '';
    parts.push(columnOf(sheet, key).type === 'text' ? normalizeName(String(value)) : String(value).trim());
  }
  return parts.join('|');
}
