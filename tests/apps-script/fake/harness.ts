// Loads the BUILT dist/apps-script/Code.js into a node:vm context whose globals are the fakes, and drives it as
// people do: open the sheet, click menu items, type and paste (with protections enforced), run triggers.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import vm from 'node:vm';
import { CallLog, expose } from './calls.js';
import { FakeDrive } from './documents.js';
import { FakeHtmlService } from './html.js';
import { FakeLock, FakeMailApp, FakeProperties, FakeScriptApp, FakeUrlFetchApp, fakeSession, fakeUtilities } from './services.js';
import { FakeRange, FakeSpreadsheetApp, isDate, mayEdit, type FakeEnv, type FakeMenu, type FakeSheet, type FakeSpreadsheet } from './spreadsheet.js';

export const CODE_JS = resolve('dist/apps-script/Code.js');

export interface HarnessOptions {
  owner?: string;
  now?: string;
  /** Personal Google accounts rather than one Workspace domain: installable triggers get no editor e-mail. */
  personalAccounts?: boolean;
}

export interface EditResult {
  blocked: boolean;
  reason?: string;
}

export class Harness {
  readonly log = new CallLog();
  readonly env: FakeEnv;
  readonly app: FakeSpreadsheetApp;
  readonly ss: FakeSpreadsheet;
  readonly mail = new FakeMailApp();
  readonly lock = new FakeLock();
  readonly documentProperties = new FakeProperties();
  readonly scriptProperties = new FakeProperties();
  readonly scriptApp = new FakeScriptApp(() => this.env);
  readonly drive = new FakeDrive();
  readonly urlFetch = new FakeUrlFetchApp();
  /** Milliseconds the script slept (Utilities.sleep advances the script's clock instead of waiting). */
  readonly sleeps: number[] = [];
  readonly context: vm.Context;
  private nowMs: number;

