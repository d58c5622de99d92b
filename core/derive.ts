/**
 * Columns the system derives rather than anyone typing them: the partner name beside its ID, and status,
 * review ticks, meetings and signing from 审批记录 alone (expiry from the end date), so every reader after
 * this sees what the log vouches for, never a value typed into the cell.
 */
import { cellText } from './cell-text.js';
import { compareDates, isCalendarDate, type CalendarDate } from './dates.js';
import { checkLog, trustedLog, vouchedFor } from './log-chain.js';
import { readSettings, type RegistryData, type RegistryRow } from './registry.js';
import { normalizeName } from './rules.js';
import type { Status } from './enums.js';
import type { RawCells } from './rows.js';
import { copyLoggedStates, effectiveStatus, loggedCells, loggedSigningDate, loggedStates, type LoggedState } from './workflow.js';

/** States already replayed for a log (by this process, or read from a store's cache), and what they were replayed from. */
interface StatesMemo {
  count: number;
  head: string;
  /** The keys that decide which signed rows count (trustedLog): states replayed under other keys do not apply. */
  keys: string;
  states: Map<string, LoggedState>;
}
const statesMemo = new WeakMap<object, StatesMemo>();

const hashAt = (log: RegistryData['reviewLog'], i: number): string => (i < 0 ? '' : String(log[i]!.cells.hash ?? ''));
const keysOf = (data: RegistryData): string => JSON.stringify(readSettings(data).settings.publicKeys ?? null);

/**
 * Each project's state as the verified part of 审批记录 records it. Replayed once per log: rows appended since the
 * last replay (a workflow step's entries) are replayed on top of it, so a step costs its own entries, not the log.
 */
export function loggedStatesOf(data: RegistryData): Map<string, LoggedState> {
  const { states, memo } = replayed(data);
  // Callers get their own copy: whatever they do with it cannot reach the memo.
  return memo ? copyLoggedStates(states) : states;
}

/** One project's logged state (a copy), without copying every project's: a step asks for the ones it acts on. */
export function loggedStateOf(data: RegistryData, projectId: string): LoggedState | undefined {
  const state = replayed(data).states.get(projectId);
  return state && { ...state, reviews: new Set(state.reviews) };
}

/**
 * The memo's own states for the log as it is now, not a copy: read-only, for a store writing them into its cache (it
 * may keep them in a form of its own, see rememberLoggedStates). Everything else takes loggedStatesOf's copy.
 */
export function currentLoggedStates(data: RegistryData): ReadonlyMap<string, LoggedState> {
  return replayed(data).states;
}

/** The states, and whether they are the memo's own map (read-only to callers) rather than a one-off replay. */
function replayed(data: RegistryData): { states: Map<string, LoggedState>; memo: boolean } {
  const log = data.reviewLog;
  const { settings } = readSettings(data);
  const keys = keysOf(data);
  const report = checkLog(log);
  const memo = statesMemo.get(log);
  let states: Map<string, LoggedState> | undefined;
  if (report.ok && memo && memo.keys === keys && memo.count <= log.length && hashAt(log, memo.count - 1) === memo.head) {
    if (memo.count === log.length) return { states: memo.states, memo: true };
    const tail = log.slice(memo.count);
    // A 日志更正 entry can take earlier rows out of the count: only a full replay sees that.
    if (!tail.some((r) => r.cells.action === '日志更正')) {
      const trusted = tail.filter((_, k) => vouchedFor(log, memo.count + k, report, settings));
      // The memo's map is private: the tail is replayed onto it in place.
      states = trusted.length
        ? loggedStates(
            trusted.map((r) => r.cells),
            memo.states,
          )
        : memo.states;
    }
  }
  states ??= loggedStates(trustedLog(log, settings));
  if (!report.ok) return { states, memo: false };
  statesMemo.set(log, { count: log.length, head: hashAt(log, log.length - 1), keys, states });
  return { states, memo: true };
}

