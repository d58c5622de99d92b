/**
 * State derived from 审批记录 cached beside the local registry (`NAME.state.json`): the chain's verification and
 * each project's logged state, keyed by the workbook's zip directory (registryKey) and the chain anchor, so a command
 * on a file this system wrote and nobody has touched since never hashes or replays the whole log again. Any other
 * file — edited by hand, saved by Excel, restored from a backup — misses the cache and is verified in full.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import {
  anchorOf,
  attachedAnchor,
  checkLog,
  currentLoggedStates,
  derivedOn,
  rememberCheck,
  rememberDerived,
  rememberLoggedStates,
  REVIEW_DEPARTMENT_NAMES,
  type ChainReport,
  type LoggedState,
  type PeekableRow,
  type RegistryData,
  type RegistryRow,
  type ReviewDepartment,
  type SheetKey,
  type Status,
} from '../../../core/index.js';
import { endRecordAt, END_RECORD_REACH, type Segment } from '../excel/zip-parts.js';
import { byteLength, overwriteSealedFile, type FileBytes } from './atomic-file.js';
import { columnTexts, numberedFromRow2, type LazySheet } from './xlsx-patch.js';

/** The cache file's format: a cache of another version is simply missed once. */
export const STATE_CACHE_VERSION = 7;
const VERSION = STATE_CACHE_VERSION;

/** Sheets whose rows a locked step may leave unparsed, and the key columns recorded per row to find them by. */
// 合作项目's 结束日期: the first step of a school day derives only the projects that expire (core staleRows).
const LAZY_SHEETS: Partial<Record<SheetKey, readonly string[]>> = {
  reviewLog: [],
  projects: ['projectId', 'partnerId', 'endDate'],
  partners: ['partnerId', 'name'],
};

export function statePath(registry: string): string {
  return join(dirname(registry), `${basename(registry, extname(registry))}.state.json`);
}

type StoredState = Omit<LoggedState, 'reviews'> & { reviews: ReviewDepartment[] };

/**
 * The file is the SHA-256 of the rest (one hex line: a cache edited by hand or half-synced by a cloud drive is
 * ignored, not trusted row by row), a line of JSON (this head) and then one line per project (stateLine), opening with
 * `["id",`: a step parses only the projects it reads and writes the others' lines back as they were.
 */
export interface StateCache {
  version: number;
  /** The registry file the state was derived from (registryKey). */
  file: string;
  /** The anchor the chain was verified against, as JSON (the report depends on it as much as on the rows). */
  anchor: string;
  /** The log's chain head (count and last 校验值): what the states were replayed up to. */
  count: number;
  head: string;
  states: [string, StoredState][];
  /** How this system deflated each part it wrote, by part name: [chars, bytes, compressed size, CRC-32, first row?] per segment. */
  segments?: Record<string, ([number, number, number, number] | [number, number, number, number, number])[]>;
  /** Sheets whose rows are exactly rows 2 … count + 1, with their key columns' text per row: a later step may leave them unparsed. */
  rows?: Partial<Record<SheetKey, LazySheet>>;
  /** Shared strings (index, text) every step reads: headers and the sheets read whole. The table never changes in a patch. */
  strings?: [number, string][];
  /** The school date every 合作项目 row of the file is derived for (core derivedOn): a step that day derives only what it touches. */
  derivedOn?: string;
  /** The review departments in the order of the lines' bit masks (another order is a miss). */
  departments?: string[];
}

/** SHA-256 of a file's bytes, given whole or as the pieces it is written from. */
export function fileDigest(bytes: FileBytes): string {
  const hash = createHash('sha256');
  for (const piece of bytes instanceof Uint8Array ? [bytes] : bytes) hash.update(piece);
  return hash.digest('hex');
}

/**
 * What the cache is keyed by: the SHA-256 of the file's length and of its zip directory, from the first central
 * record to the end (every part's name, CRC-32, sizes and offset, and the archive comment). A program that changes
 * any part — Excel, WPS, LibreOffice, openpyxl, a script, a restore, a truncated copy — writes another directory,
 * so the file misses; and a tick hashes the directory's kilobytes instead of the whole file twice (the read and the
 * write: 12 ms of a 10,000-project tick). Like the SHA-256 of the whole file before it, the key guards against
 * accidents, not against someone forging a CRC-32 (who could as well rewrite the cache, see the seal). A file
 * without a plain zip directory is keyed by the SHA-256 of all its bytes.
 */
