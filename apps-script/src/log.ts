/**
 * 审批记录 on the shared sheet: appended in one batch, in schema order, each row sealed into the hash chain by
 * core; the chain's anchor lives in the script's properties, where no editor of the sheet can reach it, beside a
 * cache of each project's logged state keyed by that anchor, so an edit trigger learns a state without reading the log.
 */
import {
  LOG_CHAIN_TEXT,
  REVIEW_DEPARTMENT_NAMES,
  STATUSES,
  anchorOf,
  appendLogEntries,
  attachAnchor,
  checkLog,
  mayRecord,
  emptyLoggedState,
  emptyRegistry,
  loggedStates,
  loggedStatesOf,
  reviewLogSheet,
  schoolDate,
  workflowProject,
  type ChainAnchor,
  type ChainReport,
  type LoggedState,
  type ProjectRow,
  type RawCells,
  type RegistryRow,
  type ReviewLogRow,
  type Status,
} from '../../core/index.js';
import { cachedSettings, cachedSettingsRows, sheetOf } from './registry.js';
import { LOG_REPAIR_TEXT } from './text.js';
import { dataRows, readTable, rowCells, tableFromValues, toDomain, toSheet } from './table.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const ANCHOR_PROPERTY = 'coop.reviewLog.anchor';
const ANCHOR_WHERE = '脚本属性 coop.reviewLog.anchor';
/** Which anchor the state cache was replayed at ({count, head, buckets}); the cache counts only while it equals the anchor. */
export const STATES_PROPERTY = 'coop.reviewLog.states';
const BUCKET_PREFIX = 'coop.reviewLog.states.';
/** Set when someone edits 审批记录 by hand: the anchor's row count can no longer be taken on trust. */
export const TOUCHED_PROPERTY = 'coop.reviewLog.touched';

function readAnchor(): ChainAnchor | null {
  const text = PropertiesService.getScriptProperties().getProperty(ANCHOR_PROPERTY);
  if (!text) return null;
  try {
    const a = JSON.parse(text) as ChainAnchor;
    return Number.isInteger(a.count) && typeof a.head === 'string' ? a : null;
  } catch {
    return null;
  }
}

export function writeAnchor(anchor: ChainAnchor): void {
  PropertiesService.getScriptProperties().setProperty(ANCHOR_PROPERTY, JSON.stringify(anchor));
}

/**
 * Every 审批记录 row with its sheet row, the script-property anchor attached (one read of the sheet). `grid`: the
 * sheet's values (header row first) when the caller already read them another way.
 */
export function readLogRows(ss: Spreadsheet, grid?: unknown[][]): RegistryRow[] {
  const sheet = grid ? null : sheetOf(ss, 'reviewLog');
  // Only the values are needed here: a grid read another way has no sheet or range to go with it.
  const table = grid ? tableFromValues(null as never, reviewLogSheet, null as never, grid) : sheet ? readTable(sheet, reviewLogSheet) : null;
  const rows: RegistryRow[] = table ? dataRows(table).map((r0) => ({ cells: rowCells(table, r0), sheetRow: r0 + 1 })) : [];
  // A sheet set up before the chain existed has no anchor and no hashes: an empty log needs none.
  const anchor = rows.length ? readAnchor() : (readAnchor() ?? { count: 0, head: '' });
  // The CLI appends here through the API and cannot move this anchor: rows past it that chain from it are the CLI's.
  attachAnchor(rows, anchor && { ...anchor, sharedLog: true }, ANCHOR_WHERE);
  return rows;
}

/** The chain's verdict on the sheet's log, against the anchor in the script's properties. */
export function verifyLog(ss: Spreadsheet): { rows: RegistryRow[]; report: ChainReport } {
  const rows = readLogRows(ss);
  return { rows, report: checkLog(rows) };
}

export interface LoggedSheet {
  rows: RegistryRow[];
  report: ChainReport;
  /** Each project's state as the trusted rows record it: core's loggedStatesOf, the function every CLI report uses. */
  logged: Map<string, LoggedState>;
}

/**
 * The whole log read and verified, each project's state derived from it with 设置 deciding trust, as the CLI does;
 * a verified log also refreshes the state cache and clears the hand-edit flag — only under the document lock
 * (`locked`), so a rebuild never interleaves with an append that is moving the cache on.
 */