/**
 * Records states replayed earlier from exactly these rows under the same settings (a store's cache keyed by the
 * file's content), so loggedStatesOf need not replay the log. Ignored unless `head` is the log's last hash. The map is
 * taken over, not copied: the caller must not keep using it.
 */
export function rememberLoggedStates(data: RegistryData, head: string, states: Map<string, LoggedState>): void {
  const log = data.reviewLog;
  if (hashAt(log, log.length - 1) !== head) return;
  statesMemo.set(log, { count: log.length, head, keys: keysOf(data), states });
}

/**
 * The one way a report, count, filter or reminder learns a project's status: as the verified part of 审批记录 records
 * it, with expiry from its end date — never the 状态 typed into the cell.
 */
export function loggedStatus(
  data: RegistryData,
  today: CalendarDate,
  logged: ReadonlyMap<string, LoggedState> = loggedStatesOf(data),
): (cells: RawCells) => Status {
  return (cells) =>
    effectiveStatus(
      { status: logged.get(String(cells.projectId ?? '').trim())?.status ?? '草稿', endDate: typeof cells.endDate === 'string' ? cells.endDate : null },
      today,
    );
}

/**
 * A row a store read without parsing it (see the local store's lazy rows): while `pristine`, its cells are exactly
 * what the file holds, and `peek` gives the file's text (cellText) of a key column without parsing the row.
 */
export interface PeekableRow extends RegistryRow {
  readonly pristine: boolean;
  peek(key: string): string | undefined;
}

function peekable(row: RegistryRow): row is PeekableRow {
  return typeof (row as Partial<PeekableRow>).peek === 'function';
}

/** A row's text of a column (cellText), read without parsing the row where the store knows it. */
export function rowText(row: RegistryRow, key: string): string {
  if (peekable(row) && row.pristine) {
    const known = row.peek(key);
    if (known !== undefined) return known;
  }
  return cellText(row.cells[key]);
}

/**
 * A store's index of a sheet it read lazily (the local store's lazy rows): which rows something has made so far — read,
 * changed or added — and, for every other index, the file's text of a key column. With it, lookups by ID and
 * staleRows visit the others as texts and make (and parse) only the rows they select, instead of one row object per
 * index of a 50,000-project sheet.
 */
export interface RowIndex {
  /** The indexes of the rows made so far, ascending. */
  made(): number[];
  /** The file's text (cellText) of a key column of an index nothing made, or undefined where not known. */
  text(key: string, index: number): string | undefined;
}
const rowIndexes = new WeakMap<readonly RegistryRow[], RowIndex>();

/** Registers a store's index of a sheet's rows (see RowIndex); it lives as long as the array. */
export function rememberRowIndex(rows: readonly RegistryRow[], index: RowIndex): void {
  rowIndexes.set(rows, index);
}

/**
 * Calls `pristine` with a key column's text (undefined where unknown) for each row that holds what the file holds, and
 * `changed` for every other row, in index order; each returns whether to keep the row. Returns the rows kept: with a
 * store's RowIndex, the only rows made are those kept and those made before.
 */
function selectRows<R extends RegistryRow>(
  rows: readonly R[],
  pristine: (text: (key: string) => string | undefined) => boolean,
  changed: (row: R) => boolean,
): R[] {
  const index = rowIndexes.get(rows);
  const visit = (row: R) => (peekable(row) && row.pristine ? pristine((key) => row.peek(key)) : changed(row));
  if (!index) return rows.filter(visit);
  const made = index.made();
  const kept: number[] = [];
  let at = 0;
  const text = (key: string) => index.text(key, at);
  // Read once: on a store's lazy array every property read is a trap.
  const length = rows.length;
  for (let next = 0; at < length; at++) {
    if (made[next] === at) {
      next++;
      if (visit(rows[at]!)) kept.push(at);
    } else if (pristine(text)) kept.push(at);
  }
  return kept.map((i) => rows[i]!);
}

