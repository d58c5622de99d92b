/**
 * 审批记录 on the shared sheet: appended in one batch, in schema order, each row sealed into the hash chain by
 * core; the chain's anchor lives in the script's properties, where no editor of the sheet can reach it.
 */
import {
  anchorOf,
  appendLogEntries,
  attachAnchor,
  checkLog,
  reviewLogSheet,
  type ChainAnchor,
  type ChainReport,
  type RegistryRow,
  type ReviewLogRow,
} from '../../core/index.js';
import { sheetOf } from './registry.js';
import { dataRows, readTable, rowCells, tableFromValues, toDomain, toSheet } from './table.js';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const ANCHOR_PROPERTY = 'coop.reviewLog.anchor';
const ANCHOR_WHERE = '脚本属性 coop.reviewLog.anchor';

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

function writeAnchor(anchor: ChainAnchor): void {
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

/**
 * Seals and appends entries, then moves the anchor. With `rows` (from verifyLog, the chain just checked) the
 * anchor moves when the chain holds. Without them (edit triggers, 30 s) only the last row is read: the anchor
 * moves only if it still names exactly that row, so a log rewritten or extended by hand is never re-anchored
 * (and an edit in the middle stays a broken link for every later verification).
 */
export function appendLog(ss: Spreadsheet, entries: readonly ReviewLogRow[], rows?: RegistryRow[]): ReviewLogRow[] {
  if (!entries.length) return [];
  const sheet = sheetOf(ss, 'reviewLog');
  if (!sheet) throw new Error('审批记录工作表不存在，请先运行「初始化/修复登记表」');
  let tail: RegistryRow[];
  let intact: boolean;
  const lastRow = sheet.getLastRow();
  if (rows) {
    tail = rows;
    intact = checkLog(rows).ok;
  } else {
    const count = Math.max(lastRow - 1, 0);
    const anchor = readAnchor() ?? (count ? null : { count: 0, head: '' });
    if (anchor && anchor.count === count) {
      // Nobody appended since the anchor moved: the head it names is the hash to chain to, no read needed. A row
      // edited by hand meanwhile still fails verification by its own content, whatever is appended after it.
      tail = count ? [{ cells: { hash: anchor.head } }] : [];
      intact = true;
    } else {
      // Someone else appended (the CLI through the API, which cannot move this anchor): chain to the real last row,
      // and leave the anchor where it was so verification checks the rows after it link by link.
      const width = reviewLogSheet.columns.length;
      tail = count ? [{ cells: cellsOf(sheet.getRange(lastRow, 1, 1, width).getValues()[0]!) }] : [];
      intact = false;
    }
  }
  const sealed = appendLogEntries(tail, entries);
  const values = sealed.map((e) => reviewLogSheet.columns.map((c) => toSheet((e as Record<string, string | null>)[c.key] ?? null, c)));
  if (values.length === 1) sheet.appendRow(values[0]!);
  else sheet.getRange(lastRow + 1, 1, values.length, values[0]!.length).setValues(values);
  // A broken chain keeps its old anchor, so the break stays visible until the office repairs it.
  if (intact) writeAnchor({ count: Math.max(lastRow - 1, 0) + sealed.length, head: anchorOf(tail).head });
  return sealed;
}

/** One 审批记录 row in schema order (as appendLog writes it) as domain cells. */
function cellsOf(values: readonly unknown[]): RegistryRow['cells'] {
  return Object.fromEntries(reviewLogSheet.columns.map((c, i) => [c.key, toDomain(values[i], c)]));
}
