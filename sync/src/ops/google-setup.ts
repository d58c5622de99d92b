/**
 * Applies the registry layout to a Google spreadsheet (empty or existing) with a fixed number of Sheets API requests;
 * a spreadsheet already laid out is read and left unwritten.
 */
import { defaultSettings, emptyRegistry, readSettings, settingsSheet, REGISTRY_SHEETS, type Settings } from '../../../core/index.js';
import { quoteSheet, type SheetValue } from '../gsheet/cells.js';
import { setupPlan, type ExistingSheet } from '../gsheet/layout-requests.js';
import { missingHeaders, parseTable } from '../gsheet/table.js';
import type { GoogleClients } from '../google/clients.js';
import type { SheetsAccess } from '../stores/gsheet-store.js';

export interface SetupResult {
  addedSheets: string[];
  addedHeaders: string[];
  /** Protections (re)created; 0 when the sheet already had them as they should be. */
  protectionsAdded: number;
  /** Whether anything was written: a registry already laid out is left untouched. */
  changed: boolean;
}

/** 设置 as the spreadsheet has it, or the school's defaults when it is missing or empty. */
function currentSettings(values: SheetValue[][] | undefined, location: string): Settings {
  if (!values || values.length < 2) return defaultSettings();
  try {
    const table = parseTable(settingsSheet, values, location);
    return readSettings({ ...emptyRegistry(), settings: table.rows }).settings;
  } catch {
    return defaultSettings();
  }
}

/** The spreadsheet's owners, whom Google lists on every protection whatever is asked (none known without Drive access). */
async function ownerEmails(clients: SheetsAccess, spreadsheetId: string): Promise<string[]> {
  const drive = (clients as Partial<GoogleClients>).drive;
  if (!drive) return [];
  const file = await clients.call('读取表格所有者', { idempotent: true }, () =>
    drive.files.get({ fileId: spreadsheetId, fields: 'owners(emailAddress)', supportsAllDrives: true }),
  );
  return (file.data.owners ?? []).map((o) => o.emailAddress ?? '').filter(Boolean);
}

export async function setupSpreadsheet(spreadsheetId: string, access?: SheetsAccess): Promise<SetupResult> {
  const clients: SheetsAccess = access ?? (await (await import('../google/clients.js')).createGoogleClients());
  const { sheets, call } = clients;
  const location = `gsheet:${spreadsheetId}`;
  const got = await call('读取表格结构', { idempotent: true }, () =>
    sheets.spreadsheets.get({
      spreadsheetId,
      fields:
        'properties.timeZone,sheets(properties(sheetId,title,gridProperties),protectedRanges(protectedRangeId,description,range,editors,warningOnly),conditionalFormats)',
    }),
  );
  const present = (got.data.sheets ?? []).filter((s) => REGISTRY_SHEETS.some((r) => r.name === s.properties?.title));
  const ranges = present.map((s) => (s.properties!.title === settingsSheet.name ? quoteSheet(settingsSheet.name) : `${quoteSheet(s.properties!.title!)}!1:2`));
  const valueRanges = ranges.length
    ? ((
        await call('读取表头', { idempotent: true }, () =>
          sheets.spreadsheets.values.batchGet({ spreadsheetId, ranges, valueRenderOption: 'UNFORMATTED_VALUE', dateTimeRenderOption: 'SERIAL_NUMBER' }),
        )
      ).data.valueRanges ?? [])
    : [];
  // Formats, validations and notes of the header and first data row: what is already right is not sent again.
  const cellRanges = present.map((s) => `${quoteSheet(s.properties!.title!)}!1:2`);
  const grids = cellRanges.length
    ? ((
        await call('读取表头格式', { idempotent: true }, () =>
          sheets.spreadsheets.get({
            spreadsheetId,
            ranges: cellRanges,
            includeGridData: true,
            fields:
              'sheets(properties(title),data(startRow,rowData(values(note,dataValidation,' +
              'userEnteredFormat(numberFormat,backgroundColor,textFormat.bold,horizontalAlignment,verticalAlignment,wrapStrategy)))))',
          }),
        )
      ).data.sheets ?? [])
    : [];
  const cellsOf = (title: string): ExistingSheet['cells'] => {
    const rows = grids.find((g) => g.properties?.title === title)?.data?.[0]?.rowData ?? [];
    return { header: rows[0]?.values ?? [], firstRow: rows[1]?.values ?? [] };
  };
  const existing = new Map<string, ExistingSheet>();
  let settingsValues: SheetValue[][] | undefined;
  // Every sheet's protections, registry sheet or not, so ours on a renamed sheet are found too.
  const all = got.data.sheets ?? [];
  present.forEach((s, i) => {
    const values = (valueRanges[i]?.values ?? []) as SheetValue[][];
    if (s.properties!.title === settingsSheet.name) settingsValues = values;
    existing.set(s.properties!.title!, {
      properties: s.properties!,
      protectedRanges: s.protectedRanges ?? [],
      headerRow: values[0] ?? [],
      hasData: values.slice(1).some((row) => row.some((v) => v !== '' && v !== null)),
      conditionalFormats: s.conditionalFormats ?? [],
      cells: cellsOf(s.properties!.title!),
    });
  });
  // Titles are unique in a spreadsheet; other sheets matter for free sheet IDs and for our protections on them.
  for (const s of all) {
    if (existing.has(s.properties?.title ?? '')) continue;
    existing.set(s.properties?.title ?? '', { properties: s.properties ?? {}, protectedRanges: s.protectedRanges ?? [], headerRow: [], hasData: true });
  }
  const settingsComplete = settingsValues && !missingHeaders(settingsSheet, new Map((settingsValues[0] ?? []).map((v, i) => [String(v).trim(), i]))).length;
  const settings = currentSettings(settingsComplete ? settingsValues : undefined, location);
  const plan = setupPlan(existing, settings, await ownerEmails(clients, spreadsheetId), got.data.properties?.timeZone ?? undefined);
  // A registry already as it should be gets no write at all.
  if (plan.requests.length)
    await call('建立登记表结构', { idempotent: false }, () => sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: plan.requests } }));
  if (plan.values.length) {
    await call('写入表头', { idempotent: true }, () =>
      sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: plan.values } }),
    );
  }
  return {
    addedSheets: plan.addedSheets,
    addedHeaders: plan.addedHeaders,
    protectionsAdded: plan.requests.filter((r) => r.addProtectedRange).length,
    changed: plan.requests.length + plan.values.length > 0,
  };
}
