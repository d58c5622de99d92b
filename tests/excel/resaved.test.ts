// Registries and archives opened and saved by other programs (openpyxl, as pandas uses; LibreOffice) work with every command.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../core/index.js';
import { readImportFile } from '../../sync/src/excel/import-reader.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { anchorPath } from '../../sync/src/stores/chain-anchor.js';
import { convertWithLibreOffice, SOFFICE, NO_SOFFICE_REASON } from '../helpers/libreoffice.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';

const RESAVE = `import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wb.save(sys.argv[2])`;

function setup(): { dir: string; registry: string; archive: string } {
  const dir = tempDir('coop-resaved-');
  expect(coop(['demo', '--dir', dir]).code).toBe(0);
  const registry = join(dir, 'registry.xlsx');
  const archive = join(dir, 'archive.xlsx');
  expect(coop(['export', '--registry', registry, '--out', archive]).code).toBe(0);
  return { dir, registry, archive };
}

/** Every command that reads the registry, run on a copy, must print what it prints on the original. */
async function expectSameAsOriginal(original: string, resaved: string, dir: string): Promise<void> {
  const before = await new XlsxRegistryStore(original).read();
  const after = await new XlsxRegistryStore(resaved).read();
  for (const key of ['partners', 'projects', 'reviewLog', 'evaluations', 'outcomes'] as const) {
    expect(
      after[key].map((r) => r.cells),
      key,
    ).toEqual(before[key].map((r) => r.cells));
  }
  expect(readSettings(after).settings).toEqual(readSettings(before).settings);
  for (const args of [['status'], ['validate']]) {
    const a = coop([...args, '--registry', original], { cwd: dir });
    const b = coop([...args, '--registry', resaved], { cwd: dir });
    expect(b.stderr).toBe(a.stderr);
    expect(b.stdout.replaceAll(resaved, original)).toBe(a.stdout);
    expect(b.code).toBe(a.code);
  }
  // A write on the re-saved file, and the file it writes reads back.
  const draft = before.projects.find((p) => p.cells.status === '草稿')!.cells.projectId as string;
  const submitted = coop(['submit', draft, '--registry', resaved, '--by', 'hezuo@zqlg.example.edu.cn'], { cwd: dir });
  expect(submitted.stderr).toBe('');
  const written = await new XlsxRegistryStore(resaved).read();
  expect(written.projects.find((p) => p.cells.projectId === draft)!.cells.status).not.toBe('草稿');
}

describe.skipIf(!OPENPYXL_PYTHON)('files re-saved by openpyxl', () => {
  if (!OPENPYXL_PYTHON) console.warn(`[skip] ${NO_OPENPYXL_REASON}`);
  let f: ReturnType<typeof setup>;
  beforeAll(() => {
    f = setup();
  }, 120_000);

  it('a registry re-saved by openpyxl reads, validates, reports and takes workflow writes like the original', async () => {
    const resaved = join(f.dir, 'openpyxl-registry.xlsx');
    runOpenpyxl(RESAVE, [f.registry, resaved]);
    // A registry saved under another name takes its 审批记录 anchor along, as the deployment guide says.
    copyFileSync(anchorPath(f.registry), anchorPath(resaved));
    await expectSameAsOriginal(f.registry, resaved, f.dir);
  }, 120_000);

  it('an archive re-saved by openpyxl imports with the same sheet names and rows, loaded or streamed, and changes nothing', async () => {
    const resaved = join(f.dir, 'openpyxl-archive.xlsx');
    runOpenpyxl(RESAVE, [f.archive, resaved]);
    const settings = readSettings(await new XlsxRegistryStore(f.registry).read()).settings;
    const ours = await readImportFile(f.archive, settings);
    const loaded = await readImportFile(resaved, settings, { stream: false });
    const streamed = await readImportFile(resaved, settings, { stream: true });
    const shape = (r: typeof ours) => r.sheets.map((s) => ({ name: s.sheetName, key: s.key, rows: s.rows.map((row) => [row.row, row.cells]) }));
    expect(shape(loaded)).toEqual(shape(ours));
    expect(shape(streamed)).toEqual(shape(ours));
    const copy = join(f.dir, 'import-target.xlsx');
    copyFileSync(f.registry, copy);
    copyFileSync(anchorPath(f.registry), anchorPath(copy));
    const r = coop(['import', resaved, '--registry', copy], { cwd: f.dir });
    expect(r.stdout).toMatch(/读取 (\d+) 行：新增 0 · 更新 0 · 未变 \1 · 拒绝 0/);
  }, 120_000);
});

describe.skipIf(!SOFFICE)('files re-saved by LibreOffice', () => {
  if (!SOFFICE) console.warn(`[skip] ${NO_SOFFICE_REASON}`);
  it('a registry converted by soffice --convert-to xlsx works with every command', async () => {
    const f = setup();
    const resaved = convertWithLibreOffice(f.registry, 'xlsx');
    const target = join(f.dir, 'lo-registry.xlsx');
    copyFileSync(resaved, target);
    copyFileSync(anchorPath(f.registry), anchorPath(target));
    await expectSameAsOriginal(f.registry, target, f.dir);
  }, 300_000);
});
