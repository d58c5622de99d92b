// `coop demo` writes department forms, imports them (broken rows to the rejects workbook) and exports the archive.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { SAMPLE_PROJECTS } from '../../sync/src/demo/sample-data.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';

describe('coop demo, Excel steps', () => {
  it('imports the sample forms with every outcome, writes the rejects and the archive', { timeout: 180_000 }, async () => {
    const dir = tempDir('coop-demo-excel-');
    const r = coop(['demo', '--dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('读取 11 行，新增 3 · 更新 1 · 未变 3 · 拒绝 4');
    expect(r.stdout).toContain('建议示例：「合作类别」填的「订单式培养」；您是否指「订单式人才培养」（未自动更改）');
    expect(r.stdout).toMatch(/✔ 历史登记（合作交流处，--historical）：.*合作交流处-系统启用前已签协议\.xlsx 中 2 个/);
    for (const file of [
      '合作项目申请表.xlsx',
      '数控技术应用专业-合作项目申请表.xlsx',
      '汽车运用与维修专业-合作台账.xlsx',
      '导入问题.xlsx',
      '合作交流档案-2026.xlsx',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const rejects = new ExcelJS.Workbook();
    await rejects.xlsx.readFile(join(dir, '导入问题.xlsx'));
    const problems: string[] = [];
    for (const ws of rejects.worksheets) {
      const headers = ws.getRow(1).values as unknown[];
      const col = headers.indexOf('问题');
      ws.eachRow((row, n) => n > 1 && problems.push(String(row.getCell(col).value)));
    }
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/统一社会信用代码校验位错误/);
    expect(problems.join('\n')).toMatch(/结束日期不能早于开始日期/);
    expect(problems.join('\n')).toMatch(/尚未登记/);
    expect(problems.join('\n')).toMatch(/导入不能设置「状态」/);
    const data = await new XlsxRegistryStore(join(dir, 'registry.xlsx')).read();
    const titles = data.projects.map((p) => p.cells.title);
    for (const p of SAMPLE_PROJECTS) expect(titles).toContain(p.title);
    expect(titles).toContain('精密模具数控加工现代学徒制试点');
  });
});
