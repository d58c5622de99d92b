/**
 * State derived from 审批记录 cached beside the local registry (`NAME.state.json`): the chain's verification and
 * each project's logged state, keyed by the SHA-256 of the workbook's bytes and the chain anchor, so a command on a
 * file this system wrote and nobody has touched since never hashes or replays the whole log again. Any other
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
  type ChainReport,
  type LoggedState,
  type PeekableRow,
  type RegistryData,
  type RegistryRow,
  type ReviewDepartment,
  type SheetKey,
  type Status,
} from '../../../core/index.js';
import type { Segment } from '../excel/zip-parts.js';
import { writeFileAtomic } from './atomic-file.js';
import type { LazySheet } from './xlsx-patch.js';

const VERSION = 4;

/** Sheets whose rows a locked step may leave unparsed, and the key columns recorded per row to find them by. */
const LAZY_SHEETS: Partial<Record<SheetKey, readonly string[]>> = { reviewLog: [], projects: ['projectId', 'partnerId'], partners: ['partnerId', 'name'] };

export function statePath(registry: string): string {
  return join(dirname(registry), `${basename(registry, extname(registry))}.state.json`);
}

type StoredState = Omit<LoggedState, 'reviews'> & { reviews: ReviewDepartment[] };

/**
 * The file is a line of JSON (this head) and then one line per project, `[id, state]` as JSON: a step parses only
 * the projects it reads and writes the others' lines back as they were.
 */
export interface StateCache {
  version: number;
  /** SHA-256 of the registry file the state was derived from. */
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
}

export function fileDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
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
  let lines: string;
  try {
    const text = await readFile(statePath(registry), 'utf8');
    const end = text.indexOf('\n');
    cache = JSON.parse(end < 0 ? text : text.slice(0, end)) as StateCache;
    lines = end < 0 ? '' : text.slice(end + 1);
  } catch {
    return null;
  }
  if (cache?.version !== VERSION || cache.file !== fileDigest(bytes)) return null;
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
  bytes: Uint8Array,
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
    file: fileDigest(bytes),
    // What saveWithAnchor leaves in NAME.chain.json for a log that verifies.
    anchor: JSON.stringify(anchorOf(data.reviewLog)),
    count: report.count,
    head: report.head,
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
    if (!rows.every((r, i) => r.sheetRow === i + 2)) continue;
    cache.rows[key] = { count: rows.length, keys: Object.fromEntries(columns.map((c) => [c, rows.map((r) => keyText(r, c))])) };
  }
  if (strings.length) cache.strings = strings;
  const on = derivedOn(data);
  if (on) cache.derivedOn = on;
  const lines = states instanceof CachedStates ? states.lines() : [...states].map(stateLine).join('');
  await writeFileAtomic(statePath(registry), Buffer.from(`${JSON.stringify(cache)}\n${lines}`, 'utf8'), { backup: false }).catch(() => {});
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
  return typeof value === 'string' && value === value.trim() && /^[^=+\-@'\s][^\x00-\x1f\ufffe\uffff]*$/.test(value) ? value : null;
}

/** One project's cache line (see StateCache). */
function stateLine([id, state]: [string, LoggedState]): string {
  return `${JSON.stringify([id, { ...state, reviews: [...state.reviews] }])}\n`;
}

function parseState(line: string): LoggedState {
  const [, s] = JSON.parse(line) as [string, StoredState];
  return { ...s, status: s.status as Status, reviews: new Set(s.reviews) };
}

/**
 * Each project's logged state as the cache's lines, parsed one project at a time when asked for: a step reads the
 * states of the projects it acts on (core's memo holds this map and replays the step's own entries onto it). Anything
 * that walks every state (a report, a copy) parses them all first, in the cache's order, so it sees what a plain Map
 * built from the lines would hold.
 */
class CachedStates extends Map<string, LoggedState> {
  private index: Map<string, [start: number, end: number]> | undefined;
  /** IDs deleted since (a replay never deletes; kept for Map's contract). */
  private readonly gone = new Set<string>();
  private whole = false;

  private readonly text: string;

  constructor(text: string) {
    super();
    // Every line ends in a newline, so copied runs of lines can be followed by new ones.
    this.text = text && !text.endsWith('\n') ? `${text}\n` : text;
  }

  /** Where each ID's line lies (one pass over the text, no parsing of states). */
  private located(): Map<string, [number, number]> {
    if (this.index) return this.index;
    const index = new Map<string, [number, number]>();
    const text = this.text;
    for (let at = 0; at < text.length; ) {
      const newline = text.indexOf('\n', at);
      const end = newline < 0 ? text.length : newline;
      const quote = text.startsWith('["', at) ? text.indexOf('"', at + 2) : -1;
      const raw = quote < 0 ? undefined : text.slice(at + 2, quote);
      // An ID with escapes in it is read as JSON; a plain one straight from the line.
      const id = raw !== undefined && !raw.includes('\\') ? raw : (JSON.parse(text.slice(at, end)) as [string])[0];
      index.set(id, [at, end]);
      at = end + 1;
    }
    return (this.index = index);
  }

  private unread(id: string): [number, number] | undefined {
    if (this.whole || this.gone.has(id) || super.has(id)) return undefined;
    return this.located().get(id);
  }

  override get(id: string): LoggedState | undefined {
    const at = this.unread(id);
    if (at) super.set(id, parseState(this.text.slice(at[0], at[1])));
    return super.get(id);
  }

  override has(id: string): boolean {
    return super.has(id) || this.unread(id) !== undefined;
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

  /** Every state parsed, in the order of the lines and then of IDs added since. */
  private all(): void {
    if (this.whole) return;
    const index = this.located();
    const entries: [string, LoggedState][] = [];
    for (const [id, [start, end]] of index) {
      if (this.gone.has(id)) continue;
      entries.push([id, super.get(id) ?? parseState(this.text.slice(start, end))]);
    }
    for (const [id, state] of super.entries()) if (!index.has(id) || this.gone.has(id)) entries.push([id, state]);
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

  /** The cache lines for the states as they are now: lines of states nobody read are copied as they were. */
  lines(): string {
    if (this.whole) return [...super.entries()].map(stateLine).join('');
    const out: string[] = [];
    const index = this.located();
    let run = 0;
    let runEnd = 0;
    for (const [id, [start, end]] of index) {
      if (!this.gone.has(id) && !super.has(id)) {
        if (start !== runEnd) run = start;
        runEnd = end + 1;
        continue;
      }
      if (runEnd > run) out.push(this.text.slice(run, runEnd));
      run = runEnd = end + 1;
      if (!this.gone.has(id)) out.push(stateLine([id, super.get(id)!]));
    }
    if (runEnd > run) out.push(this.text.slice(run, runEnd));
    for (const [id, state] of super.entries()) if (!index.has(id) || this.gone.has(id)) out.push(stateLine([id, state]));
    return out.join('');
  }
}

/** The cache file as one object, states and all (tests read and plant caches with it). */
export function parseStateCache(text: string): StateCache {
  const end = text.indexOf('\n');
  const head = JSON.parse(end < 0 ? text : text.slice(0, end)) as StateCache;
  const lines =
    end < 0
      ? []
      : text
          .slice(end + 1)
          .split('\n')
          .filter(Boolean);
  return { ...head, states: lines.map((line) => JSON.parse(line) as [string, StoredState]) };
}

/** The cache file's text for a cache object (see parseStateCache). */
export function formatStateCache(cache: StateCache): string {
  const { states, ...head } = cache;
  return `${JSON.stringify(head)}\n${states.map((entry) => `${JSON.stringify(entry)}\n`).join('')}`;
}
