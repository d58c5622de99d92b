// The streamed import (exceljs WorkbookReader) must give exactly what the whole-workbook import gives, quirk for quirk.
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it.skipIf(!SOFFICE)('reads a LibreOffice register with a merged title, hidden stale column, rich text, links, formulas and text dates the same way', async () => {
    writeFileSync(join(dir, 'legacy.fods'), legacyRegister());
    const file = convertAll([join(dir, 'legacy.fods')], 'xlsx').get('legacy.fods')!;
    const { loaded, streamed } = await bothWays(dir, join(demo, 'registry.xlsx'), [file]);
    // The same figures the CLI test expects of this file, so both paths are right, not merely alike.
    expect(loaded.result.counts).toEqual({ read: 5, inserted: 4, updated: 0, unchanged: 0, rejected: 1 });
    expect(loaded.data.projects.some((p) => p.cells.title === '（旧标题，已作废）')).toBe(false);
    expect(streamed).toEqual(loaded);
  }, 300_000);

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