/** For each of `texts`, the rows whose `key` reads as it (cellText), in order: lookups by ID that parse no other row. */
export function rowsByText<R extends RegistryRow>(rows: readonly R[], key: string, texts: Iterable<string>): Map<string, R[]> {
  const found = new Map<string, R[]>([...texts].map((t) => [t, []]));
  // A row whose text the store does not know is parsed for it.
  const kept = selectRows(
    rows,
    (text) => {
      const known = text(key);
      return known === undefined || found.has(known);
    },
    (row) => found.has(rowText(row, key)),
  );
  for (const row of kept) found.get(rowText(row, key))?.push(row);
  return found;
}

/** The rows whose `key` reads as `text` (cellText), in order: a lookup by ID that parses no other row. */
export function rowsWithText<R extends RegistryRow>(rows: readonly R[], key: string, text: string): R[] {
  return rowsByText(rows, key, [text]).get(text)!;
}

/**
 * What a store's cache says about the file just read: every project row in it holds what deriveColumns gives it on
 * `on`, from the log and partners of that same file. Held per projects array, with what it was said about. A store's
 * PeekableRows of 合作单位 must peek `partnerId` and `name`, and those of 合作项目 `projectId`, `partnerId` and
 * `endDate` (undefined where unknown: the row is derived).
 */
interface DerivedMark {
  on: CalendarDate;
  log: RegistryData['reviewLog'];
  logCount: number;
  keys: string;
  partners: number;
}
const derivedMarks = new WeakMap<object, DerivedMark>();
/** The date deriveColumns last ran with on a projects array in this process. */
const lastDerived = new WeakMap<object, CalendarDate>();

/** Records that the rows just read were all derived on `on` (a store's cache of the file it vouches for). */
export function rememberDerived(data: RegistryData, on: CalendarDate): void {
  derivedMarks.set(data.projects, { on, log: data.reviewLog, logCount: data.reviewLog.length, keys: keysOf(data), partners: data.partners.length });
}

/**
 * The project rows that may no longer be derived for `on`, or null for all of them: rows read or added since, untouched
 * rows of a project with new log entries or of a partner whose row changed, and — on another day than the mark's —
 * untouched rows whose 结束日期 lies between the two days (the date reaches a row's derived cells only through expiry,
 * effectiveStatus), so the first step of a school day derives the projects that expire, not the registry. Settings keys,
 * a 日志更正 or a deleted partner row can change any row.
 */
function staleRows(data: RegistryData, mark: DerivedMark | undefined, on: CalendarDate): RegistryRow[] | null {
  const log = data.reviewLog;
  if (!mark || mark.log !== log || log.length < mark.logCount || keysOf(data) !== mark.keys) return null;
  const [from, to] = compareDates(mark.on, on) <= 0 ? [mark.on, on] : [on, mark.on];
  // An end date expires a signed project on the days after it: between the days it does on one and not on the other.
  const expiresBetween = (end: string | undefined) =>
    mark.on !== on && (end === undefined || (end !== '' && (!isCalendarDate(end) || (compareDates(end, from) >= 0 && compareDates(end, to) < 0))));
  const appended = log.slice(mark.logCount);
  if (appended.some((r) => r.cells.action === '日志更正')) return null;
  const projectsHit = new Set(appended.map((r) => cellText(r.cells.projectId)));
  const partnersHit = new Set<string>();
  let fileRows = 0;
  for (const p of data.partners) {
    if (peekable(p)) {
      fileRows++;
      if (p.pristine) continue;
      // A partner row read (for its name) but with the ID and name the file holds changes no project.
      const was = p.peek('partnerId');
      if (was === undefined) return null;
      const name = p.peek('name');
      const sameName = name === '' ? p.cells.name === null || p.cells.name === undefined : name !== undefined && p.cells.name === name;
      if (sameName && String(p.cells.partnerId ?? '') === was) continue;
      partnersHit.add(was);
    }
    partnersHit.add(cellText(p.cells.partnerId));
  }
  if (fileRows < mark.partners) return null;
  return selectRows(
    data.projects,
    (text) => {
      const id = text('projectId');
      const partner = text('partnerId');
      return id === undefined || partner === undefined || projectsHit.has(id) || partnersHit.has(partner) || expiresBetween(text('endDate'));
    },
    () => true,
  );
}

