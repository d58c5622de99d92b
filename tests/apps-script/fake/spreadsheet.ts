/// <reference types="google-apps-script" />
// An in-memory SpreadsheetApp: sheets of cells (values, formulas, notes, backgrounds, formats, validations),
// A1 notation, protections, conditional formats, menus, dialogs and toasts — enough of the real service, with
// its real error texts, to drive the built Code.js as people would.
import { type CallLog, Fake, type Service } from './calls.js';
import { type FakeEmbeddedChart, FakeEmbeddedChartBuilder } from './charts.js';

type GS = typeof GoogleAppsScript.Spreadsheet;
type Sheets = GoogleAppsScript.Spreadsheet.Sheet;

export function columnLetters(index: number): string {
  let s = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function lettersIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export const isDate = (v: unknown): v is Date =>
  typeof v === 'object' && v !== null && typeof (v as Date).getTime === 'function' && typeof (v as Date).getUTCDate === 'function';

/** What `setValues` stores for what it is given; Sheets reads a leading apostrophe as "this is text" and drops it. */
function normalise(value: unknown): { value: unknown; formula?: string } {
  if (value === null || value === undefined) return { value: '' };
  if (typeof value === 'string') {
    if (value.startsWith("'")) return { value: value.slice(1) };
    if (value.startsWith('=')) return { value: '', formula: value };
    return { value };
  }
  if (isDate(value)) return { value: new Date(value.getTime()) };
  if (typeof value === 'number' || typeof value === 'boolean') return { value };
  return { value: String(value) };
}

export class FakeUser extends Fake implements Pick<GoogleAppsScript.Base.User, 'getEmail'> {
  readonly service: Service = 'other';
  readonly kind = 'User';
  constructor(readonly email: string) {
    super();
  }
  getEmail(): string {
    return this.email;
  }
}

interface Cell {
  value: unknown;
  formula?: string;
  note?: string;
  background?: string;
  fontWeight?: string;
  numberFormat?: string;
  validation?: FakeDataValidation;
  /** Alignment and wrapping, as set (Sheets' defaults: 'general', 'bottom', no wrap). */
  horizontalAlignment?: string;
  verticalAlignment?: string;
  wrap?: boolean;
}

export class FakeDataValidation extends Fake {
  readonly service: Service = 'builder';
  readonly kind = 'DataValidation';
  constructor(
    readonly criteria: string,
    readonly args: unknown[],
    readonly allowInvalid: boolean,
    readonly helpText: string,
  ) {
    super();
  }
  getCriteriaType(): string {
    return this.criteria;
  }
  getCriteriaValues(): unknown[] {
    return this.args;
  }
  getAllowInvalid(): boolean {
    return this.allowInvalid;
  }
  getHelpText(): string {
    return this.helpText;
  }
  /** Whether a value passes the rule; the fake enforces only what Sheets rejects outright. */
  _accepts(value: unknown): boolean {
    if (this.allowInvalid || value === '' || value === null) return true;
    if (this.criteria === 'VALUE_IN_LIST') return (this.args[0] as string[]).includes(String(value));
    if (this.criteria === 'CHECKBOX') return typeof value === 'boolean';
    return true;
  }
}

export class FakeDataValidationBuilder extends Fake {
  readonly service: Service = 'builder';
  readonly kind = 'DataValidationBuilder';
  private criteria = '';
  private args: unknown[] = [];
  private allowInvalid = true;
  private helpText = '';
  private set(criteria: string, ...args: unknown[]): this {
    this.criteria = criteria;
    this.args = args;
    return this;
  }
  requireValueInList(values: string[], showDropdown = true) {
    return this.set('VALUE_IN_LIST', [...values], showDropdown);
  }
  requireCheckbox() {
    this.allowInvalid = false;
    return this.set('CHECKBOX');
  }
  requireDate() {
    return this.set('DATE_IS_VALID_DATE');
  }
  requireDateBetween(start: Date, end: Date) {
    return this.set('DATE_BETWEEN', new Date(start.getTime()), new Date(end.getTime()));
  }
  requireNumberGreaterThanOrEqualTo(n: number) {
    return this.set('NUMBER_GREATER_THAN_OR_EQUAL_TO', n);
  }
  requireNumberBetween(a: number, b: number) {
    return this.set('NUMBER_BETWEEN', a, b);
  }
  setAllowInvalid(allow: boolean) {
    this.allowInvalid = allow;
    return this;
  }
  setHelpText(text: string) {
    this.helpText = text;
    return this;
  }
  build(): FakeDataValidation {
    if (!this.criteria) throw new Error('A data validation rule must have criteria.');
    return new FakeDataValidation(this.criteria, this.args, this.allowInvalid, this.helpText);
  }
}

export class FakeBooleanCondition extends Fake {
  readonly service: Service = 'builder';
  readonly kind = 'BooleanCondition';
  constructor(
    readonly formula: string,
    readonly background: string | null,
    readonly fontColor: string | null,
  ) {
    super();
  }
  getCriteriaType(): string {
    return 'CUSTOM_FORMULA';
  }
  getCriteriaValues(): unknown[] {
    return [this.formula];
  }
  getBackground(): string | null {
    return this.background;
  }
  getFontColor(): string | null {
    return this.fontColor;
  }
}

export class FakeConditionalFormatRule extends Fake {
  readonly service: Service = 'builder';
  readonly kind = 'ConditionalFormatRule';
  constructor(
    readonly condition: FakeBooleanCondition,
    readonly ranges: FakeRange[],
  ) {
    super();
  }
  getBooleanCondition(): FakeBooleanCondition {
    return this.condition;
  }
  getRanges(): FakeRange[] {
    return this.ranges;
  }
}

export class FakeConditionalFormatRuleBuilder extends Fake {
  readonly service: Service = 'builder';
  readonly kind = 'ConditionalFormatRuleBuilder';
  private formula = '';
  private background: string | null = null;
  private fontColor: string | null = null;
  private ranges: FakeRange[] = [];
  whenFormulaSatisfied(formula: string) {
    this.formula = formula;
    return this;
  }
  setBackground(color: string) {
    this.background = color;
    return this;
  }
  setFontColor(color: string) {
    this.fontColor = color;
    return this;
  }
  setRanges(ranges: FakeRange[]) {
    this.ranges = ranges;
    return this;
  }
  build(): FakeConditionalFormatRule {
    return new FakeConditionalFormatRule(new FakeBooleanCondition(this.formula, this.background, this.fontColor), this.ranges);
  }
}

export class FakeProtection extends Fake {
  readonly service: Service = 'spreadsheet';
  readonly kind = 'Protection';
  description = '';
  editors = new Set<string>();
  domainEdit = true;
  removed = false;
  constructor(
    readonly sheet: FakeSheet,
    public range: FakeRange | null,
    readonly type: 'RANGE' | 'SHEET',
  ) {
    super();
    // The owner and whoever protects are always editors.
    for (const e of [sheet.parent.owner, sheet.parent.app.env.user]) if (e) this.editors.add(e);
  }
  getDescription() {
    return this.description;
  }
  setDescription(d: string) {
    this.description = d;
    return this;
  }
  getRange() {
    return this.range ?? this.sheet.getDataRange();
  }
  setRange(range: FakeRange) {
    this.range = range;
    return this;
  }
  getProtectionType() {
    return this.type;
  }
  getEditors(): FakeUser[] {
    return [...this.editors].map((e) => new FakeUser(e));
  }
  addEditors(emails: string[]) {
    for (const e of emails) this.editors.add(e.toLowerCase());
    return this;
  }
  removeEditors(emails: string[]) {
    for (const e of emails) if (e.toLowerCase() !== this.sheet.parent.owner) this.editors.delete(e.toLowerCase());
    return this;
  }
  canDomainEdit() {
    return this.domainEdit;
  }
  setDomainEdit(v: boolean) {
    this.domainEdit = v;
    return this;
  }
  remove() {
    this.removed = true;
    this.sheet.protections = this.sheet.protections.filter((p) => p !== this);
  }
  _covers(r: number, c: number): boolean {
    if (this.type === 'SHEET') return true;
    const b = this.range!.bounds;
    return r >= b.r1 && (b.open || r <= b.r2) && c >= b.c1 && c <= b.c2;
  }
}

export interface Bounds {
  r1: number;
  c1: number;
  r2: number;
  c2: number;
  /** Written without an end row (`C:C`: a whole column; `C2:C`: from a row down): it reaches every row the sheet has, now or later. */
  open?: 'column' | 'fromRow';
}

export class FakeRange extends Fake {
  readonly service: Service = 'spreadsheet';
  readonly kind = 'Range';
  constructor(
    readonly sheet: FakeSheet,
    readonly bounds: Bounds,
  ) {
    super();
  }
  private get rows() {
    return this.bounds.r2 - this.bounds.r1 + 1;
  }
  private get cols() {
    return this.bounds.c2 - this.bounds.c1 + 1;
  }
  private grid<T>(read: (cell: Cell | undefined) => T): T[][] {
    const out: T[][] = [];
    for (let r = this.bounds.r1; r <= this.bounds.r2; r++) {
      const row: T[] = [];
      for (let c = this.bounds.c1; c <= this.bounds.c2; c++) row.push(read(this.sheet._cell(r, c)));
      out.push(row);
    }
    return out;
  }
  private write<T>(data: T[][], what: string, apply: (cell: Cell, v: T) => void): this {
    if (!Array.isArray(data) || data.length !== this.rows) {
      throw new Error(
        `The number of rows in the data does not match the number of rows in the range. The data has ${Array.isArray(data) ? data.length : 0} but the range has ${this.rows}.`,
      );
    }
    data.forEach((row) => {
      if (row.length !== this.cols) {
        throw new Error(
          `The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${this.cols}.`,
        );
      }
    });
    const effective = this.sheet.parent.app.env.effective;
    if (effective) {
      for (let r = this.bounds.r1; r <= this.bounds.r2; r++) {
        for (let c = this.bounds.c1; c <= this.bounds.c2; c++) {
          if (!mayEdit(this.sheet, r, c, effective)) {
            throw new Error(
              'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.',
            );
          }
        }
      }
    }
    data.forEach((row, i) => row.forEach((v, j) => apply(this.sheet._cellForWrite(this.bounds.r1 + i, this.bounds.c1 + j), v)));
    void what;
    return this;
  }
  getSheet() {
    return this.sheet;
  }
  getA1Notation() {
    const { r1, c1, r2, c2, open } = this.bounds;
    if (open) return `${columnLetters(c1)}${open === 'fromRow' ? r1 : ''}:${columnLetters(c2)}`;
    const a = `${columnLetters(c1)}${r1}`;
    return r1 === r2 && c1 === c2 ? a : `${a}:${columnLetters(c2)}${r2}`;
  }
  getRow() {
    return this.bounds.r1;
  }
  getColumn() {
    return this.bounds.c1;
  }
  getNumRows() {
    return this.rows;
  }
  getNumColumns() {
    return this.cols;
  }
  getLastRow() {
    return this.bounds.r2;
  }
  getLastColumn() {
    return this.bounds.c2;
  }
  getValues(): unknown[][] {
    return this.grid((cell) => (isDate(cell?.value) ? new Date(cell.value.getTime()) : (cell?.value ?? '')));
  }
  getValue(): unknown {
    return this.getValues()[0]![0];
  }
  getDisplayValues(): string[][] {
    return this.grid((cell) => (cell?.value === undefined ? '' : String(cell.value)));
  }
  getFormulas(): string[][] {
    return this.grid((cell) => cell?.formula ?? '');
  }
  setValues(values: unknown[][]) {
    return this.write(values, 'values', (cell, v) => {
      const n = normalise(v);
      // As Sheets does: text that looks like a month-day (`12-01`, `3/5`) becomes a date unless the cell is plain text (@).
      const md =
        typeof n.value === 'string' && typeof v === 'string' && !v.startsWith("'") && cell.numberFormat !== '@'
          ? /^(\d{1,2})[-/](\d{1,2})$/.exec(n.value)
          : null;
      if (md && Number(md[1]) >= 1 && Number(md[1]) <= 12 && Number(md[2]) >= 1 && Number(md[2]) <= 31)
        n.value = new Date(Date.UTC(2026, Number(md[1]) - 1, Number(md[2])));
      cell.value = n.value;
      if (n.formula) cell.formula = n.formula;
      else delete cell.formula;
    });
  }
  setValue(value: unknown) {
    return this.setValues(Array.from({ length: this.rows }, () => Array.from({ length: this.cols }, () => value)));
  }
  getNotes(): string[][] {
    return this.grid((cell) => cell?.note ?? '');
  }
  getNote(): string {
    return this.getNotes()[0]![0]!;
  }
  setNotes(notes: (string | null)[][]) {
    return this.write(notes, 'notes', (cell, v) => {
      if (v) cell.note = String(v);
      else delete cell.note;
    });
  }
  setNote(note: string | null) {
    return this.setNotes(Array.from({ length: this.rows }, () => Array.from({ length: this.cols }, () => note)));
  }
  getBackgrounds(): string[][] {
    return this.grid((cell) => cell?.background ?? '#ffffff');
  }
  getBackground(): string {
    return this.getBackgrounds()[0]![0]!;
  }
  setBackgrounds(colors: (string | null)[][]) {
    return this.write(colors, 'backgrounds', (cell, v) => {
      if (v && v !== '#ffffff') cell.background = v;
      else delete cell.background;
    });
  }
  setBackground(color: string | null) {
    return this.setBackgrounds(Array.from({ length: this.rows }, () => Array.from({ length: this.cols }, () => color)));
  }
  setFontWeight(weight: string | null) {
    return this.write(
      Array.from({ length: this.rows }, () => Array.from({ length: this.cols }, () => weight)),
      'font',
      (cell, v) => {
        if (v && v !== 'normal') cell.fontWeight = v;
        else delete cell.fontWeight;
      },
    );
  }
  /** Sets one look attribute on every cell; Sheets' default value is stored as absent. */
  private setLook<K extends 'horizontalAlignment' | 'verticalAlignment' | 'wrap'>(key: K, value: Cell[K] | null, byDefault: Cell[K]) {
    const grid = Array.from({ length: this.rows }, () => Array.from({ length: this.cols }, () => value));
    return this.write(grid, key, (cell, v) => {
      if (v !== null && v !== undefined && v !== byDefault) cell[key] = v;
      else delete cell[key];
    });
  }
  setHorizontalAlignment(alignment: string | null) {
    return this.setLook('horizontalAlignment', alignment, 'general');
  }
  getHorizontalAlignments(): string[][] {
    return this.grid((cell) => cell?.horizontalAlignment ?? 'general');
  }
  setVerticalAlignment(alignment: string | null) {
    return this.setLook('verticalAlignment', alignment, 'bottom');
  }
  getVerticalAlignments(): string[][] {
    return this.grid((cell) => cell?.verticalAlignment ?? 'bottom');
  }
  setWrap(wrap: boolean) {
    return this.setLook('wrap', wrap, false);
  }
  getWraps(): boolean[][] {
    return this.grid((cell) => cell?.wrap ?? false);
  }
  setFontWeights(weights: (string | null)[][]) {
    return this.write(weights, 'font', (cell, v) => {
      if (v && v !== 'normal') cell.fontWeight = v;
      else delete cell.fontWeight;
    });
  }
  getFontWeights(): string[][] {
    return this.grid((cell) => cell?.fontWeight ?? 'normal');
  }
  setNumberFormat(format: string) {
    return this.write(
      Array.from({ length: this.rows }, () => Array.from({ length: this.cols }, () => format)),
      'format',
      (cell, v) => {
        cell.numberFormat = v;
      },
    );
  }
  setNumberFormats(formats: string[][]) {
    return this.write(formats, 'format', (cell, v) => {
      if (v && v !== 'General') cell.numberFormat = v;
      else delete cell.numberFormat;
    });
  }
  getNumberFormats(): string[][] {
    return this.grid((cell) => cell?.numberFormat ?? 'General');
  }
  setDataValidation(rule: FakeDataValidation | null) {
    return this.write(
      Array.from({ length: this.rows }, () => Array.from({ length: this.cols }, () => rule)),
      'validation',
      (cell, v) => {
        if (v) cell.validation = v;
        else delete cell.validation;
      },
    );
  }
  getDataValidations(): (FakeDataValidation | null)[][] {
    return this.grid((cell) => cell?.validation ?? null);
  }
  getDataValidation(): FakeDataValidation | null {
    return this.getDataValidations()[0]![0]!;
  }
  activate() {
    this.sheet.parent.activeSheet = this.sheet;
    this.sheet.parent.activeRange = this;
    return this;
  }
  protect(): FakeProtection {
    const p = new FakeProtection(this.sheet, this, 'RANGE');
    this.sheet.protections.push(p);
    return p;
  }
}

export class FakeSheet extends Fake {
  readonly service: Service = 'spreadsheet';
  readonly kind = 'Sheet';
  readonly cells = new Map<string, Cell>();
  protections: FakeProtection[] = [];
  cfRules: FakeConditionalFormatRule[] = [];
  frozenRows = 0;
  widths = new Map<number, number>();
  charts: FakeEmbeddedChart[] = [];
  maxRows = 1000;
  maxCols = 26;
  constructor(
    readonly parent: FakeSpreadsheet,
    public name: string,
    readonly id: number,
  ) {
    super();
  }
  _cell(r: number, c: number): Cell | undefined {
    return this.cells.get(`${r},${c}`);
  }
  _cellForWrite(r: number, c: number): Cell {
    if (r > this.maxRows || c > this.maxCols || r < 1 || c < 1) throw new Error('The coordinates of the range are outside the dimensions of the sheet.');
    let cell = this.cells.get(`${r},${c}`);
    if (!cell) this.cells.set(`${r},${c}`, (cell = { value: '' }));
    return cell;
  }
  private hasContent(cell: Cell): boolean {
    return (cell.value !== '' && cell.value !== null && cell.value !== undefined) || !!cell.formula;
  }
  getName() {
    return this.name;
  }
  setName(name: string) {
    this.name = name;
    return this;
  }
  getSheetId() {
    return this.id;
  }
  getParent() {
    return this.parent;
  }
  getLastRow() {
    let last = 0;
    for (const [k, cell] of this.cells) if (this.hasContent(cell)) last = Math.max(last, Number(k.split(',')[0]));
    return last;
  }
  getLastColumn() {
    let last = 0;
    for (const [k, cell] of this.cells) if (this.hasContent(cell)) last = Math.max(last, Number(k.split(',')[1]));
    return last;
  }
  getMaxRows() {
    return this.maxRows;
  }
  getMaxColumns() {
    return this.maxCols;
  }
  insertColumnsAfter(after: number, how: number) {
    if (after !== this.maxCols) throw new Error('fake: only appending columns is supported');
    this.maxCols += how;
    return this;
  }
  insertRowsAfter(after: number, how: number) {
    if (after !== this.maxRows) throw new Error('fake: only appending rows is supported');
    this.maxRows += how;
    return this;
  }
  getRange(a: string | number, col?: number, numRows = 1, numCols = 1): FakeRange {
    let bounds: Bounds;
    if (typeof a === 'string') bounds = parseA1(a, this);
    else {
      if (!Number.isInteger(a) || a < 1 || !Number.isInteger(col) || col! < 1) throw new Error('The starting row of the range is too small.');
      if (numRows < 1) throw new Error('The number of rows in the range must be at least 1.');
      if (numCols < 1) throw new Error('The number of columns in the range must be at least 1.');
      bounds = { r1: a, c1: col!, r2: a + numRows - 1, c2: col! + numCols - 1 };
    }
    if (bounds.r2 > this.maxRows || bounds.c2 > this.maxCols) throw new Error('The coordinates of the range are outside the dimensions of the sheet.');
    return new FakeRange(this, bounds);
  }
  getDataRange() {
    return new FakeRange(this, { r1: 1, c1: 1, r2: Math.max(1, this.getLastRow()), c2: Math.max(1, this.getLastColumn()) });
  }
  appendRow(values: unknown[]) {
    const r = this.getLastRow() + 1;
    if (r > this.maxRows) this.maxRows = r;
    if (values.length > this.maxCols) this.maxCols = values.length;
    new FakeRange(this, { r1: r, c1: 1, r2: r, c2: values.length }).setValues([values]);
    return this;
  }
  getFrozenRows() {
    return this.frozenRows;
  }
  setFrozenRows(n: number) {
    this.frozenRows = n;
  }
  setColumnWidth(col: number, width: number) {
    this.widths.set(col, width);
    return this;
  }
  getColumnWidth(col: number) {
    return this.widths.get(col) ?? 100;
  }
  getProtections(type: 'RANGE' | 'SHEET') {
    return this.protections.filter((p) => p.type === type);
  }
  protect() {
    const existing = this.protections.find((p) => p.type === 'SHEET');
    if (existing) return existing;
    const p = new FakeProtection(this, null, 'SHEET');
    this.protections.push(p);
    return p;
  }
  getConditionalFormatRules() {
    return [...this.cfRules];
  }
  /** Clears values and formats; charts, like in Sheets, stay. */
  clear() {
    this.cells.clear();
    return this;
  }
  newChart() {
    return new FakeEmbeddedChartBuilder();
  }
  insertChart(chart: FakeEmbeddedChart) {
    this.charts.push(chart);
  }
  updateChart(chart: FakeEmbeddedChart) {
    const i = this.charts.findIndex((c) => c.id === chart.id);
    if (i < 0) throw new Error('fake: updateChart of a chart not on this sheet');
    this.charts[i] = chart;
  }
  removeChart(chart: FakeEmbeddedChart) {
    this.charts = this.charts.filter((c) => c.id !== chart.id);
  }
  getCharts() {
    return [...this.charts];
  }
  setConditionalFormatRules(rules: FakeConditionalFormatRule[]) {
    this.cfRules = [...rules];
  }
  activate() {
    this.parent.activeSheet = this;
    return this;
  }
  getActiveRange() {
    return this.parent.activeRange;
  }
}

function parseA1(a1: string, sheet: FakeSheet): Bounds {
  // Open-ended ranges, as Sheets reads them: `C:C` (every row), `C2:C` or `A1:L` (from that row down); the end row is the grid's.
  const open = /^\$?([A-Z]+)\$?(\d*):\$?([A-Z]+)$/i.exec(a1.trim());
  if (open) {
    const [c1, c2] = [lettersIndex(open[1]!), lettersIndex(open[3]!)];
    return { r1: open[2] ? Number(open[2]) : 1, c1: Math.min(c1, c2), r2: sheet.maxRows, c2: Math.max(c1, c2), open: open[2] ? 'fromRow' : 'column' };
  }
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d*))?$/i.exec(a1.trim());
  if (!m) throw new Error(`Range not found`);
  const c1 = lettersIndex(m[1]!);
  const r1 = Number(m[2]);
  const c2 = m[3] ? lettersIndex(m[3]) : c1;
  const r2 = m[4] ? Number(m[4]) : m[3] ? sheet.maxRows : r1;
  return { r1: Math.min(r1, r2), c1: Math.min(c1, c2), r2: Math.max(r1, r2), c2: Math.max(c1, c2) };
}

