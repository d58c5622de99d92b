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
  derivedOn,
  loggedStatesOf,
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

const VERSION = 3;

/** Sheets whose rows a locked step may leave unparsed, and the key columns recorded per row to find them by. */
const LAZY_SHEETS: Partial<Record<SheetKey, readonly string[]>> = { reviewLog: [], projects: ['projectId', 'partnerId'], partners: ['partnerId', 'name'] };

export function statePath(registry: string): string {
  return join(dirname(registry), `${basename(registry, extname(registry))}.state.json`);
}

type StoredState = Omit<LoggedState, 'reviews'> & { reviews: ReviewDepartment[] };

interface StateCache {
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
  /** Seeds the core's memos when the log read holds the cached head and the anchor is the one it was verified against. */
  apply(data: RegistryData): boolean;
}

/**
 * The cache when it was derived from exactly these bytes; null for anything else (no cache, another file, an
 * unreadable cache): the memos stay empty, and the log is verified and replayed as usual.
 */
export async function readStateCache(registry: string, bytes: Uint8Array): Promise<CachedFile | null> {
  let cache: StateCache;
  try {
    cache = JSON.parse(await readFile(statePath(registry), 'utf8')) as StateCache;
  } catch {
    return null;
  }
  if (cache?.version !== VERSION || !Array.isArray(cache.states) || cache.file !== fileDigest(bytes)) return null;
  return {
    rows: Object.fromEntries(Object.entries(cache.rows ?? {}).filter(([, sheet]) => Number.isInteger(sheet?.count))),
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
      rememberLoggedStates(data, cache.head, new Map(cache.states.map(([id, s]) => [id, { ...s, status: s.status as Status, reviews: new Set(s.reviews) }])));
      if (cache.derivedOn) rememberDerived(data, cache.derivedOn);
      return true;
    },
  };
}

/**
 * Writes the cache for the file just saved. Only a log that verifies is cached (a broken one is checked in full each
 * time, so the break stays in view); a stale cache is removed. Failing to write it loses nothing: it is only a shortcut.
 */
export async function saveStateCache(registry: string, bytes: Uint8Array, data: RegistryData, segments: Record<string, Segment[]> = {}): Promise<void> {
  const report = checkLog(data.reviewLog);
  if (!report.ok) {
    await rm(statePath(registry), { force: true }).catch(() => {});
    return;
  }
  const cache: StateCache = {
    version: VERSION,
    file: fileDigest(bytes),
    // What saveWithAnchor leaves in NAME.chain.json for a log that verifies.
    anchor: JSON.stringify(anchorOf(data.reviewLog)),
    count: report.count,
    head: report.head,
    states: [...loggedStatesOf(data)].map(([id, s]) => [id, { ...s, reviews: [...s.reviews] }]),
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
  const on = derivedOn(data);
  if (on) cache.derivedOn = on;
  await writeFileAtomic(statePath(registry), new TextEncoder().encode(JSON.stringify(cache)), { backup: false }).catch(() => {});
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
