/** One registry row from the cells of one sheet row, whichever reader found them (exceljs's model or the part reader). */
import type ExcelJS from 'exceljs';
import type { ColumnSpec, RegistryRow, SheetSpec } from '../../../core/index.js';
import { readCell } from '../excel/cells.js';

/** Cells of columns the schema does not know, by column index, carried with their row. */
export type ExtraCells = [column: number, value: ExcelJS.CellValue][];

/** The registry row, or null for a row with nothing in it (an all-empty or all-unticked row is no record). */
export function registryRow(
  cells: Iterable<[column: number, value: ExcelJS.CellValue]>,
  known: Map<number, ColumnSpec>,
  sheet: SheetSpec,
  sheetRow: number,
): RegistryRow | null {
  const out: RegistryRow['cells'] = {};
  const extra: ExtraCells = [];
  let anyValue = false;
  for (const [col, raw] of cells) {
    const column = known.get(col);
    if (column) {
      const value = readCell(raw, column);
      out[column.key] = value;
      if (value !== null && value !== false) anyValue = true;
    } else if (raw !== null && raw !== undefined) {
      extra.push([col, raw]);
      anyValue = true;
    }
  }
  if (!anyValue) return null;
  for (const c of sheet.columns) if (!(c.key in out)) out[c.key] = c.type === 'checkbox' ? false : null;
  return { cells: out, sheetRow, extra };
}