  constructor(options: HarnessOptions = {}) {
    const owner = options.owner ?? 'admin@zqlg.edu.cn';
    this.env = { user: owner, ...(options.personalAccounts ? { personalAccounts: true } : {}) };
    this.app = new FakeSpreadsheetApp(this.env, owner);
    this.ss = this.app.spreadsheet;
    this.nowMs = Date.parse(options.now ?? '2026-11-24T02:00:00Z');
    const harness = this;
    const HostDate = Date;
    // The script's clock is the test's: `new Date()` and `Date.now()` read it.
    class ScriptDate extends HostDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(harness.nowMs);
        else super(...(args as [number]));
      }
      static override now() {
        return harness.nowMs;
      }
    }
    const noEval = () => {
      throw new Error('Code generation from strings disallowed for this context');
    };
    this.context = vm.createContext({
      Date: ScriptDate,
      console,
      SpreadsheetApp: expose(this.app, this.log),
      Session: fakeSession(this.env),
      LockService: { getDocumentLock: () => this.lock, getScriptLock: () => this.lock },
      PropertiesService: {
        getDocumentProperties: () => this.documentProperties,
        getScriptProperties: () => this.scriptProperties,
        getUserProperties: () => this.scriptProperties,
      },
      MailApp: this.mail,
      ScriptApp: this.scriptApp,
      DriveApp: this.drive.DriveApp,
      DocumentApp: this.drive.DocumentApp,
      UrlFetchApp: this.urlFetch,
      Utilities: fakeUtilities((ms) => {
        this.sleeps.push(ms);
        this.nowMs += ms;
      }),
      HtmlService: expose(new FakeHtmlService(), this.log),
    });
    // Apps Script may refuse eval; the bundle must not need it (zod runs jitless).
    vm.runInContext('globalThis.Function = undefined; globalThis.eval = undefined;', this.context);
    void noEval;
    vm.runInContext(readFileSync(CODE_JS, 'utf8'), this.context, { filename: 'Code.js' });
  }

  setNow(iso: string): void {
    this.nowMs = Date.parse(iso);
  }

  as(user: string): this {
    this.env.user = user;
    return this;
  }

  /** A top-level function of Code.js, as Apps Script would find it by name. */
  fn(name: string): (...args: unknown[]) => unknown {
    const f = this.context[name];
    if (typeof f !== 'function') throw new Error(`Code.js has no top-level function ${name}`);
    return f as (...args: unknown[]) => unknown;
  }

  /** Top-level function names declared by Code.js. */
  topLevelFunctions(): string[] {
    return Object.keys(this.context).filter((k) => typeof this.context[k] === 'function' && k !== 'Date');
  }

  /** Runs a top-level function as `actingAs` (protections apply to its writes): the clicking user unless said otherwise. */
  run(name: string, ...args: unknown[]): unknown {
    return this.runAs(this.env.user, name, ...args);
  }

  runAs(actingAs: string, name: string, ...args: unknown[]): unknown {
    const saved = this.env.effective;
    this.env.effective = actingAs;
    try {
      return this.fn(name)(...args);
    } finally {
      this.env.effective = saved;
    }
  }

  open(): void {
    this.run('onOpen', { source: expose(this.ss, this.log) });
  }

  /** `user` opens the spreadsheet: the simple onOpen, then the installed on-open triggers (as their installer, the owner). */
  openAs(user: string, options: { eventUser?: boolean } = {}): void {
    const saved = this.env.user;
    this.env.user = user;
    try {
      this.open();
      const event = { source: expose(this.ss, this.log), authMode: 'FULL', ...(options.eventUser === false ? {} : { user: { getEmail: () => user } }) };
      // An installable trigger runs as whoever installed it, and Google names the trigger in the event.
      for (const t of this.scriptApp.triggers.filter((x) => x.kind === 'ON_OPEN')) this.runAs(t.owner, t.handler, { ...event, triggerUid: t.uid });
    } finally {
      this.env.user = saved;
    }
  }

  /** Every menu item: label path → function name. */
  menuItems(): Map<string, string> {
    const items = new Map<string, string>();
    const walk = (menu: FakeMenu, prefix: string) => {
      for (const item of menu.items) {
        if ('fn' in item) items.set(`${prefix}${item.label}`, item.fn);
        else if ('sub' in item) walk(item.sub, `${prefix}${item.label} ▸ `);
      }
    };
    for (const menu of this.app.ui.menus) walk(menu, '');
    return items;
  }

  /** Clicks a menu item; answers are what the dialogs it opens will get, in order. */
  click(label: string, ...answers: { button: 'OK' | 'CANCEL' | 'YES' | 'NO'; text?: string }[]): string[] {
    const fn = this.menuItems().get(label);
    if (!fn) throw new Error(`no menu item ${label}`);
    this.app.ui.answers.push(...answers);
    const before = this.app.ui.alerts.length;
    this.run(fn);
    return this.app.ui.alerts.slice(before);
  }

  sheet(name: string): FakeSheet {
    const sheet = this.ss.getSheetByName(name);
    if (!sheet) throw new Error(`no sheet ${name}`);
    return sheet;
  }

  /** Rows of a sheet as header → value records (values as the fake stores them). */
  records(name: string): Record<string, unknown>[] {
    return this.log.quiet(() => {
      const values = this.sheet(name).getDataRange().getValues();
      const [header = [], ...rows] = values;
      return rows.map((row) => Object.fromEntries(header.map((h, i) => [String(h), row[i]])));
    });
  }

  headerCol(sheetName: string, header: string): number {
    const values = this.log.quiet(() => this.sheet(sheetName).getRange(1, 1, 1, this.sheet(sheetName).getLastColumn()).getValues()[0]!);
    const i = values.indexOf(header);
    if (i < 0) throw new Error(`no header ${header} in ${sheetName}`);
    return i + 1;
  }

  cell(sheetName: string, row: number, header: string): FakeRange {
    return this.sheet(sheetName).getRange(row, this.headerCol(sheetName, header));
  }

  select(sheetName: string, row: number): void {
    this.log.quiet(() => this.sheet(sheetName).getRange(row, 1).activate());
  }

  /**
   * A person types or pastes `values` into `a1`: Sheets' protections and rejecting validations apply first,
   * then the installed edit trigger (if any) runs with the event object Sheets would build.
   */
  edit(sheetName: string, a1: string, values: unknown[][], user = this.env.user, options: { eventUser?: boolean } = {}): EditResult {
    const sheet = this.sheet(sheetName);
    const range = sheet.getRange(a1);
    const { r1, c1, r2, c2 } = range.bounds;
    for (let r = r1; r <= r2; r++) {
      for (let c = c1; c <= c2; c++) {
        if (!mayEdit(sheet, r, c, user)) return { blocked: true, reason: 'You are trying to edit a protected cell or object.' };
        const rule = sheet._cell(r, c)?.validation;
        if (rule && !rule._accepts(values[r - r1]![c - c1])) return { blocked: true, reason: 'The data you entered violates the data validation rules.' };
      }
    }
    const single = r1 === r2 && c1 === c2;
    const old = single ? this.log.quiet(() => range.getValue()) : undefined;
    this.log.quiet(() => range.setValues(values));
    const eventRange = Object.assign(new FakeRange(sheet, range.bounds), { rowStart: r1, rowEnd: r2, columnStart: c1, columnEnd: c2 });
    const asText = (v: unknown) =>
      v === '' || v === null || v === undefined ? undefined : typeof v === 'boolean' ? String(v).toUpperCase() : isDate(v) ? String(v.getTime()) : String(v);
    const event: Record<string, unknown> = {
      source: expose(this.ss, this.log),
      range: expose(eventRange, this.log),
      // Google leaves the user out of the event in some domains; the script must then ask Session.
      // With personal accounts the event's user is there but its e-mail is blank.
      ...(options.eventUser === false ? {} : { user: { getEmail: () => (this.env.personalAccounts ? '' : user) } }),
      authMode: 'FULL',
    };
    if (single) {
      const value = asText(values[0]![0]);
      const oldValue = asText(old);
      if (value !== undefined) event.value = value;
      if (oldValue !== undefined) event.oldValue = oldValue;
    }
    const saved = this.env.user;
    this.env.user = user;
    try {
      // Installable triggers run as whoever installed them, each with its own trigger ID.
      for (const t of this.scriptApp.triggers.filter((x) => x.kind === 'ON_EDIT')) this.runAs(t.owner, t.handler, { ...event, triggerUid: t.uid });
    } finally {
      this.env.user = saved;
    }
    return { blocked: false };
  }

  /** Runs the installed daily clock triggers, as Apps Script does once a day. */
  runDaily(): void {
    this.runClock(/day/);
  }

  /** Runs the installed clock triggers whose schedule matches (all by default), each as its installer. */
  runClock(schedule: RegExp = /./): void {
    for (const t of this.scriptApp.triggers.filter((x) => x.kind === 'CLOCK' && schedule.test(x.schedule ?? '')))
      this.runAs(t.owner, t.handler, { authMode: 'FULL', triggerUid: t.uid });
  }

  /** Everything a person could see or that setup manages, for "ran twice, changed nothing" comparisons. */
  snapshot(): string {
    return this.log.quiet(() =>
      JSON.stringify({
        timeZone: this.ss.timeZone,
        sheets: this.ss.sheets.map((s) => ({
          name: s.name,
          maxRows: s.maxRows,
          maxCols: s.maxCols,
          frozen: s.frozenRows,
          widths: [...s.widths].sort(),
          cells: [...s.cells]
            .filter(
              ([, c]) =>
                c.value !== '' ||
                c.note ||
                c.background ||
                c.validation ||
                c.numberFormat ||
                c.fontWeight ||
                c.formula ||
                c.horizontalAlignment ||
                c.verticalAlignment ||
                c.wrap,
            )
            .map(([k, c]) => [
              k,
              isDate(c.value) ? c.value.toISOString() : c.value,
              c.note,
              c.background,
              c.fontWeight,
              c.numberFormat,
              c.validation && [c.validation.criteria, c.validation.args, c.validation.allowInvalid, c.validation.helpText],
              c.horizontalAlignment,
              c.verticalAlignment,
              c.wrap,
            ])
            .sort(),
          protections: s.protections.map((p) => [p.type, p.description, p.range?.getA1Notation(), [...p.editors].sort(), p.domainEdit]),
          cf: s.cfRules.map((r) => [r.condition.formula, r.condition.background, r.ranges.map((x) => x.getA1Notation())]),
        })),
      }),
    );
  }
}
