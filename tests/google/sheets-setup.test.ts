import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATEGORIES, headersOf, REGISTRY_SHEETS } from '../../core/index.js';
import { coopAsync } from '../helpers/cli.js';
import { startHarness, type Harness } from './harness.js';

describe('coop google setup (Sheets API renderer of the schema)', () => {
  let h: Harness;
  let id: string;
  beforeEach(async () => {
    h = await startHarness();
    id = h.emulator.addSpreadsheet([{ title: 'Sheet1' }]);
  });
  afterEach(() => h.emulator.stop());

  it('lays out an empty spreadsheet: six sheets, headers, formats, validations, default 设置; then validate passes', async () => {
    const result = await coopAsync(['google', 'setup', '--registry', `gsheet:${id}`], { env: h.env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('新增工作表：合作单位、合作项目、审批记录、年度评价、成果登记、设置');
    for (const sheet of REGISTRY_SHEETS) expect(h.emulator.sheetValues(id, sheet.name)[0]).toEqual(headersOf(sheet));
    expect(h.emulator.sheetValues(id, '设置').length).toBeGreaterThan(20);
    const batch = h.emulator.log.find((r) => r.endpoint === 'sheets.spreadsheets.batchUpdate')!.body as { requests: Record<string, any>[] };
    const categoryRule = batch.requests.find((r) => r.setDataValidation?.rule?.condition?.values?.length === CATEGORIES.length);
    expect(categoryRule!.setDataValidation.rule.condition.values.map((v: { userEnteredValue: string }) => v.userEnteredValue)).toEqual([...CATEGORIES]);
    expect(batch.requests.filter((r) => r.setDataValidation?.rule?.condition?.type === 'BOOLEAN')).toHaveLength(9);
    expect(batch.requests.some((r) => r.repeatCell?.cell?.userEnteredFormat?.numberFormat?.type === 'DATE')).toBe(true);
    expect(h.emulator.counts()).toEqual({
      'oauth.token': 1,
      'sheets.spreadsheets.get': 1,
      'drive.files.get': 1,
      'sheets.spreadsheets.batchUpdate': 1,
      'sheets.values.batchUpdate': 1,
    });

    const validate = await coopAsync(['validate', '--registry', `gsheet:${id}`], { env: h.env });
    expect(validate.stdout).toContain('未发现问题');
    expect(validate.code).toBe(0);
  });

  it('run again on a registry in use: adds only what is missing, keeps data and 设置', async () => {
    expect((await coopAsync(['google', 'setup', '--registry', `gsheet:${id}`], { env: h.env })).code).toBe(0);
    const partners = h.emulator.sheetValues(id, '合作单位');
    partners[0]!.splice(partners[0]!.indexOf('备注'), 1);
    partners.push(['P0001', '某公司']);
    const settingsBefore = JSON.stringify(h.emulator.sheetValues(id, '设置'));
    const again = await coopAsync(['google', 'setup', '--registry', `gsheet:${id}`], { env: h.env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('新增列：合作单位.备注');
    expect(again.stdout).not.toContain('新增工作表');
    expect(h.emulator.sheetValues(id, '合作单位')[1]).toEqual(['P0001', '某公司']);
    expect(h.emulator.sheetValues(id, '合作单位')[0]!.at(-1)).toBe('备注');
    expect(JSON.stringify(h.emulator.sheetValues(id, '设置'))).toBe(settingsBefore);
  });

  it('refuses a local registry with a Chinese usage message', async () => {
    const result = await coopAsync(['google', 'setup', '--registry', 'registry.xlsx'], { env: h.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('gsheet:');
  });
});
