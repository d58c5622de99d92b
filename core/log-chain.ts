/**
 * The review log's hash chain: one canonical encoding of a 审批记录 row and one chaining rule, used by the CLI
 * and Apps Script alike. Each row's 校验值 is SHA-256(previous 校验值 + "\n" + canonical row), so a row typed,
 * edited, reordered or deleted by hand breaks the chain at a named row; an anchor kept out of the workbook's
 * reach (beside the local file, in script properties) catches a chain recomputed or extended as a whole.
 */
import { LOG_CHAIN_TEXT as T } from './log-text.js';
import type { RawCells } from './rows.js';
import { reviewLogSheet, type ReviewLogRow } from './schema.js';
import { sha256Hex } from './sha256.js';
import { signatureVerdict } from './log-keys.js';
import { mayRecord, type Settings } from './settings.js';

/** SHA-256 of a string's UTF-8 bytes as lower-case hex; node injects node:crypto, Apps Script may inject its own. */
export type Hasher = (text: string) => string;

/** Every column but the hash itself, in schema order: the fields the hash vouches for. */
export const CHAINED_KEYS: readonly string[] = reviewLogSheet.columns.map((c) => c.key).filter((k) => k !== 'hash');

function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

/** The canonical text of a log row: its chained fields as a JSON array of strings (blank and null alike). */
export function canonicalLogEntry(cells: Readonly<Record<string, unknown>>): string {
  // Byte for byte JSON.stringify of the array; plain text (the usual case) skips the escaper.
  let out = '[';
  for (let i = 0; i < CHAINED_KEYS.length; i++) {
    const v = field(cells[CHAINED_KEYS[i]!]);
    out += (i ? ',' : '') + (NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`);
  }
  return `${out}]`;
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** The canonical text of a row without its signature: what a person's key signs. */
export function signedLogText(cells: Readonly<Record<string, unknown>>): string {
  return canonicalLogEntry({ ...cells, signature: null });
}

let defaultHasher: Hasher = sha256Hex;

/** Hosts with a native SHA-256 (node:crypto) install it once at start-up; the result is identical, only faster. */
export function setLogHasher(hash: Hasher): void {
  defaultHasher = hash;
}

export function linkHash(previous: string, cells: Readonly<Record<string, unknown>>, hash: Hasher = defaultHasher): string {
  return hash(`${previous}\n${canonicalLogEntry(cells)}`);
}

/** The last row a program of this system verified or wrote: how many rows, and the hash of the last. */
export interface ChainAnchor {
  count: number;
  head: string;
  /** Written just before a save that appends rows and replaced by the plain anchor after it, so a crash in between is not a break. */
  pending?: { count: number; head: string };
  /**
   * Another program of this system appends to the same log where it cannot move this anchor (the CLI writes the
   * shared sheet through the API; the anchor is in the script's properties): rows past the anchor that chain from
   * it are that program's, not a break. The anchor still proves that nothing up to it was rewritten or removed.
   */
  sharedLog?: boolean;
  /**
   * Of a shared log: how many leading rows a full verification vouched for (default `count`). Past it, rows of the
   * other program and rows this system sealed onto its own head without reading the sheet may interleave.
   */
  vouched?: number;
}

export interface ChainBreak {
  /** 0-based position in the log. */
  index: number;
  sheetRow?: number;
  message: string;
}

export interface ChainReport {
  ok: boolean;
  count: number;
  /** Hash of the last row as stored ('' for an empty log). */
  head: string;
  /** The first broken link. */
  break?: ChainBreak;
  /** Positions of every row whose stored hash does not match the chain, for a repair's record. */
  badRows: number[];
  /**
   * Of a shared log: positions of rows past what a verification vouched for, which chain correctly but which this
   * system did not write. They count only when their actor holds the role for the action (see trustedLog).
   */
  unvouched: number[];
}

type LogRow = { cells: RawCells; sheetRow?: number };

/**
 * Verifies a whole log. `anchor` undefined: none is kept for this store, only links are checked;
 * null: one should exist but does not. Linear: one hash per row.
 */
export function verifyChain(rows: readonly LogRow[], anchor: ChainAnchor | null | undefined, where = '', hash: Hasher = defaultHasher): ChainReport {
  let previous = '';
  let first: ChainBreak | undefined;
  const badRows: number[] = [];
  const unvouched: number[] = [];
  const vouched = anchor?.sharedLog ? (anchor.vouched ?? anchor.count) : Number.POSITIVE_INFINITY;
  for (let i = 0; i < rows.length; i++) {
    const { cells, sheetRow } = rows[i]!;
    const stored = field(cells.hash);
    const expected = linkHash(previous, cells, hash);
    const skipped = stored !== expected && i > 1 && badRows.at(-1) !== i - 1 ? skippedFrom(rows, i, stored, hash) : -1;
    if (skipped >= 0 && skipped + 1 >= vouched) {
      // A shared log past its vouched rows: the other program appended while this system sealed onto its own head.
    } else if (skipped >= 0) {
      // Sealed onto an earlier head: the rows between were slipped in by another program before this system wrote it.
      for (let k = skipped + 1; k < i; k++) if (!badRows.includes(k)) badRows.push(k);
      if (!first)
        first = {
          index: skipped + 1,
          ...(rows[skipped + 1]!.sheetRow === undefined ? {} : { sheetRow: rows[skipped + 1]!.sheetRow! }),
          message: T.inserted(rows[skipped + 1]!.sheetRow, skipped + 1, i - skipped - 1),
        };
    } else if (stored !== expected) {
      badRows.push(i);
      if (!first) {
        const next = rows[i + 1];
        const message = !stored
          ? T.noHash(sheetRow, i)
          : next && stored === linkHash(field(next.cells.hash), cells, hash)
            ? T.swapped(sheetRow, i)
            : T.mismatch(sheetRow, i);
        first = { index: i, ...(sheetRow === undefined ? {} : { sheetRow }), message };
      }
    }
    // Chain on what is stored, so one bad row names itself and the rows after it still verify.
    previous = stored;
  }
  const head = previous;
  if (!first && anchor !== undefined) {
    first = anchorBreak(rows, anchor, where);
    // Rows appended past the anchor by another program chain correctly yet were never written here.
    if (first && anchor && rows.length > anchor.count && first.index === anchor.count) for (let i = anchor.count; i < rows.length; i++) badRows.push(i);
  }
  // Past what a verification vouched for, this system's own rows and the other program's interleave: none is vouched.
  if (!first && anchor?.sharedLog) for (let i = Math.max(vouched, 0); i < rows.length; i++) if (!badRows.includes(i)) unvouched.push(i);
  badRows.sort((a, b) => a - b);
  return { ok: !first, count: rows.length, head, ...(first ? { break: first } : {}), badRows, unvouched };
}

/**
 * Where a shared log's anchored head stands now (-1 when nowhere it may): at its own place, or further down when
 * the other program's rows slipped in before this system's own appends.
 */
function sharedHeadIndex(rows: readonly LogRow[], anchor: ChainAnchor): number {
  if (anchor.count === 0) return anchor.head === '' ? -1 : -2;
  for (let i = anchor.count - 1; i < rows.length; i++) if (field(rows[i]!.cells.hash) === anchor.head) return i;
  return -2;
}

/** How far back a row sealed onto an earlier head is looked for: the few rows another program could slip in between two writes. */
const SKIP_WINDOW = 20;

/**
 * The index of the earlier row `rows[i]` was sealed onto, when it links not to its neighbour but to a row a little
 * further up (-1 when none): Apps Script seals an edit's row onto the head its anchor names without reading the sheet.
 */
function skippedFrom(rows: readonly LogRow[], i: number, stored: string, hash: Hasher): number {
  if (!stored) return -1;
  for (let j = i - 2; j >= Math.max(-1, i - 1 - SKIP_WINDOW); j--)
    if (stored === linkHash(j < 0 ? '' : field(rows[j]!.cells.hash), rows[i]!.cells, hash)) return j;
  return -1;
}

function anchorBreak(rows: readonly LogRow[], anchor: ChainAnchor | null, where: string): ChainBreak | undefined {
  if (!anchor)
    return rows.length ? { index: 0, ...(rows[0]!.sheetRow === undefined ? {} : { sheetRow: rows[0]!.sheetRow }), message: T.anchorMissing(where) } : undefined;
  const matches = (a: { count: number; head: string }) =>
    rows.length === a.count && (a.count === 0 ? a.head === '' : field(rows[a.count - 1]!.cells.hash) === a.head);
  if (matches(anchor) || (anchor.pending && matches(anchor.pending))) return undefined;
  // The links were checked before this is asked: what is past the anchor chains from it.
  if (anchor.sharedLog && rows.length > anchor.count && sharedHeadIndex(rows, anchor) >= -1) return undefined;
  const row = (i: number) => rows[i]?.sheetRow;
  const brk = (i: number, message: string): ChainBreak => ({ index: i, ...(row(i) === undefined ? {} : { sheetRow: row(i)! }), message });
  if (rows.length < anchor.count) return brk(Math.max(rows.length - 1, 0), T.truncated(rows.length, anchor.count));
  if (anchor.count > 0 && field(rows[anchor.count - 1]!.cells.hash) !== anchor.head)
    return brk(anchor.count - 1, T.rewritten(row(anchor.count - 1), anchor.count - 1));
  return brk(anchor.count, T.unanchored(row(anchor.count), anchor.count, rows.length - anchor.count));
}

/** The anchor for a log as it now stands (after a verification or a write by this system). */
export function anchorOf(rows: readonly { cells: RawCells }[]): ChainAnchor {
  return { count: rows.length, head: rows.length ? field(rows[rows.length - 1]!.cells.hash) : '' };
}

/** Optional per-row signer: returns the 签名 cell for an entry (see keys in sync/), or null to leave it as given. */
export type EntrySigner = (entry: ReviewLogRow) => string | null;

/**
 * The one way rows join 审批记录: each entry gets its 校验值 chained to the row before. Returns the sealed
 * cells as appended. The caller has verified the chain first (workflow refuses on a broken one).
 */
export function appendLogEntries(
  log: { cells: RawCells }[],
  entries: readonly ReviewLogRow[],
  hash: Hasher = defaultHasher,
  sign?: EntrySigner,
): ReviewLogRow[] {
  let previous = log.length ? field(log[log.length - 1]!.cells.hash) : '';
  const memo = verified.get(log);
  const wasIntact = !!memo && memo.report.ok && memo.count === log.length && memo.head === previous;
  const sealed: ReviewLogRow[] = [];
  for (const entry of entries) {
    const cells = { ...entry, hash: null } as ReviewLogRow;
    const signature = sign?.(cells);
    if (signature) cells.signature = signature;
    cells.hash = linkHash(previous, cells, hash);
    previous = cells.hash;
    log.push({ cells: { ...cells } as RawCells });
    sealed.push(cells);
  }
  // Rows this system appends to a log it has verified are anchored as they are written.
  const attached = anchors.get(log);
  const unvouched = wasIntact ? memo.report.unvouched : [];
  if (attached && sealed.length) {
    // A shared log's rows the other program wrote stay unvouched: sealing after them does not make them this system's.
    const was = attached.anchor;
    const keep = was?.sharedLog ? { sharedLog: true, ...(unvouched.length ? { vouched: was.vouched ?? was.count } : {}) } : {};
    anchors.set(log, { ...attached, anchor: { ...anchorOf(log), ...keep } });
  }
  // A verified log stays verified by rows sealed onto it: no need to hash it all again (keeps batches linear).
  if (wasIntact && sealed.length)
    verified.set(log, { count: log.length, head: previous, report: { ok: true, count: log.length, head: previous, badRows: [], unvouched } });
  return sealed;
}

/**
 * `coop log repair`: re-seals every row as it now stands (no row is removed or changed but its 校验值),
 * appends a 日志更正 entry naming what was found and, unless the office vouches for them, which rows no
 * longer count, and anchors the result.
 */
export function repairChain(
  log: { cells: RawCells; sheetRow?: number }[],
  entry: ReviewLogRow,
  report: ChainReport,
  keepBadRows: boolean,
  hash: Hasher = defaultHasher,
): ReviewLogRow {
  let previous = '';
  for (const row of log) {
    row.cells.hash = linkHash(previous, row.cells, hash);
    previous = row.cells.hash;
  }
  const excluded = keepBadRows ? [] : report.badRows.map((i) => log[i]!.sheetRow ?? i + 2);
  const remark = T.repairRemark(entry.remark ?? '', report.break?.message ?? '', excluded);
  const attached = anchors.get(log);
  anchors.set(log, { anchor: anchorOf(log), where: attached?.where ?? '' });
  return appendLogEntries(log, [{ ...entry, remark }], hash)[0]!;
}

/** Sheet rows a 日志更正 entry took out of the count, read back from its remark. */
export function excludedByRepairs(log: readonly { cells: RawCells }[]): Set<number> {
  const out = new Set<number>();
  for (const { cells } of log) {
    if (cells.action !== '日志更正') continue;
    for (const n of T.excludedRows(String(cells.remark ?? ''))) out.add(n);
  }
  return out;
}

const anchors = new WeakMap<object, { anchor: ChainAnchor | null; where: string }>();
const verified = new WeakMap<object, { count: number; head: string; report: ChainReport }>();

/** A store records beside the rows it read where their anchor is kept and what it says (null: it should exist but does not). */
export function attachAnchor(log: readonly LogRow[], anchor: ChainAnchor | null, where: string): void {
  anchors.set(log, { anchor, where });
}

export function attachedAnchor(log: readonly LogRow[]): { anchor: ChainAnchor | null; where: string } | undefined {
  return anchors.get(log);
}

/** verifyChain with the anchor the store attached; remembered until the log grows or its last hash changes. */
export function checkLog(log: readonly LogRow[]): ChainReport {
  const last = log.length ? field(log[log.length - 1]!.cells.hash) : '';
  const memo = verified.get(log);
  if (memo && memo.count === log.length && memo.head === last) return memo.report;
  const attached = anchors.get(log);
  const report = verifyChain(log, attached?.anchor, attached?.where ?? '');
  verified.set(log, { count: log.length, head: last, report });
  return report;
}

/**
 * Records a verification done earlier of exactly these rows against the same anchor (a store's cache keyed by the
 * file's content), so checkLog need not hash the log again. Ignored unless the report fits the rows' count and head.
 */
export function rememberCheck(log: readonly LogRow[], report: ChainReport): void {
  const last = log.length ? field(log[log.length - 1]!.cells.hash) : '';
  if (report.count === log.length && report.head === last) verified.set(log, { count: log.length, head: last, report });
}

/** The rows the chain vouches for, in order: a row typed, edited or appended by another program never counts. */
export function trustedLog(log: readonly LogRow[], settings?: Settings): RawCells[] {
  const report = checkLog(log);
  const bad = new Set(report.badRows);
  const excluded = excludedByRepairs(log);
  return log.filter((r, i) => !bad.has(i) && !excluded.has(r.sheetRow ?? i + 2) && vouchedFor(log, i, report, settings)).map((r) => r.cells);
}

/**
 * Whether the chain's sound row `i` also counts under `settings`: signed by a listed key when keys are listed, and —
 * on a shared log, past what a verification vouched for — recorded by someone who holds the role for its action.
 */
export function vouchedFor(log: readonly LogRow[], i: number, report: ChainReport, settings?: Settings): boolean {
  if (!settings) return true;
  const { cells } = log[i]!;
  if (settings.publicKeys && ['missing', 'bad'].includes(signatureVerdict(cells, settings))) return false;
  // Unvouched rows run from the first one to the end (bad rows aside, which never count anyway).
  return i < (report.unvouched[0] ?? Number.POSITIVE_INFINITY) || mayRecord(settings, cells);
}
