// LibreOffice Calc, an independent reader, opens what `coop init` writes and sees the same sheets, headers and dropdowns.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, REGISTRY_SHEETS, headersOf, sheetSpec } from '../../core/index.js';
import { coop, tempDir } from '../helpers/cli.js';
import { anchorPath } from '../../sync/src/stores/chain-anchor.js';
import { SOFFICE, convertWithLibreOffice } from '../helpers/libreoffice.js';

describe.skipIf(!SOFFICE)('a registry opened in LibreOffice Calc', () => {
  it('keeps every sheet, header and dropdown when Calc re-saves it', async () => {
    const dir = tempDir();
    const path = join(dir, 'registry.xlsx');
    expect(coop(['init', '--registry', path]).code).toBe(0);
    const resaved = convertWithLibreOffice(path, 'xlsx:Calc MS Excel 2007 XML', join(dir, 'calc'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(resaved);
    expect(wb.worksheets.map((w) => w.name)).toEqual(REGISTRY_SHEETS.map((s) => s.name));
    for (const sheet of REGISTRY_SHEETS) {
      const ws = wb.getWorksheet(sheet.name)!;
      expect((ws.getRow(1).values as unknown[]).slice(1, sheet.columns.length + 1)).toEqual(headersOf(sheet));
    }
    const projects = wb.getWorksheet('合作项目')!;
    const index = headersOf(sheetSpec('projects')).indexOf('合作类别') + 1;
    const dropdown = projects.getCell(10, index).dataValidation;
    expect(dropdown.type).toBe('list');
    for (const category of CATEGORIES) expect(dropdown.formulae?.[0]).toContain(category);
    // The demo registry, data included, also survives Calc: a value from each sheet.
    expect(coop(['demo', '--dir', join(dir, 'demo')]).code).toBe(0);
    const demo = convertWithLibreOffice(join(dir, 'demo', 'registry.xlsx'), 'xlsx:Calc MS Excel 2007 XML', join(dir, 'calc-demo'));
    // The 审批记录 anchor travels with the registry (docs/部署指南.md); Calc must keep every 校验值 intact.
    copyFileSync(anchorPath(join(dir, 'demo', 'registry.xlsx')), anchorPath(demo));
    const back = coop(['validate', '--registry', demo]);
    expect(back.stdout).toContain('未发现问题');
    expect(back.code).toBe(0);
    // Two LibreOffice conversions and three CLI runs on a shared two-core machine: allow for other test files running beside it.
  }, 180_000);
});