export function registryKey(bytes: FileBytes): string {
  const pieces = bytes instanceof Uint8Array ? [bytes] : bytes;
  const total = byteLength(bytes);
  const tail = lastBytes(pieces, Math.min(total, END_RECORD_REACH));
  const end = endRecordAt(tail);
  if (end >= 0) {
    const size = tail.readUInt32LE(end + 12);
    const offset = tail.readUInt32LE(end + 16);
    if (offset !== 0xffffffff && offset + size === total - tail.length + end) {
      const length = Buffer.alloc(8);
      length.writeDoubleLE(total);
      return `zip:${createHash('sha256')
        .update(length)
        .update(lastBytes(pieces, total - offset))
        .digest('hex')}`;
    }
  }
  return `sha256:${fileDigest(bytes)}`;
}

/** The last `count` bytes of the pieces, as one buffer. */
function lastBytes(pieces: readonly Uint8Array[], count: number): Buffer {
  const parts: Uint8Array[] = [];
  let left = count;
  for (let i = pieces.length - 1; i >= 0 && left > 0; i--) {
    const piece = pieces[i]!;
    parts.unshift(piece.length > left ? piece.subarray(piece.length - left) : piece);
    left -= Math.min(left, piece.length);
  }
  return Buffer.concat(parts);
}

/** What the cache says about the file, once it is known to be derived from these very bytes. */
export interface CachedFile {
  /** Sheets whose non-empty rows lie from row 2 on without a gap, with their key columns (see LazySheet). */
  rows: Partial<Record<SheetKey, LazySheet>>;
  /** The segments this system deflated each part in (see zip-parts.ts). */
  segments: Record<string, Segment[]>;
  /** Shared strings known for these bytes (see StateCache.strings). */
  strings: [number, string][];
  /** Seeds the core's memos when the log read holds the cached head and the anchor is the one it was verified against. */
  apply(data: RegistryData): boolean;
}

/**
 * The cache when it was derived from exactly these bytes; null for anything else (no cache, another file, an
 * unreadable cache): the memos stay empty, and the log is verified and replayed as usual.
 */
export async function readStateCache(registry: string, bytes: Uint8Array): Promise<CachedFile | null> {
  let cache: Omit<StateCache, 'states'>;
  let lines: Buffer;
  try {
    // The lines stay bytes: a step decodes only those of the projects it reads.
    const file = sealed(await readFile(statePath(registry)));
    if (!file) return null;
    const end = file.indexOf(10);
    cache = JSON.parse(file.toString('utf8', 0, end < 0 ? file.length : end)) as StateCache;
    lines = end < 0 ? Buffer.alloc(0) : file.subarray(end + 1);
  } catch {
    return null;
  }
  if (cache?.version !== VERSION || cache.file !== registryKey(bytes) || JSON.stringify(cache.departments) !== DEPARTMENTS) return null;
  return {
    rows: Object.fromEntries(Object.entries(cache.rows ?? {}).filter(([, sheet]) => Number.isInteger(sheet?.count))),
    strings: Array.isArray(cache.strings) ? cache.strings : [],
    segments: Object.fromEntries(
      Object.entries(cache.segments ?? {}).map(([name, list]) => [
        name,
        list.map(([chars, bytes, size, crc, row]) => ({ chars, bytes, size, crc, ...(row === undefined ? {} : { row }) })),
      ]),
    ),
    apply(data) {
      const log = data.reviewLog;
      if (cache.anchor !== JSON.stringify(attachedAnchor(log)?.anchor ?? null) || cache.count !== log.length) return false;
      // Only a local store's log is cached: it is never shared, so no row is left unvouched.
      const report: ChainReport = { ok: true, count: cache.count, head: cache.head, badRows: [], unvouched: [] };
      rememberCheck(log, report);
      rememberLoggedStates(data, cache.head, new CachedStates(lines));
      if (cache.derivedOn) rememberDerived(data, cache.derivedOn);
      return true;
    },
  };
}

