// Files that are not importable workbooks: each gets a Chinese error naming the file and what to do, exit 2, registry untouched.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { coop, tempDir } from '../helpers/cli.js';
import { SOFFICE } from '../helpers/libreoffice.js';
import { CSV_UTF8, convertAll } from './fixtures.js';

/** A minimal OLE compound-file header followed by the stream names an encrypted OOXML package carries. */
function encryptedPackage(): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(header, 0);
  return Buffer.concat([header, Buffer.from('EncryptionInfo\0EncryptedPackage\0', 'utf16le'), Buffer.alloc(1024)]);
}

describe('bad files', () => {
  let dir: string;
  let registry: string;
  let before: Buffer;

  beforeAll(async () => {
    dir = tempDir('coop-bad-');
    registry = join(dir, 'registry.xlsx');
    expect(coop(['init', '--registry', registry]).code).toBe(0);
    before = readFileSync(registry);
    writeFileSync(join(dir, '乱码.xlsx'), Buffer.from('这不是压缩包\x00\x01\x02\x03'));
    writeFileSync(join(dir, '空文件.xlsx'), Buffer.alloc(0));
    writeFileSync(join(dir, '改名的表格.xlsx'), '单位名称,单位类型\n肇庆星湖数控机械有限公司,企业\n');
    writeFileSync(join(dir, '加密.xlsx'), encryptedPackage());
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('Sheet1');
    await empty.xlsx.writeFile(join(dir, '空工作簿.xlsx'));
    const noHeader = new ExcelJS.Workbook();
    const ws = noHeader.addWorksheet('名单');
    ws.addRow(['姓名', '班级', '成绩']);
    ws.addRow(['张三', '数控1班', 90]);
    await noHeader.xlsx.writeFile(join(dir, '无表头.xlsx'));
  });

  const cases: [string, RegExp][] = [
    ['乱码.xlsx', /乱码\.xlsx 不是 Excel 工作簿.*另存为/],
    ['空文件.xlsx', /空文件\.xlsx 是空文件/],
    ['加密.xlsx', /加密\.xlsx 设置了打开密码（已加密）.*取消「用密码进行加密」/],
    ['空工作簿.xlsx', /空工作簿\.xlsx 中没有任何数据/],
    ['无表头.xlsx', /无表头\.xlsx 中找不到可识别的表头.*单位名称/],
    ['不存在.xlsx', /找不到文件 .*不存在\.xlsx/],
  ];
  it.each(cases)('%s', (file, message) => {
    const r = coop(['import', join(dir, file), '--registry', registry], { cwd: dir });
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(readFileSync(registry).equals(before)).toBe(true);
  });

  it('stops before writing anything when one file of several is bad', async () => {
    const form = join(dir, 'form.xlsx');
    expect(coop(['form', '--out', form]).code).toBe(0);
    const r = coop(['import', form, join(dir, '乱码.xlsx'), '--registry', registry], { cwd: dir });
    expect(r.code).toBe(2);
    expect(readFileSync(registry).equals(before)).toBe(true);
  });

  it.skipIf(!SOFFICE)('a CSV and an OpenDocument file renamed .xlsx are read by what they hold, not by their name', { timeout: 300_000 }, () => {
    const csv = join(dir, '旧台账.csv');
    writeFileSync(csv, '单位名称,单位类型,统一社会信用代码,联系人,联系电话\n肇庆星湖数控机械有限公司,企业,,,\n');
    const ods = convertAll([csv], 'ods', CSV_UTF8).get('旧台账.csv')!;
    copyFileSync(ods, join(dir, 'ods改名.xlsx'));
    copyFileSync(csv, join(dir, 'csv改名.xlsx'));
    for (const file of ['ods改名.xlsx', 'csv改名.xlsx']) {
      const r = coop(['import', join(dir, file), '--registry', registry, '--dry-run'], { cwd: dir });
      expect(r.stderr, file).not.toMatch(/不是 Excel 工作簿/);
      // Read as a register: its one row is checked (and refused for the missing credit code), not the file.
      expect(r.stdout, file).toMatch(/读取 1 行：新增 0 · 更新 0 · 未变 0 · 拒绝 1/);
      expect(r.stdout, file).toMatch(/列「统一社会信用代码」/);
    }
    expect(readFileSync(registry).equals(before)).toBe(true);
  });
});
