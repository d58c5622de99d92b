// Files we hand out keep long digit strings exact: credit-code, ID and phone columns are formatted as text (@) in the form and the registry.
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { coop, tempDir } from '../helpers/cli.js';

async function formats(path: string, sheet: string): Promise<Record<string, string | undefined>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet(sheet)!;
  const out: Record<string, string | undefined> = {};
  ws.getRow(1).eachCell((cell, c) => {
    out[String(cell.value)] = ws.getColumn(c).numFmt;
  });
  return out;
}

describe('digit columns are text in the workbooks we write', () => {
  it('form and registry: 统一社会信用代码, 联系电话 and the ID columns carry the @ format; other columns do not', async () => {
    const dir = tempDir('coop-digits-');
    const form = join(dir, 'form.xlsx');
    const registry = join(dir, 'registry.xlsx');
    expect(coop(['form', '--out', form]).code).toBe(0);
    expect(coop(['init', '--registry', registry]).code).toBe(0);
    for (const path of [form, registry]) {
      const partners = await formats(path, '合作单位');
      expect(partners['统一社会信用代码'], path).toBe('@');
      expect(partners['联系电话'], path).toBe('@');
      expect(partners['单位名称'], path).toBeUndefined();
      const projects = await formats(path, '合作项目');
      expect(projects['合作单位编号'], path).toBe('@');
      expect(projects['开始日期'], path).toBe('yyyy-mm-dd');
    }
  }, 120_000);
});