export function loggedSheet(ss: Spreadsheet, locked = true, settingsRows: readonly RawCells[] = cachedSettingsRows(ss)): LoggedSheet {
  const { rows, report } = verifyLog(ss);
  const data = emptyRegistry();
  data.reviewLog = rows;
  data.settings = settingsRows.map((cells) => ({ cells }));
  const logged = loggedStatesOf(data);
  if (report.ok && locked) {
    storeStates(anchorOf(rows), logged);
    PropertiesService.getScriptProperties().deleteProperty(TOUCHED_PROPERTY);
  }
  return { rows, report, logged };
}

/** A project row as the state machine must see it: its cells, with status, ticks and meetings as the trusted log records them. */
export function projectOnLog(cells: RawCells, sheetLog: Pick<LoggedSheet, 'logged'>, now: Date): ProjectRow {
  return workflowProject(cells, sheetLog.logged.get(String(cells.projectId ?? '').trim()), schoolDate(now));
}

/** What a workflow action says while the chain is broken: the first broken link and what the office should do. */
export function brokenLogMessage(report: ChainReport): string {
  return [LOG_CHAIN_TEXT.broken(report.break?.message ?? ''), LOG_REPAIR_TEXT.advice].join('\n');
}

/** An edit of 审批记录 by hand: remembered, so the next append reads the sheet instead of trusting the anchor. */
export function logTouched(): void {
  PropertiesService.getScriptProperties().setProperty(TOUCHED_PROPERTY, new Date().toISOString());
}

/**
 * One project's logged state from the cache, without reading the sheet; null when the cache cannot vouch for it
 * (never built, built at another anchor, or 审批记录 edited by hand since), and the caller must read the log.
 */
export function cachedLoggedState(projectId: string): LoggedState | null {
  const props = PropertiesService.getScriptProperties();
  const meta = cacheMeta(props);
  const anchor = readAnchor();
  if (!meta || !anchor || anchor.pending || meta.count !== anchor.count || meta.head !== anchor.head || props.getProperty(TOUCHED_PROPERTY)) return null;
  const bucket = readBucket(props, bucketOf(projectId, meta.buckets));
  // A bucket gone (or garbled) cannot say the project is a draft: read the log instead.
  if (!bucket) return null;
  const packed = bucket[projectId];
  return packed ? unpack(packed) : emptyLoggedState();
}

interface CacheMeta {
  count: number;
  head: string;
  buckets: number;
}

type Packed = [string, string, number, string, string, string];

function cacheMeta(props: GoogleAppsScript.Properties.Properties): CacheMeta | null {
  try {
    const m = JSON.parse(props.getProperty(STATES_PROPERTY) ?? 'null') as CacheMeta | null;
    return m && Number.isInteger(m.count) && typeof m.head === 'string' && Number.isInteger(m.buckets) && m.buckets > 0 ? m : null;
  } catch {
    return null;
  }
}

function readBucket(props: GoogleAppsScript.Properties.Properties, i: number): Record<string, Packed> | null {
  try {
    return JSON.parse(props.getProperty(`${BUCKET_PREFIX}${i}`) ?? 'null') as Record<string, Packed> | null;
  } catch {
    return null;
  }
}

/** FNV-1a: a stable spread of project IDs over the buckets (a property value holds at most 9 kB). */
function bucketOf(projectId: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < projectId.length; i++) h = Math.imul(h ^ projectId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % buckets;
}

function pack(s: LoggedState): Packed {
  const reviews = [...s.reviews].map((d) => REVIEW_DEPARTMENT_NAMES.indexOf(d)).join('');
  return [s.status, reviews, (s.presidentMeeting ? 1 : 0) + (s.partyCommittee ? 2 : 0), s.signedAt ?? '', s.agreementNo ?? '', s.approvedOn ?? ''];
}

function unpack([status, reviews, meetings, signedAt, agreementNo, approvedOn]: Packed): LoggedState {
  return {
    status: ((STATUSES as readonly string[]).includes(status) ? status : '草稿') as Status,
    reviews: new Set([...reviews].map((i) => REVIEW_DEPARTMENT_NAMES[Number(i)]!).filter(Boolean)),
    presidentMeeting: (meetings & 1) === 1,
    partyCommittee: (meetings & 2) === 2,
    ...(signedAt ? { signedAt } : {}),
    ...(agreementNo ? { agreementNo } : {}),
    ...(approvedOn ? { approvedOn } : {}),
  };
}

