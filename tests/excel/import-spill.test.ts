// A large import keeps the rows it appends in a spill file beside the registry (sync/src/stores/spill-file.ts), not in
// memory: the bytes come back exactly, the file never outlives the import (written, refused, failed or killed), and the
// registry written through it reads back, with openpyxl and in LibreOffice, exactly as the import that holds every row.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectsSheet } from '../../core/index.js';
import { createRegistry } from '../../sync/src/ops/registry-ops.js';
import { SpillFile } from '../../sync/src/stores/spill-file.js';
import { COOP, coop, tempDir } from '../helpers/cli.js';
import { convertWithLibreOffice, NO_SOFFICE_REASON, SOFFICE } from '../helpers/libreoffice.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';
import { writeLargeRegister } from './large-file.js';

const ROWS = 4_000;
/** Rows appended past the first 200 new ones: a few dozen spilled segments of deflated XML. */
const SPILL_ENV = { COOP_IMPORT_APPEND_AFTER: '200' };
const HOLD_ENV = { COOP_IMPORT_APPEND_AFTER: String(10 ** 9) };

/** What the folder holds besides the registry's own files: a spill file left behind would show here. */
const strays = (dir: string, keep: readonly string[]) => readdirSync(dir).filter((name) => !keep.includes(name) && !name.startsWith('registry'));
const spillNames = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.rows.tmp'));

/** Every cell of 合作项目 as openpyxl reads it, values only: how many rows, the SHA-256 of them all, and a few in full. */
const DUMP_PROJECTS = `
import hashlib, json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
rows = [[None if v is None else str(v) for v in row] for row in wb[sys.argv[2]].iter_rows(values_only=True)]
text = json.dumps(rows, ensure_ascii=False)
print(json.dumps({'count': len(rows), 'sha256': hashlib.sha256(text.encode('utf-8')).hexdigest(), 'some': [rows[1], rows[len(rows) // 2], rows[-1]]}, ensure_ascii=False))
`;

