// Copies a registry read from an .xlsx (RegistryData) into the fake spreadsheet as a synced sheet would hold it:
// every sheet's rows replaced in one quiet batch, by header, dates as Sheets' midnight instants in school time,
// text escaped against formulas as the registry's writers do.
import { dateParts, neutralizeFormula, sheetSpec, type RegistryData, type SheetKey } from '../../core/index.js';
import type { Harness } from './fake/harness.js';

const SCHOOL_OFFSET_MS = 8 * 3600 * 1000;
const KEYS: SheetKey[] = ['partners', 'projects', 'reviewLog', 'evaluations', 'outcomes', 'settings'];

export function plantRegistry(h: Harness, data: RegistryData): void {
  h.log.quiet(() => {
    for (const key of KEYS) {
      const spec = sheetSpec(key);
      const sheet = h.sheet(spec.name);
      const width = sheet.getLastColumn();
      const header = sheet.getRange(1, 1, 1, width).getValues()[0]!.map(String);
      const oldRows = sheet.getLastRow() - 1;
      const rows = data[key].map(({ cells }) =>
        header.map((text) => {
          const column = spec.columns.find((c) => c.header === text);
          const v = column ? cells[column.key] : null;
          if (v === null || v === undefined) return column?.type === 'checkbox' ? false : '';
          if (column?.type === 'date' && typeof v === 'string') {
            const { year, month, day } = dateParts(v);
            return new Date(Date.UTC(year, month - 1, day) - SCHOOL_OFFSET_MS);
          }
          // Text is written escaped, as every writer of the registry does.
          return typeof v === 'string' ? neutralizeFormula(v) : v;
        }),
      );
      const total = Math.max(rows.length, oldRows);
      if (total + 1 > sheet.getMaxRows()) sheet.insertRowsAfter(sheet.getMaxRows(), total + 1 - sheet.getMaxRows());
      if (total > 0) {
        const blank = () => header.map(() => '' as unknown);
        sheet.getRange(2, 1, total, width).setValues(Array.from({ length: total }, (_, i) => rows[i] ?? blank()));
      }
    }
  });
}
