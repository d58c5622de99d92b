/**
 * The review log's anchor beside the local registry (`NAME.chain.json`): the row count and last 校验值 this
 * system verified or wrote, out of reach of whoever edits the workbook, so a chain recomputed or extended by
 * another program is caught.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { anchorOf, attachAnchor, checkLog, type ChainAnchor, type RegistryData } from '../../../core/index.js';
import '../ops/log-crypto.js';
import { writeFileAtomic } from './atomic-file.js';

export function anchorPath(registry: string): string {
  return join(dirname(registry), `${basename(registry, extname(registry))}.chain.json`);
}

function isAnchor(value: unknown): value is ChainAnchor {
  const a = value as ChainAnchor;
  return !!a && Number.isInteger(a.count) && a.count >= 0 && typeof a.head === 'string';
}

/** The anchor file's content; null when it is missing or unreadable (which verification reports). */
export async function readAnchor(registry: string): Promise<ChainAnchor | null> {
  try {
    const parsed = JSON.parse(await readFile(anchorPath(registry), 'utf8')) as unknown;
    return isAnchor(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Attaches the anchor to the log just read, so every check of this data compares against it. */
export async function attachLocalAnchor(registry: string, data: RegistryData): Promise<void> {
  attachAnchor(data.reviewLog, await readAnchor(registry), anchorPath(registry));
}

async function writeAnchor(registry: string, anchor: ChainAnchor): Promise<void> {
  await writeFileAtomic(anchorPath(registry), new TextEncoder().encode(`${JSON.stringify(anchor)}\n`));
}

/**
 * Saves the workbook between two anchor writes: first the new head as pending beside the old, then the
 * new head alone. A crash in between leaves an anchor that accepts either file. A log that does not verify
 * is saved without moving the anchor, so a break stays visible until the office repairs it.
 */
export async function saveWithAnchor(registry: string, data: RegistryData, save: () => Promise<void>): Promise<void> {
  const report = checkLog(data.reviewLog);
  if (!report.ok) return save();
  const before = await readAnchor(registry);
  const next = anchorOf(data.reviewLog);
  const same = before && before.count === next.count && before.head === next.head && !before.pending;
  if (!same) await writeAnchor(registry, { ...(before ?? { count: 0, head: '' }), pending: next });
  await save();
  if (!same) await writeAnchor(registry, next);
}