/**
 * Writes the cache for the file just saved. Only a log that verifies is cached (a broken one is checked in full each
 * time, so the break stays in view); a stale cache is removed. Failing to write it loses nothing: it is only a shortcut.
 */
export async function saveStateCache(
  registry: string,
  bytes: FileBytes,
  data: RegistryData,
  segments: Record<string, Segment[]> = {},
  strings: [number, string][] = [],
): Promise<void> {
  const report = checkLog(data.reviewLog);
  if (!report.ok) {
    await rm(statePath(registry), { force: true }).catch(() => {});
    return;
  }
  const states = currentLoggedStates(data);
  const cache: Omit<StateCache, 'states'> = {
    version: VERSION,
    file: registryKey(bytes),
    // What saveWithAnchor leaves in NAME.chain.json for a log that verifies.
    anchor: JSON.stringify(anchorOf(data.reviewLog)),
    count: report.count,
    head: report.head,
    departments: REVIEW_DEPARTMENT_NAMES,
    segments: Object.fromEntries(
      Object.entries(segments).map(([name, list]) => [
        name,
        list.map((x) => (x.row === undefined ? [x.chars, x.bytes, x.size, x.crc] : [x.chars, x.bytes, x.size, x.crc, x.row])),
      ]),
    ),
  };
  // Row numbers as written (the patch numbers appended rows; the full rewrite numbers them all).
  cache.rows = {};
  for (const [key, columns] of Object.entries(LAZY_SHEETS) as [SheetKey, readonly string[]][]) {
    const rows = data[key];
    if (!numberedFromRow2(rows)) continue;
    cache.rows[key] = { count: rows.length, keys: Object.fromEntries(columns.map((c) => [c, columnTexts(rows, c, (r) => keyText(r, c))])) };
  }
  if (strings.length) cache.strings = strings;
  const on = derivedOn(data);
  if (on) cache.derivedOn = on;
  const lines = states instanceof CachedStates ? states.lines() : [Buffer.from([...states].map(stateLine).join(''), 'utf8')];
  // Sealed, so written where it lies: a half-written cache is a miss, and nothing is freed on each tick.
  await overwriteSealedFile(statePath(registry), seal([Buffer.from(`${JSON.stringify(cache)}\n`, 'utf8'), ...lines])).catch(() => {});
}

/** The cache file's bytes, in pieces: the SHA-256 of `body` on the first line, then `body`. */
function seal(body: readonly Buffer[]): Buffer[] {
  return [Buffer.from(`${fileDigest(body)}\n`, 'ascii'), ...body];
}

/** What follows the first line when that line is its SHA-256; null for anything else. */
function sealed(file: Buffer): Buffer | null {
  const end = file.indexOf(10);
  if (end !== 64) return null;
  const body = file.subarray(end + 1);
  return file.toString('ascii', 0, end) === fileDigest(body) ? body : null;
}

/**
 * The text a row's key column will read back as from the file just written (cellText), or null when that is not
 * certain without parsing it (text the sheet escapes, trims or drops characters of): a later lookup parses that row.
 */
