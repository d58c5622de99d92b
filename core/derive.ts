/**
 * Columns the system derives rather than anyone typing them: the partner name beside its ID, and status,
 * review ticks, meetings and signing from 审批记录 alone (expiry from the end date), so every reader after
 * this sees what the log vouches for, never a value typed into the cell.
 */
import type { CalendarDate } from './dates.js';
import { checkLog, trustedLog, vouchedFor } from './log-chain.js';
import { readSettings, type RegistryData } from './registry.js';
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
  const log = data.reviewLog;
  const { settings } = readSettings(data);
  const keys = keysOf(data);
  const report = checkLog(log);
  const memo = statesMemo.get(log);
  let states: Map<string, LoggedState> | undefined;
  if (report.ok && memo && memo.keys === keys && memo.count <= log.length && hashAt(log, memo.count - 1) === memo.head) {
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
  if (!report.ok) return states;
  statesMemo.set(log, { count: log.length, head: hashAt(log, log.length - 1), keys, states });
  // Callers get their own copy: whatever they do with it cannot reach the memo.
  return copyLoggedStates(states);
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

export function deriveColumns(data: RegistryData, today: CalendarDate): void {
  const names = new Map(data.partners.map((p) => [String(p.cells.partnerId ?? ''), p.cells.name ?? null]));
  const logged = loggedStatesOf(data);
  for (const { cells } of data.projects)
    deriveProject(cells, names.get(String(cells.partnerId ?? '')) ?? null, logged.get(String(cells.projectId ?? '')), today);
}

/** One project's derived cells, given its partner's name and its logged state (an import derives each new row as it writes it). */
export function deriveProject(cells: RawCells, partnerName: RawCells[string], state: LoggedState | undefined, today: CalendarDate): void {
  if (cells.partnerName !== partnerName) cells.partnerName = partnerName;
  const derived = loggedCells(state, cells.endDate, today);
  for (const [key, value] of Object.entries(derived)) if (cells[key] !== value) cells[key] = value;
  // A signing date typed where the log records no signing is shown, counted and archived by no one.
  const signedAt = loggedSigningDate(state, cells.signedAt);
  const blank = cells.signedAt === null || cells.signedAt === undefined || cells.signedAt === '';
  if (signedAt === null ? !blank : cells.signedAt !== signedAt) cells.signedAt = signedAt;
}

/** Finds a partner by ID, or by its name after normalisation (trim, full/half-width brackets). */
export function findPartner(data: RegistryData, idOrName: string): RegistryData['partners'][number] | undefined {
  const byId = data.partners.find((p) => p.cells.partnerId === idOrName);
  if (byId) return byId;
  const wanted = normalizeName(idOrName);
  return data.partners.find((p) => typeof p.cells.name === 'string' && normalizeName(p.cells.name) === wanted);
}