const BUCKET_LIMIT = 8000;

/** Replaces the cache with `logged`, keyed by `anchor`: as many buckets as keep each under the property size limit. */
function storeStates(anchor: ChainAnchor, logged: ReadonlyMap<string, LoggedState>): void {
  const props = PropertiesService.getScriptProperties();
  const old = cacheMeta(props);
  if (old && old.count === anchor.count && old.head === anchor.head && !props.getProperty(TOUCHED_PROPERTY)) return;
  const entries = [...logged].map(([id, s]) => [id, pack(s)] as const);
  let buckets = Math.max(1, Math.ceil(JSON.stringify(entries).length / (BUCKET_LIMIT / 2)));
  let grouped: Record<string, Packed>[];
  for (;;) {
    grouped = Array.from({ length: buckets }, () => ({}));
    for (const [id, packed] of entries) grouped[bucketOf(id, buckets)]![id] = packed;
    if (grouped.every((g) => JSON.stringify(g).length <= BUCKET_LIMIT)) break;
    buckets *= 2;
  }
  // The meta goes last and names the anchor: a run stopped half-way leaves a cache that does not count.
  props.deleteProperty(STATES_PROPERTY);
  writeCache(props, () => {
    grouped.forEach((g, i) => props.setProperty(`${BUCKET_PREFIX}${i}`, JSON.stringify(g)));
    for (let i = buckets; i < (old?.buckets ?? 0); i++) props.deleteProperty(`${BUCKET_PREFIX}${i}`);
    props.setProperty(STATES_PROPERTY, JSON.stringify({ count: anchor.count, head: anchor.head, buckets }));
  });
}

/**
 * Cache writes that may meet the script properties' quota (500 kB in all) on a very large registry: then the cache
 * is dropped and every edit reads the log instead — slower, never wrong, and the edit itself goes through.
 */
function writeCache(props: GoogleAppsScript.Properties.Properties, write: () => void): void {
  try {
    write();
  } catch (error) {
    props.deleteProperty(STATES_PROPERTY);
    console.warn(`审批记录状态缓存未能保存：${String((error as Error)?.message ?? error)}`);
  }
}

/** Moves a cache that was current at `from` to `to` by replaying the appended entries onto the states they touch. */
function advanceStates(from: ChainAnchor, to: ChainAnchor, sealed: readonly ReviewLogRow[]): void {
  const props = PropertiesService.getScriptProperties();
  const meta = cacheMeta(props);
  if (!meta || meta.count !== from.count || meta.head !== from.head) return;
  const touched = new Map<number, Record<string, Packed>>();
  const states = new Map<string, LoggedState>();
  for (const e of sealed) {
    const id = e.projectId ?? '';
    if (states.has(id)) continue;
    const i = bucketOf(id, meta.buckets);
    if (!touched.has(i)) touched.set(i, readBucket(props, i) ?? {});
    const packed = touched.get(i)![id];
    states.set(id, packed ? unpack(packed) : emptyLoggedState());
  }
  loggedStates(sealed, states);
  for (const [id, s] of states) touched.get(bucketOf(id, meta.buckets))![id] = pack(s);
  const texts = [...touched].map(([i, bucket]) => [i, JSON.stringify(bucket)] as const);
  // A bucket grown past a property's size: let the next full read rebuild the cache with more buckets.
  if (texts.some(([, text]) => text.length > BUCKET_LIMIT)) {
    props.deleteProperty(STATES_PROPERTY);
    return;
  }
  writeCache(props, () => {
    for (const [i, text] of texts) props.setProperty(`${BUCKET_PREFIX}${i}`, text);
    props.setProperty(STATES_PROPERTY, JSON.stringify({ count: to.count, head: to.head, buckets: meta.buckets }));
  });
}

