/**
 * The registry layout as Sheets API requests — the third renderer of core/schema.ts, beside exceljs
 * (excel/layout.ts) and SpreadsheetApp: frozen header, header look and notes, widths, number formats, validations.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import type { ColumnSpec, Settings, SheetSpec } from '../../../core/index.js';
import { EXCEL_TEXT } from '../excel/text.js';
import { isProtectedColumn } from '../excel/layout.js';

type Request = sheets_v4.Schema$Request;

const HEADER_COLOR = { red: 0xdd / 255, green: 0xeb / 255, blue: 0xf7 / 255 };
const SYSTEM_COLOR = { red: 0xe7 / 255, green: 0xe6 / 255, blue: 0xe6 / 255 };
/** Pixels per character of the schema's widths (Sheets measures columns in pixels). */
const PX_PER_CHAR = 9;

/** The validation rule a column gets in the shared sheet, or null for free text. */
export function sheetsRuleFor(column: ColumnSpec, settings: Settings): sheets_v4.Schema$DataValidationRule | null {
  const list = (values: readonly string[]) =>
    values.length ? { type: 'ONE_OF_LIST', values: values.map((v) => ({ userEnteredValue: v })) } : null;
  const number = (type: string, ...values: number[]) => ({ type, values: values.map((v) => ({ userEnteredValue: String(v) })) });
  const condition =
    column.type === 'enum'
      ? list(column.enum ?? [])
      : column.type === 'list'
        ? list(settings[column.list!])
        : column.type === 'checkbox'
          ? { type: 'BOOLEAN' }
          : column.type === 'date'
            ? { type: 'DATE_IS_VALID' }
            : column.type === 'money' || column.type === 'integer'
              ? number('NUMBER_GREATER_THAN_EQ', 0)
              : column.type === 'year'
                ? number('NUMBER_BETWEEN', 2000, 2100)
                : null;
  if (!condition) return null;
  return {
    condition,
    strict: true,
    showCustomUi: condition.type === 'ONE_OF_LIST',
    inputMessage: column.hint ?? EXCEL_TEXT.invalidMessage(column),
  };
}

/** Requests that style one sheet whose schema columns sit at `columns` (key → 0-based index). */
export function layoutRequests(sheet: SheetSpec, sheetId: number, columns: ReadonlyMap<string, number>, settings: Settings): Request[] {
  const requests: Request[] = [
    { updateSheetProperties: { properties: { sheetId, gridProperties: { frozenRowCount: 1 } }, fields: 'gridProperties.frozenRowCount' } },
  ];
  for (const column of sheet.columns) {
    const c = columns.get(column.key);
    if (c === undefined) continue;
    const one = { sheetId, startColumnIndex: c, endColumnIndex: c + 1 };
    const note = column.hint ?? (isProtectedColumn(column) ? EXCEL_TEXT.systemColumn : undefined);
    requests.push({
      updateCells: {
        start: { sheetId, rowIndex: 0, columnIndex: c },
        rows: [
          {
            values: [
              {
                userEnteredFormat: {
                  textFormat: { bold: true },
                  horizontalAlignment: 'CENTER',
                  verticalAlignment: 'MIDDLE',
                  wrapStrategy: 'WRAP',
                  backgroundColor: isProtectedColumn(column) ? SYSTEM_COLOR : HEADER_COLOR,
                },
                ...(note ? { note } : {}),
              },
            ],
          },
        ],
        fields: `userEnteredFormat(textFormat,horizontalAlignment,verticalAlignment,wrapStrategy,backgroundColor)${note ? ',note' : ''}`,
      },
    });
    requests.push({
      updateDimensionProperties: {
        range: { sheetId, dimension: 'COLUMNS', startIndex: c, endIndex: c + 1 },
        properties: { pixelSize: (column.width + 2) * PX_PER_CHAR },
        fields: 'pixelSize',
      },
    });
    const pattern = column.type === 'date' ? { type: 'DATE', pattern: 'yyyy-mm-dd' } : column.type === 'money' ? { type: 'NUMBER', pattern: '#,##0.00' } : null;
    if (pattern) {
      requests.push({
        repeatCell: { range: { ...one, startRowIndex: 1 }, cell: { userEnteredFormat: { numberFormat: pattern } }, fields: 'userEnteredFormat.numberFormat' },
      });
    }
    const rule = sheetsRuleFor(column, settings);
    // Without a rule the request clears an old one, so a column that became free text accepts anything again.
    requests.push({ setDataValidation: { range: { ...one, startRowIndex: 1 }, ...(rule ? { rule } : {}) } });
  }
  return requests;
}
