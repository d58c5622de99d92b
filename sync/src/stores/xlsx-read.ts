/**
 * The registry as the read-only commands read it: each sheet part inflated in chunks and parsed row by row as the
 * chunks come, so a command holds the rows it read and one chunk of XML, never a sheet's whole text (issue 16).
 */
import { CoopError, REGISTRY_SHEETS, type ColumnSpec, type RegistryData, type RegistryRow, type SheetSpec } from '../../../core/index.js';
import type { XlsxParts } from '../excel/xlsx-parts.js';
import { headerPositions } from '../util/headers.js';
import { STORE_TEXT as T } from './text.js';
import { registryRow } from './xlsx-rows.js';

/** Column position → schema column, from a sheet's header positions; a schema header the sheet lacks is a layout error. */
export function schemaColumns(headers: Map<string, number>, sheet: SheetSpec, location: string): Map<number, ColumnSpec> {
  const missing = sheet.columns.filter((c) => !headers.has(c.header)).map((c) => c.header);
  if (missing.length) throw new CoopError('REGISTRY_LAYOUT', T.missingHeaders(location, sheet.name, missing));
  return new Map(sheet.columns.map((c) => [headers.get(c.header)!, c]));
}

/**
 * Every registry sheet read by streaming its part (`chunk`: inflated bytes parsed at a time). The same rows, in the
 * same order and with the same cells, as readParts gives when it inflates each part whole.
 */
export async function readStreamed(parts: XlsxParts, location: string, chunk?: number): Promise<RegistryData> {
  const data = {} as RegistryData;
  for (const sheet of REGISTRY_SHEETS) {
    const rows: RegistryRow[] = [];
    let known: Map<number, ColumnSpec> | undefined;
    const found = await parts.streamSheet(
      sheet.name,
      (r, cells, again) => {
        if (r === 1) {
          if (!again) known = schemaColumns(headerPositions(cells), sheet, location);
          return;
        }
        // A sheet whose first row is not row 1 has no headers at all.
        known ??= schemaColumns(new Map(), sheet, location);
        const row = registryRow(cells, known, sheet, r);
        if (!again) {
          if (row) rows.push(row);
          return;
        }
        // A linked cell's row again, now with its link: it replaces the row read without it.
        const at = rowIndex(rows, r);
        if (at >= 0 && row) rows[at] = row;
      },
      chunk,
    );
    if (!found) throw new CoopError('REGISTRY_LAYOUT', T.missingSheet(location, sheet.name));
    known ??= schemaColumns(new Map(), sheet, location);
    data[sheet.key] = rows;
  }
  return data;
}

/** Where the row read from sheet row r sits in `rows` (ordered by sheet row), or -1. */
function rowIndex(rows: readonly RegistryRow[], r: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = rows[mid]!.sheetRow!;
    if (at === r) return mid;
    if (at < r) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