/**
 * Seals and appends entries, then moves the anchor (and the state cache with it). With `rows` (from verifyLog, the
 * chain just checked) the anchor moves when the chain holds. Without them (edit triggers, 30 s) the sheet is not read:
 * one entry is sealed onto the head the anchor names and appended with appendRow (which never overwrites), unless
 * 审批记录 was edited by hand since — then its last row is read, and the anchor stays, so the change is reported.
 * A row another program appended meanwhile shows up at the next verification as rows slipped in before this one.
 */
export function appendLog(ss: Spreadsheet, entries: readonly ReviewLogRow[], rows?: RegistryRow[]): ReviewLogRow[] {
  if (!entries.length) return [];
  const sheet = sheetOf(ss, 'reviewLog');
  if (!sheet) throw new Error('审批记录工作表不存在，请先运行「初始化/修复登记表」');
  const anchor = readAnchor();
  const touched = !!PropertiesService.getScriptProperties().getProperty(TOUCHED_PROPERTY);
  let tail: RegistryRow[];
  let intact: boolean;
  let lastRow: number;
  if (rows) {
    lastRow = sheet.getLastRow();
    tail = rows;
    intact = checkLog(rows).ok;
  } else if (anchor && !anchor.pending && !touched && entries.length === 1) {
    // The anchor counts every row this system wrote or verified: its head is the hash to chain to, no read needed.
    lastRow = anchor.count + 1;
    tail = anchor.count ? [{ cells: { hash: anchor.head } }] : [];
    intact = true;
  } else {
    lastRow = sheet.getLastRow();
    const count = Math.max(lastRow - 1, 0);
    const known = anchor ?? (count ? null : { count: 0, head: '' });
    if (known && known.count === count && !touched) {
      tail = count ? [{ cells: { hash: known.head } }] : [];
      intact = true;
    } else {
      // Someone else wrote since (by hand, or the CLI through the API, which cannot move this anchor): chain to the
      // real last row, and leave the anchor where it was so verification checks the rows after it link by link.
      const width = reviewLogSheet.columns.length;
      tail = count ? [{ cells: cellsOf(sheet.getRange(lastRow, 1, 1, width).getValues()[0]!) }] : [];
      intact = false;
    }
  }
  const sealed = appendLogEntries(tail, entries);
  const values = sealed.map(logValues);
  if (values.length === 1) sheet.appendRow(values[0]!);
  else sheet.getRange(lastRow + 1, 1, values.length, values[0]!.length).setValues(values);
  // A broken chain keeps its old anchor, so the break stays visible until the office repairs it.
  if (intact) {
    const from = { count: Math.max(lastRow - 1, 0), head: tail.length > sealed.length ? String(tail[tail.length - sealed.length - 1]!.cells.hash ?? '') : '' };
    const to: ChainAnchor = { count: from.count + sealed.length, head: anchorOf(tail).head, ...vouchedAfter(ss, anchor, rows) };
    writeAnchor(to);
    advanceStates(from, to, sealed);
  }
  return sealed;
}

/**
 * How many rows the anchor moved by an append still vouches for. A blind append (no read) vouches for nothing new:
 * the CLI may have appended meanwhile. After a full verification every row is vouched for — except when rows the
 * CLI could have written name someone without the role: those must stay unvouched, so anchoring never launders them.
 */
function vouchedAfter(ss: Spreadsheet, anchor: ChainAnchor | null, rows: readonly RegistryRow[] | undefined): Pick<ChainAnchor, 'vouched'> {
  const before = anchor ? (anchor.vouched ?? anchor.count) : 0;
  if (!rows) return { vouched: before };
  const { settings } = cachedSettings(ss);
  const laundered = checkLog(rows).unvouched.some((i) => !mayRecord(settings, rows[i]!.cells));
  return laundered ? { vouched: before } : {};
}

/** A sealed entry as the sheet row appendLog writes: schema order, text neutralised. */
export function logValues(entry: ReviewLogRow): unknown[] {
  return reviewLogSheet.columns.map((c) => toSheet((entry as Record<string, string | null>)[c.key] ?? null, c));
}

/** One 审批记录 row in schema order (as appendLog writes it) as domain cells. */
function cellsOf(values: readonly unknown[]): RegistryRow['cells'] {
  return Object.fromEntries(reviewLogSheet.columns.map((c, i) => [c.key, toDomain(values[i], c)]));
}