export class FakeMenu extends Fake {
  readonly service: Service = 'ui';
  readonly kind = 'Menu';
  readonly items: ({ label: string; fn: string } | { separator: true } | { label: string; sub: FakeMenu })[] = [];
  constructor(
    readonly ui: FakeUi,
    readonly title: string,
  ) {
    super();
  }
  addItem(label: string, fn: string) {
    this.items.push({ label, fn });
    return this;
  }
  addSeparator() {
    this.items.push({ separator: true });
    return this;
  }
  addSubMenu(menu: FakeMenu) {
    this.items.push({ label: menu.title, sub: menu });
    return this;
  }
  addToUi() {
    this.ui.menus.push(this);
  }
}

export const BUTTON = { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' } as const;
export const BUTTON_SET = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL' } as const;

/** Dialogs answer from a queue the test fills: each alert/prompt takes the next answer (default OK / empty text). */
export class FakeUi extends Fake {
  readonly service: Service = 'ui';
  readonly kind = 'Ui';
  readonly Button = BUTTON;
  readonly ButtonSet = BUTTON_SET;
  readonly menus: FakeMenu[] = [];
  readonly alerts: string[] = [];
  readonly answers: { button: keyof typeof BUTTON; text?: string }[] = [];
  /** Pages shown in the sidebar, latest last. */
  readonly sidebars: { getContent(): string; getTitle(): string }[] = [];
  showSidebar(output: { getContent(): string; getTitle(): string }) {
    this.sidebars.push(output);
  }
  createMenu(title: string) {
    return new FakeMenu(this, title);
  }
  alert(a: string, b?: string, _buttons?: string): string {
    this.alerts.push(b === undefined ? a : `${a}\n${b}`);
    const answer = this.answers.shift();
    return answer?.button ?? 'OK';
  }
  prompt(title: string, message?: string, _buttons?: string) {
    this.alerts.push(message === undefined ? title : `${title}\n${message}`);
    const answer = this.answers.shift() ?? { button: 'OK' as const, text: '' };
    return { getSelectedButton: () => answer.button, getResponseText: () => answer.text ?? '' };
  }
}

export interface FakeEnv {
  /** Who is at the keyboard (Session.getActiveUser). */
  user: string;
  /** Whom the running script acts as (the clicking user for menus, the installer for installable triggers); unset outside the script. */
  effective?: string;
  /** Editors and owner use personal accounts (not one Workspace domain): triggers are not told who edited. */
  personalAccounts?: boolean;
}

export class FakeSpreadsheet extends Fake {
  readonly service: Service = 'spreadsheet';
  readonly kind = 'Spreadsheet';
  sheets: FakeSheet[] = [];
  timeZone = 'America/Los_Angeles';
  toasts: string[] = [];
  activeSheet: FakeSheet;
  activeRange: FakeRange | null = null;
  private nextId = 1;
  constructor(
    readonly app: FakeSpreadsheetApp,
    readonly owner: string,
  ) {
    super();
    this.activeSheet = this.insertSheet('Sheet1');
  }
  getId() {
    return 'fake-spreadsheet-id';
  }
  getName() {
    return '合作交流登记表';
  }
  getUrl() {
    return 'https://docs.google.com/spreadsheets/d/fake-spreadsheet-id/edit';
  }
  getOwner() {
    return this.owner ? new FakeUser(this.owner) : null;
  }
  getSheetByName(name: string) {
    return this.sheets.find((s) => s.name === name) ?? null;
  }
  getSheets() {
    return [...this.sheets];
  }
  /** As Sheets: a new sheet goes at `index` (0-based) when given, else last. */
  insertSheet(name: string, index?: number) {
    if (this.getSheetByName(name)) throw new Error(`A sheet with the name "${name}" already exists. Please enter another name.`);
    this.nextId = Math.max(this.nextId, ...this.sheets.map((s) => s.id + 1));
    const sheet = new FakeSheet(this, name, this.nextId++);
    this.sheets.splice(index ?? this.sheets.length, 0, sheet);
    this.activeSheet = sheet;
    return sheet;
  }
  getActiveSheet() {
    return this.activeSheet;
  }
  /** `'Sheet name'!A1:L`: a range on the named sheet (Range not found when there is no such sheet). */
  getRange(a1: string): FakeRange {
    const m = /^(?:'((?:[^']|'')+)'|([^!]+))!(.+)$/.exec(a1);
    const sheet = m ? this.getSheetByName((m[1] ?? m[2]!).replace(/''/g, "'")) : null;
    if (!m || !sheet) throw new Error('Range not found');
    return sheet.getRange(m[3]!);
  }
  getActiveRange() {
    return this.activeRange;
  }
  getSpreadsheetTimeZone() {
    return this.timeZone;
  }
  setSpreadsheetTimeZone(tz: string) {
    this.timeZone = tz;
  }
  toast(message: string, _title?: string, _seconds?: number) {
    this.toasts.push(message);
  }
}

export class FakeSpreadsheetApp extends Fake {
  readonly service: Service = 'spreadsheet';
  readonly kind = 'SpreadsheetApp';
  readonly ProtectionType = { RANGE: 'RANGE', SHEET: 'SHEET' } as unknown as GS['ProtectionType'];
  readonly ui = new FakeUi();
  readonly spreadsheet: FakeSpreadsheet;
  flushes = 0;
  constructor(
    readonly env: FakeEnv,
    owner: string,
  ) {
    super();
    this.spreadsheet = new FakeSpreadsheet(this, owner);
  }
  getActiveSpreadsheet() {
    return this.spreadsheet;
  }
  getActive() {
    return this.spreadsheet;
  }
  getUi() {
    return this.ui;
  }
  flush() {
    this.flushes++;
  }
  newDataValidation() {
    return new FakeDataValidationBuilder();
  }
  newConditionalFormatRule() {
    return new FakeConditionalFormatRuleBuilder();
  }
}

/** Whether a person may edit a cell, as Sheets' protections decide. */
export function mayEdit(sheet: FakeSheet, r: number, c: number, email: string): boolean {
  return sheet.protections.every((p) => !p._covers(r, c) || p.editors.has(email.toLowerCase()));
}

export type { Sheets, CallLog };