function keyText(row: RegistryRow, key: string): string | null {
  const lazy = row as Partial<PeekableRow>;
  if (typeof lazy.peek === 'function' && lazy.pristine) return lazy.peek(key) ?? null;
  const value = row.cells[key];
  if (value === null || value === undefined || value === '') return '';
  if (typeof value !== 'string' || value !== value.trim() || !/^[^=+\-@'\s][^\x00-\x1f\ufffe\uffff]*$/.test(value)) return null;
  // A lone surrogate does not survive UTF-8.
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value) ? null : value;
}

const DEPARTMENTS = JSON.stringify(REVIEW_DEPARTMENT_NAMES);

/** A line as JSON: ID, status, the reviews as a bit mask over REVIEW_DEPARTMENT_NAMES, the meetings as bits, the rest. */
type Line = [string, string, number | string[], number, Record<string, unknown>?];

/**
 * One project's cache line, `["id","status",reviews,meetings]` and an object of any other fields (signing, approval):
 * ~50 bytes where the state as JSON took ~230 (the department names), so a tick at 50,000 projects hashes, reads and
 * writes 4 MB of lines instead of 15.
 */
function stateLine([id, state]: [string, LoggedState]): string {
  const { status, reviews, presidentMeeting, partyCommittee, ...rest } = state;
  let mask: number | string[] = 0;
  for (const d of reviews) {
    const bit = REVIEW_DEPARTMENT_NAMES.indexOf(d);
    // A name outside the list (never, by its type) keeps every name.
    if (bit < 0) {
      mask = [...reviews];
      break;
    }
    mask |= 1 << bit;
  }
  const line: Line = [id, status, mask, (presidentMeeting ? 1 : 0) | (partyCommittee ? 2 : 0)];
  if (Object.keys(rest).length) line.push(rest);
  return `${JSON.stringify(line)}\n`;
}

/** A line's state as stored (department names; see stateLine). */
function storedState([, status, mask, meetings, rest]: Line): StoredState {
  const reviews = typeof mask === 'number' ? REVIEW_DEPARTMENT_NAMES.filter((_, bit) => mask & (1 << bit)) : (mask as ReviewDepartment[]);
  return { status: status as Status, reviews, presidentMeeting: (meetings & 1) !== 0, partyCommittee: (meetings & 2) !== 0, ...rest };
}

function loggedState(line: Line): LoggedState {
  const stored = storedState(line);
  return { ...stored, reviews: new Set(stored.reviews) };
}

function parseLine(line: string): [string, LoggedState] {
  const parsed = JSON.parse(line) as Line;
  return [parsed[0], loggedState(parsed)];
}

const NEWLINE = Buffer.from('\n');

/** How many projects' lines CachedStates looks up one by one before it decodes every line. */
const SEARCHES = 64;

/**
 * Each project's logged state as the cache's lines (bytes), decoded one project at a time when asked for: a step reads
 * the states of the projects it acts on (core's memo holds this map and replays the step's own entries onto it), and
 * finds a project's line by searching the bytes for its start. Anything that walks every state (a report, a copy)
 * decodes them all first, in the cache's order, so it sees what a plain Map built from the lines would hold.
 */
class CachedStates extends Map<string, LoggedState> {
  /** The lines, each ending in a newline (the last one may not): a view of the cache file read, never a copy. */
  private readonly bytes: Buffer;
  /** IDs deleted since (a replay never deletes; kept for Map's contract), and IDs known to have no line. */
  private readonly gone = new Set<string>();
  private readonly absent = new Set<string>();
  private whole = false;
  private searches = 0;

  constructor(lines: Buffer) {
    super();
    this.bytes = lines;
  }

  /** Where an ID's line lies in the bytes, [start, end) without its newline, found by the line's opening `["id",`. */
  private line(id: string): [number, number] | undefined {
    const opening = Buffer.from(`${JSON.stringify([id]).slice(0, -1)},`, 'utf8');
    const first = this.bytes.subarray(0, opening.length).equals(opening);
    const at = first ? 0 : this.bytes.indexOf(Buffer.concat([NEWLINE, opening])) + 1;
    if (!at && !first) return undefined;
    const end = this.bytes.indexOf(10, at);
    return [at, end < 0 ? this.bytes.length : end];
  }

  /** Where an ID's line lies, unless its state is decoded already (see line). */
  private find(id: string): [number, number] | undefined {
    if (this.whole || this.gone.has(id) || this.absent.has(id) || super.has(id)) return undefined;
    // Each search scans the bytes: past a few dozen (a first tick of the day derives every project), decode them all once.
    if (++this.searches > SEARCHES) {
      this.all();
      return undefined;
    }
    const at = this.line(id);
    if (!at) this.absent.add(id);
    return at;
  }

  override get(id: string): LoggedState | undefined {
    const at = this.find(id);
    if (at) super.set(id, parseLine(this.bytes.toString('utf8', at[0], at[1]))[1]);
    return super.get(id);
  }

  override has(id: string): boolean {
    return super.has(id) || this.find(id) !== undefined;
  }

  override set(id: string, state: LoggedState): this {
    this.absent.delete(id);
    return super.set(id, state);
  }

  override delete(id: string): boolean {
    const had = this.has(id);
    this.gone.add(id);
    super.delete(id);
    return had;
  }

  override clear(): void {
    this.whole = true;
    super.clear();
  }

  /** Every state decoded, in the order of the lines and then of IDs added since. */
  private all(): void {
    if (this.whole) return;
    const entries: [string, LoggedState][] = [];
    const lined = new Set<string>();
    // One parse of every line at once (JSON escapes newlines, so a line holds none of its own).
    const text = this.bytes.toString('utf8');
    for (const line of JSON.parse(`[${text.split('\n').filter(Boolean).join(',')}]`) as Line[]) {
      const id = line[0];
      lined.add(id);
      if (!this.gone.has(id)) entries.push([id, super.get(id) ?? loggedState(line)]);
    }
    for (const [id, state] of super.entries()) if (!lined.has(id) || this.gone.has(id)) entries.push([id, state]);
    super.clear();
    for (const [id, state] of entries) super.set(id, state);
    this.whole = true;
  }

  override get size(): number {
    this.all();
    return super.size;
  }
  override [Symbol.iterator](): MapIterator<[string, LoggedState]> {
    this.all();
    return super[Symbol.iterator]();
  }
  override entries(): MapIterator<[string, LoggedState]> {
    this.all();
    return super.entries();
  }
  override keys(): MapIterator<string> {
    this.all();
    return super.keys();
  }
  override values(): MapIterator<LoggedState> {
    this.all();
    return super.values();
  }
  override forEach(callback: (value: LoggedState, key: string, map: Map<string, LoggedState>) => void, thisArg?: unknown): void {
    this.all();
    super.forEach(callback, thisArg);
  }

  /** The cache lines for the states as they are now: the bytes of lines of states nobody read are copied as they were. */
  lines(): Buffer[] {
    if (this.whole) return [Buffer.from([...super.entries()].map(stateLine).join(''), 'utf8')];
    // Lines to rewrite or drop: those of states read (and perhaps changed) or deleted; the rest is copied between them.
    const cut: [number, number, string | null][] = [];
    const added: string[] = [];
    for (const id of new Set([...super.keys(), ...this.gone])) {
      const at = this.line(id);
      const state = super.get(id);
      const line = state ? stateLine([id, state]) : null;
      // A state deleted and set again moves to the end, as in a Map.
      if (at) cut.push([at[0], at[1] + 1, this.gone.has(id) ? null : line]);
      if (line && (!at || this.gone.has(id))) added.push(line);
    }
    cut.sort((a, b) => a[0] - b[0]);
    const out: Buffer[] = [];
    let from = 0;
    for (const [start, end, line] of cut) {
      out.push(this.bytes.subarray(from, start));
      if (line) out.push(Buffer.from(line, 'utf8'));
      from = end;
    }
    out.push(this.bytes.subarray(from));
    // A last line the file ended without a newline gets one before anything follows it.
    if (added.length && this.bytes.length && this.bytes[this.bytes.length - 1] !== 10 && from < this.bytes.length) out.push(NEWLINE);
    if (added.length) out.push(Buffer.from(added.join(''), 'utf8'));
    return out;
  }
}

/** The cache file as one object, states and all (tests read and plant caches with it). */
export function parseStateCache(file: string): StateCache {
  const text = file.slice(file.indexOf('\n') + 1);
  const end = text.indexOf('\n');
  const head = JSON.parse(end < 0 ? text : text.slice(0, end)) as StateCache;
  const lines =
    end < 0
      ? []
      : text
          .slice(end + 1)
          .split('\n')
          .filter(Boolean);
  return {
    ...head,
    states: lines.map((text) => {
      const line = JSON.parse(text) as Line;
      return [line[0], storedState(line)];
    }),
  };
}

/** The cache file's text for a cache object (see parseStateCache). */
export function formatStateCache(cache: StateCache): string {
  const { states, ...head } = cache;
  const lines = states.map(([id, s]) => stateLine([id, { ...s, reviews: new Set(s.reviews) }]));
  return Buffer.concat(seal([Buffer.from(`${JSON.stringify(head)}\n${lines.join('')}`, 'utf8')])).toString('utf8');
}
