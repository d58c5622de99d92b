/**
 * `coop google setup`'s work: lays the registry out on a spreadsheet through the Sheets API — missing sheets
 * and headers added, every schema column styled and validated, 设置 filled with the school's defaults when empty.
 * Data and the office's own columns are left as they are, so it also repairs an existing registry.
 */
import { defaultSettings, REGISTRY_SHEETS, writeSettings, type SheetSpec } from '../../../core/index.js';
import type { sheets_v4 } from '@googleapis/sheets';
import { GSheetRegistryStore } from '../stores/gsheet-store.js';
import type { GoogleClients } from './clients.js';
import { layoutRequests } from './sheets-layout.js';
import { a1, quoteSheet } from './sheet-values.js';

export interface SetupResult {
  addedSheets: string[];
  addedHeaders: string[];
  settingsFilled: boolean;
}

export async function setupSpreadsheet(clients: GoogleClients, spreadsheetId: string): Promise<SetupResult> {
  const what = `初始化 Google 表格 ${spreadsheetId}`;
  const meta = await clients.call(what, { idempotent: true }, () =>
    clients.sheets.spreadsheets.get({ spreadsheetId, fields: 'sheets(properties(sheetId,title))' }),
  );
  const existing = new Map((meta.data.sheets ?? []).map((s) => [s.properties!.title!, s.properties!.sheetId!]));
  const present = REGISTRY_SHEETS.filter((s) => existing.has(s.name));
  const headerRows = present.length
    ? await clients.call(what, { idempotent: true }, () =>
        clients.sheets.spreadsheets.values.batchGet({ spreadsheetId, ranges: present.map((s) => `${quoteSheet(s.name)}!1:1`), valueRenderOption: 'UNFORMATTED_VALUE' }),
      )
    : undefined;

  const result: SetupResult = { addedSheets: [], addedHeaders: [], settingsFilled: false };
  const settings = defaultSettings();
  const requests: sheets_v4.Schema$Request[] = [];
  const headerWrites: { range: string; values: string[][] }[] = [];
  let nextId = Math.max(0, ...existing.values()) + 1;
  for (const sheet of REGISTRY_SHEETS as readonly SheetSpec[]) {
    let sheetId = existing.get(sheet.name);
    const header = (headerRows?.data.valueRanges?.[present.indexOf(sheet as never)]?.values?.[0] ?? []).map((v) => String(v ?? '').trim());
    if (sheetId === undefined) {
      sheetId = nextId++;
      requests.push({ addSheet: { properties: { sheetId, title: sheet.name, gridProperties: { frozenRowCount: 1 } } } });
      result.addedSheets.push(sheet.name);
    }
    const columns = new Map<string, number>();
    let next = header.length;
    const added: string[] = [];
    for (const column of sheet.columns) {
      const at = header.indexOf(column.header);
      if (at >= 0) columns.set(column.key, at);
      else {
        columns.set(column.key, next++);
        added.push(column.header);
      }
    }
    if (added.length) {
      headerWrites.push({ range: a1(sheet.name, 0, header.length), values: [added] });
      if (!result.addedSheets.includes(sheet.name)) result.addedHeaders.push(...added.map((h) => `${sheet.name}.${h}`));
    }
    requests.push(...layoutRequests(sheet, sheetId, columns, settings));
  }
  // One batch, applied in order: new sheets, then the styles that refer to them. Only addSheet makes it unsafe to resend.
  const addsSheets = result.addedSheets.length > 0;
  await clients.call(what, { idempotent: !addsSheets }, () => clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }));
  if (headerWrites.length) {
    await clients.call(what, { idempotent: true }, () =>
      clients.sheets.spreadsheets.values.batchUpdate({ spreadsheetId, requestBody: { valueInputOption: 'RAW', data: headerWrites } }),
    );
  }

  const store = new GSheetRegistryStore(spreadsheetId, clients);
  result.settingsFilled = await store.update((data) => {
    if (data.settings.length) return { result: false, write: false };
    writeSettings(data, settings);
    return { result: true, write: true };
  });
  return result;
}
