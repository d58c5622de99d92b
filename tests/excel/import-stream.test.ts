// The streamed import (exceljs WorkbookReader) must give exactly what the whole-workbook import gives, quirk for quirk.
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../core/index.js';
import { readImportFile } from '../../sync/src/excel/import-reader.js';
import { importFiles } from '../../sync/src/ops/import.js';
import { createRegistry } from '../../sync/src/ops/registry-ops.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { SOFFICE } from '../helpers/libreoffice.js';
import { convertAll, legacyRegister } from './fixtures.js';
import { writeLargeRegister } from './large-file.js';

const NOW = new Date('2026-11-24T02:00:00Z');

/** Imports the same files into two copies of one registry, streamed and loaded whole, and returns both outcomes. */
async function bothWays(dir: string, registry: string, files: string[]) {
  const out = [];
  for (const stream of [false, true]) {
    const copy = join(dir, `registry-${stream ? 'streamed' : 'loaded'}.xlsx`);
    copyFileSync(registry, copy);
    const result = await importFiles({ files, registry: copy, now: NOW, stream, rejectsPath: join(dir, `rejects-${stream}.xlsx`) });
    const data = await new XlsxRegistryStore(copy).read();
    const { rejectsFile, ...rest } = result;
    out.push({ result: rest, rejects: rejectsFile ? 'written' : 'none', data });
  }
  return { loaded: out[0]!, streamed: out[1]! };
}

describe('streamed import', () => {
  let dir: string;
  let demo: string;
  beforeAll(() => {
    dir = tempDir('coop-import-stream-');
    demo = join(dir, 'demo');
    expect(coop(['demo', '--dir', demo]).code).toBe(0);
  }, 300_000);

  it('reads the demo forms, register and archive export exactly as the whole-workbook reader does', async () => {
    const files = readdirSync(demo)
      .filter((f) => f.endsWith('.xlsx') && !/registry|导入问题/.test(f))
      .map((f) => join(demo, f));
    expect(files.length).toBeGreaterThanOrEqual(3);
    const { settings } = readSettings(await new XlsxRegistryStore(join(demo, 'registry.xlsx')).read());
    for (const file of files) {
      const loaded = await readImportFile(file, settings, { stream: false }).catch((e: Error) => e.message);
      const streamed = await readImportFile(file, settings, { stream: true }).catch((e: Error) => e.message);
      expect(streamed, file).toEqual(loaded);
    }
    const { loaded, streamed } = await bothWays(dir, join(demo, 'registry.xlsx'), files);
    expect(loaded.result.counts.read).toBeGreaterThan(0);
    expect(streamed).toEqual(loaded);
  });

  it.skipIf(!SOFFICE)(
    'reads a LibreOffice register with a merged title, hidden stale column, rich text, links, formulas and text dates the same way',
    async () => {
      writeFileSync(join(dir, 'legacy.fods'), legacyRegister());
      const file = convertAll([join(dir, 'legacy.fods')], 'xlsx').get('legacy.fods')!;
      const { loaded, streamed } = await bothWays(dir, join(demo, 'registry.xlsx'), [file]);
      // The same figures the CLI test expects of this file, so both paths are right, not merely alike.
      expect(loaded.result.counts).toEqual({ read: 5, inserted: 4, updated: 0, unchanged: 0, rejected: 1 });
      expect(loaded.data.projects.some((p) => p.cells.title === '（旧标题，已作废）')).toBe(false);
      expect(streamed).toEqual(loaded);
    },
    300_000,
  );

  it('fills merged data cells from their top-left cell, as the loaded workbook does (系部 merged down three rows)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('台账');
    ws.addRow(['2026年 校企合作项目台账']);
    ws.mergeCells('A1:J1');
    ws.addRow(['项目名称', '合作单位', '系部', '合作类型', '开始时间', '终止日期', '合作内容', '成果权属', '负责人', '预计收入']);
    const rows = [
      [
        '订单班甲',
        '肇庆星湖数控机械有限公司',
        '数控技术应用专业教学团队',
        '培训服务',
        new Date(Date.UTC(2026, 2, 1)),
        '2027/2/28',
        { richText: [{ text: '联合', font: { bold: true } }, { text: '培训。' }] },
        '学校所有',
        '黄志强',
        { formula: '1000*3', result: 3000 },
      ],
      [
        '订单班乙',
        { text: '肇庆星湖数控机械有限公司', hyperlink: 'https://xinghu-cnc.example.cn/' },
        null,
        '培训服务',
        46082,
        '2027年3月31日',
        '联合培训。',
        '学校所有',
        '黄志强',
        '４５００',
      ],
      ['订单班丙', '肇庆星湖数控机械有限公司', null, '培训服务', '2026.4.1', '2027-03-31', '联合培训。', '学校所有', '黄志强', 0],
    ];
    for (const r of rows) ws.addRow(r);
    ws.mergeCells('C3:C5');
    const file = join(dir, 'merged.xlsx');
    await wb.xlsx.writeFile(file);
    const { loaded, streamed } = await bothWays(dir, join(demo, 'registry.xlsx'), [file]);
    expect(loaded.result.counts).toMatchObject({ read: 3, inserted: 3, rejected: 0 });
    expect(loaded.data.projects.filter((p) => String(p.cells.title).startsWith('订单班')).map((p) => p.cells.department)).toEqual(
      Array(3).fill('数控技术应用专业教学团队'),
    );
    expect(streamed).toEqual(loaded);
  });

  it('imports a few thousand rows streamed, with the same registry as the whole-workbook import', async () => {
    const file = join(dir, 'large.xlsx');
    const { partners, projects } = await writeLargeRegister(file, 3_000);
    const empty = join(dir, 'empty.xlsx');
    await createRegistry(empty);
    const { loaded, streamed } = await bothWays(dir, empty, [file]);
    expect(streamed.result.counts).toEqual({ read: 3_000, inserted: 3_000, updated: 0, unchanged: 0, rejected: 0 });
    expect(streamed.data.partners).toHaveLength(partners);
    expect(streamed.data.projects).toHaveLength(projects);
    expect(streamed.data.projects.every((p) => /^\d{4}-\d{2}-\d{2}$/.test(String(p.cells.startDate)))).toBe(true);
    expect(streamed).toEqual(loaded);
  }, 300_000);
});