describe('the spill file', () => {
  it('gives back every appended byte by position, and is gone from the folder while open and after close', () => {
    const dir = tempDir('coop-spill-');
    const registry = join(dir, 'registry.xlsx');
    const spill = new SpillFile(registry);
    const parts = [randomBytes(70_000), randomBytes(1), randomBytes(250_000), Buffer.from('末尾的行', 'utf8')];
    const chunks = parts.map((p) => spill.append(p));
    expect(chunks.map((c) => c.length)).toEqual(parts.map((p) => p.length));
    // Opened, then removed at once: only the descriptor keeps it (Linux and macOS).
    if (process.platform !== 'win32') expect(readdirSync(dir)).toEqual([]);
    // Read back out of order, into the middle of a larger buffer.
    const out = Buffer.alloc(10 + parts.reduce((n, p) => n + p.length, 0), 0xee);
    let at = 10;
    const order = [2, 0, 3, 1];
    const places = new Map<number, number>();
    for (const i of order) {
      places.set(i, at);
      at += parts[i]!.length;
    }
    for (const i of order) chunks[i]!.copyTo(out, places.get(i)!);
    for (const i of order) expect(out.subarray(places.get(i)!, places.get(i)! + parts[i]!.length).equals(parts[i]!)).toBe(true);
    expect(out.subarray(0, 10).every((b) => b === 0xee)).toBe(true);
    spill.close();
    spill.close();
    expect(() => chunks[0]!.copyTo(out, 0)).toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a large import through the spill file', () => {
  let dir: string;
  let file: string;
  let blank: string;

  beforeAll(async () => {
    dir = tempDir('coop-import-spill-');
    file = join(dir, 'large.xlsx');
    await writeLargeRegister(file, ROWS);
    blank = join(dir, 'blank.xlsx');
    await createRegistry(blank);
  }, 120_000);

  /** A fresh registry in a folder of its own, so the folder shows anything the import leaves behind. */
  function fresh(name: string): { folder: string; registry: string } {
    const folder = join(dir, name);
    const registry = join(folder, 'registry.xlsx');
    mkdirSync(folder);
    copyFileSync(blank, registry);
    return { folder, registry };
  }

  it.skipIf(!OPENPYXL_PYTHON)(
    'writes the same registry as holding every row (openpyxl reads both cell for cell) and leaves no spill file',
    () => {
      if (!OPENPYXL_PYTHON) console.warn(`[skip] ${NO_OPENPYXL_REASON}`);
      const held = fresh('held');
      const spilled = fresh('spilled');
      const a = coop(['import', file, '--registry', held.registry, '--rejects', join(held.folder, 'rejects.xlsx')], { env: HOLD_ENV });
      const b = coop(['import', file, '--registry', spilled.registry, '--rejects', join(spilled.folder, 'rejects.xlsx')], { env: SPILL_ENV });
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      expect(b.stdout).toBe(a.stdout.replaceAll(held.registry, spilled.registry));
      expect(b.stdout).toContain(`读取 ${ROWS} 行：新增 ${ROWS}`);
      expect(spillNames(spilled.folder)).toEqual([]);
      expect(strays(spilled.folder, [])).toEqual([]);
      const rows = (registry: string) =>
        JSON.parse(runOpenpyxl(DUMP_PROJECTS, [registry, projectsSheet.name])) as { count: number; sha256: string; some: (string | null)[][] };
      const heldRows = rows(held.registry);
      expect(heldRows.count).toBe(1 + ROWS - ROWS / 10);
      expect(heldRows.some.at(-1)).toContain(`HZ2026-${String(ROWS - ROWS / 10).padStart(4, '0')}`);
      expect(rows(spilled.registry)).toEqual(heldRows);
    },
    300_000,
  );

  it.skipIf(!SOFFICE)(
    'the registry written through the spill file opens in LibreOffice with every project',
    () => {
      if (!SOFFICE) console.warn(`[skip] ${NO_SOFFICE_REASON}`);
      const { folder, registry } = fresh('office');
      const run = coop(['import', file, '--registry', registry, '--rejects', join(folder, 'rejects.xlsx')], { env: SPILL_ENV });
      expect(run.code, run.stderr).toBe(0);
      const fods = readFileSync(convertWithLibreOffice(registry, 'fods'), 'utf8');
      const projects = fods.split('<table:table ').find((t) => t.includes(`table:name="${projectsSheet.name}"`)) ?? '';
      expect(projects.split('<table:table-row').filter((r) => r.includes('HZ20')).length).toBe(ROWS - ROWS / 10);
    },
    300_000,
  );

  it('a refused import (--strict with a bad row in a second file) writes nothing and leaves no spill file', async () => {
    const { folder, registry } = fresh('strict');
    const bad = join(folder, 'bad.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(projectsSheet.name);
    // Complete but for its partner, which no file registers: refused with 「引用」.
    ws.addRow(['项目名称', '承办系部', '合作单位名称', '合作类别', '合作内容及双方权责', '开始日期', '结束日期', '成果权属', '项目负责人']);
    ws.addRow(['一个项目', '学前教育系', '从未登记的单位', '实习基地', '学生实习', '2026-01-01', '2026-12-31', '学校所有', '张老师']);
    await wb.xlsx.writeFile(bad);
    const before = readFileSync(registry);
    const run = coop(['import', file, bad, '--registry', registry, '--strict', '--rejects', join(folder, 'rejects.xlsx')], { env: SPILL_ENV });
    expect(run.stdout + run.stderr).toContain('严格模式：有 1 行被拒绝');
    expect(readFileSync(registry).equals(before)).toBe(true);
    expect(spillNames(folder)).toEqual([]);
    expect(strays(folder, ['bad.xlsx', 'rejects.xlsx'])).toEqual([]);
  }, 120_000);

  it('an import that fails mid-way (the row limit) leaves the registry as it was and no spill file', () => {
    const { folder, registry } = fresh('limit');
    const before = readFileSync(registry);
    const run = coop(['import', file, '--registry', registry, '--rejects', join(folder, 'rejects.xlsx')], {
      env: { ...SPILL_ENV, COOP_IMPORT_MAX_ROWS: String(ROWS - 100) },
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/行/);
    expect(readFileSync(registry).equals(before)).toBe(true);
    expect(spillNames(folder)).toEqual([]);
    expect(strays(folder, [])).toEqual([]);
  }, 120_000);

  it.skipIf(process.platform !== 'linux')(
    'a killed import leaves no spill file: it lived only through its descriptor, and the registry is unchanged',
    async () => {
      const { folder, registry } = fresh('killed');
      const big = join(dir, 'larger.xlsx');
      if (!existsSync(big)) await writeLargeRegister(big, 30_000);
      const before = readFileSync(registry);
      const child = spawn(process.execPath, [COOP, 'import', big, '--registry', registry, '--rejects', join(folder, 'rejects.xlsx')], {
        env: {
          ...process.env,
          ...SPILL_ENV,
          NODE_OPTIONS: `--import=${pathToFileURL(resolve('tests/no-network.mjs')).href}`,
          COOP_IMPORT_MAX_ROWS: '100000',
          COOP_IMPORT_MAX_BYTES: String(2 ** 30),
        },
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      // Wait until the child holds its spill file open (a descriptor to a removed *.rows.tmp in this folder), then kill it.
      let seen = '';
      for (let i = 0; i < 3000 && !seen; i++) {
        await new Promise((r) => setTimeout(r, 10));
        try {
          for (const fd of readdirSync(`/proc/${child.pid}/fd`)) {
            const target = readlinkSync(`/proc/${child.pid}/fd/${fd}`);
            if (target.startsWith(folder) && target.includes('.rows.tmp')) seen = target;
          }
        } catch {
          // The child has not started or already ended.
        }
      }
      child.kill('SIGKILL');
      await exited;
      expect(seen).toMatch(/\.rows\.tmp \(deleted\)$/);
      expect(readFileSync(registry).equals(before)).toBe(true);
      expect(spillNames(folder)).toEqual([]);
    },
    300_000,
  );
});