/**
 * Brings one project row's derived cells to what the log and its partner's name give on `today`; returns whether any
 * differed. `apply: false` only checks. One function derives and checks (deriveColumns, deriveProject, derivedOn).
 */
function deriveRow(cells: RawCells, partnerName: RawCells[string], state: LoggedState | undefined, today: CalendarDate, apply: boolean): boolean {
  let differs = false;
  const set = (key: string, value: unknown) => {
    if (cells[key] === value) return;
    differs = true;
    if (apply) cells[key] = value as never;
  };
  set('partnerName', partnerName);
  for (const [key, value] of Object.entries(loggedCells(state, cells.endDate, today))) set(key, value);
  // A signing date typed where the log records no signing is shown, counted and archived by no one.
  const signedAt = loggedSigningDate(state, cells.signedAt);
  const blank = cells.signedAt === null || cells.signedAt === undefined || cells.signedAt === '';
  if (signedAt === null ? !blank : cells.signedAt !== signedAt) set('signedAt', signedAt);
  return differs;
}

/** One project's derived cells, given its partner's name and its logged state (an import derives each new row as it writes it). */
export function deriveProject(cells: RawCells, partnerName: RawCells[string], state: LoggedState | undefined, today: CalendarDate): void {
  deriveRow(cells, partnerName, state, today, true);
}

/** deriveRow for a row among `names` (partner ID → name) and `logged` (project ID → state). */
function deriveAmong(
  cells: RawCells,
  names: ReadonlyMap<string, unknown>,
  logged: ReadonlyMap<string, LoggedState>,
  today: CalendarDate,
  apply: boolean,
): boolean {
  const name = (names.get(String(cells.partnerId ?? '')) ?? null) as RawCells[string];
  return deriveRow(cells, name, logged.get(String(cells.projectId ?? '')), today, apply);
}

/** Partner names by ID (the last row of an ID wins), for the given project rows only: other partner rows stay unparsed. */
function partnerNames(data: RegistryData, rows: readonly RegistryRow[]): Map<string, unknown> {
  const all = rows === data.projects;
  const wanted = all ? null : new Set(rows.map((r) => cellText(r.cells.partnerId)));
  const names = new Map<string, unknown>();
  for (const p of data.partners) if (!wanted || wanted.has(rowText(p, 'partnerId'))) names.set(String(p.cells.partnerId ?? ''), p.cells.name ?? null);
  return names;
}

export function deriveColumns(data: RegistryData, today: CalendarDate): void {
  // Rows the file already holds derived for today, and nothing since has touched, need no derivation.
  const rows = staleRows(data, derivedMarks.get(data.projects), today) ?? data.projects;
  const names = partnerNames(data, rows);
  const logged = replayed(data).states;
  for (const { cells } of rows) deriveAmong(cells, names, logged, today, true);
  lastDerived.set(data.projects, today);
}

/**
 * The date every project row is derived for (what a store may cache beside the file it writes), or undefined: the
 * date deriveColumns last ran with, else the one the cache vouched for, checked on every row that may have changed.
 */
export function derivedOn(data: RegistryData): CalendarDate | undefined {
  const mark = derivedMarks.get(data.projects);
  const on = lastDerived.get(data.projects) ?? mark?.on;
  if (!on || !checkLog(data.reviewLog).ok) return undefined;
  const rows = staleRows(data, mark, on) ?? data.projects;
  const names = partnerNames(data, rows);
  const logged = replayed(data).states;
  return rows.some((r) => deriveAmong(r.cells, names, logged, on, false)) ? undefined : on;
}

/** Finds a partner by ID, or by its name after normalisation (trim, full/half-width brackets). */
export function findPartner(data: RegistryData, idOrName: string): RegistryData['partners'][number] | undefined {
  const byId = data.partners.find((p) => p.cells.partnerId === idOrName);
  if (byId) return byId;
  const wanted = normalizeName(idOrName);
  return data.partners.find((p) => typeof p.cells.name === 'string' && normalizeName(p.cells.name) === wanted);
}
