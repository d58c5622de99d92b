/**
 * Columns the system derives rather than anyone typing them: the partner name beside its ID, and status,
 * review ticks, meetings and signing from 审批记录 alone (expiry from the end date), so every reader after
 * this sees what the log vouches for, never a value typed into the cell.
 */
import type { CalendarDate } from './dates.js';
import { trustedLog } from './log-chain.js';
import { readSettings, type RegistryData } from './registry.js';
import { normalizeName } from './rules.js';
import type { Status } from './enums.js';
import type { RawCells } from './rows.js';
import { effectiveStatus, loggedCells, loggedStates, type LoggedState } from './workflow.js';

/** Each project's state as the verified part of 审批记录 records it. */
export function loggedStatesOf(data: RegistryData): Map<string, LoggedState> {
  return loggedStates(trustedLog(data.reviewLog, readSettings(data).settings) as never);
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
  for (const { cells } of data.projects) {
    const name = names.get(String(cells.partnerId ?? '')) ?? null;
    if (cells.partnerName !== name) cells.partnerName = name;
    const derived = loggedCells(logged.get(String(cells.projectId ?? '')), cells.endDate, today);
    for (const [key, value] of Object.entries(derived)) if (cells[key] !== value) cells[key] = value;
  }
}

/** Finds a partner by ID, or by its name after normalisation (trim, full/half-width brackets). */
export function findPartner(data: RegistryData, idOrName: string): RegistryData['partners'][number] | undefined {
  const byId = data.partners.find((p) => p.cells.partnerId === idOrName);
  if (byId) return byId;
  const wanted = normalizeName(idOrName);
  return data.partners.find((p) => typeof p.cells.name === 'string' && normalizeName(p.cells.name) === wanted);
}
