// A large import writes new rows as they come (rows past APPEND_AFTER go straight into the sheet part): with a file
// openpyxl wrote in write-only mode, good and bad rows mixed, it must give the same registry and the same rejects as the
// import that reads the file whole and holds every row until the write, and the registry must open in LibreOffice.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter, partnersSheet, projectsSheet, type ColumnSpec } from '../../core/index.js';
import { SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../../sync/src/demo/sample-data.js';
import { importFiles, type ImportResult } from '../../sync/src/ops/import.js';
import { createRegistry } from '../../sync/src/ops/registry-ops.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { convertWithLibreOffice, NO_SOFFICE_REASON, SOFFICE } from '../helpers/libreoffice.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';

const NOW = new Date('2026-11-24T02:00:00Z');
const PARTNERS = 300;
const PROJECTS = 2700;

const typed = (columns: readonly ColumnSpec[]) => columns.filter((c) => c.setBy !== 'system' && c.setBy !== 'workflow');
const PARTNER_COLUMNS = typed(partnersSheet.columns);
const PROJECT_COLUMNS = [...typed(projectsSheet.columns), projectsSheet.columns.find((c) => c.key === 'partnerName')!];

function creditCode(i: number): string {
  const first17 = `91441200${String(i).padStart(9, '0')}`;
  return first17 + creditCodeCheckCharacter(first17);
}

const partnerName = (i: number) => `${SAMPLE_PARTNERS[i % 4]!.name!.replace(/有限公司|协会|幼儿园$/, '')}第${i + 1}分部`;

/**
 * The rows of a two-sheet register, as plain values (dates as text, as a hand-typed file has them), with bad rows
 * on purpose: a wrong credit-code check character, a partner named twice, projects naming an unknown partner or a
 * refused one, an end before the start, a category not in the list, a blank title, a project typed twice, and text
 * that would be a formula.
 */
function registerRows(): { partners: unknown[][]; projects: unknown[][]; bad: number } {
  let bad = 0;
  const partners = [];
  for (let i = 0; i < PARTNERS; i++) {
    const values: Record<string, unknown> = { ...SAMPLE_PARTNERS[i % 4], name: partnerName(i), creditCode: creditCode(i) };
    if (i % 37 === 5) {
      values.creditCode = `${creditCode(i).slice(0, 17)}${creditCode(i).endsWith('0') ? '1' : '0'}`;
      bad++;
    }
    if (i % 53 === 20) {
      values.name = partnerName(i - 3);
      bad++;
    }
    partners.push(PARTNER_COLUMNS.map((c) => values[c.key] ?? null));
  }
  const projects = [];
  for (let i = 0; i < PROJECTS; i++) {
    const sample = SAMPLE_PROJECTS[i % 4]! as Record<string, unknown>;
    const values: Record<string, unknown> = { ...sample, partnerName: partnerName(i % PARTNERS), title: `${String(sample.title)}（第${i + 1}期）` };
    if (i % 29 === 3) values.partnerName = `未登记单位${i}`;
    else if (i % 31 === 4) values.endDate = '2020-01-01';
    else if (i % 41 === 6) values.category = '不存在的类别';
    else if (i % 43 === 7) values.title = null;
    else if (i % 47 === 8) values.title = `${String(sample.title)}（第${i}期）`;
    else if (i % 59 === 9) values.content = `=HYPERLINK("http://x.example","点我")${i}`;
    if (i % 29 === 3 || i % 31 === 4 || i % 41 === 6 || i % 43 === 7 || i % 47 === 8) bad++;
    projects.push(PROJECT_COLUMNS.map((c) => values[c.key] ?? null));
  }
  return { partners, projects, bad };
}

/** openpyxl in write-only mode (rows streamed out, shared strings at the end), a title row above each header. */
const WRITE_ONLY = `
import json, sys, openpyxl
spec = json.load(open(sys.argv[1], encoding='utf-8'))
wb = openpyxl.Workbook(write_only=True)
for sheet in spec['sheets']:
    ws = wb.create_sheet(sheet['name'])
    ws.append([sheet['name'] + '（批量登记）'])
    ws.append(sheet['headers'])
    for row in sheet['rows']:
        ws.append(row)
wb.save(sys.argv[2])
`;

/** Every cell of every sheet as openpyxl reads it, values only. */
const DUMP = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
out = {ws.title: [[None if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
print(json.dumps(out, ensure_ascii=False))
`;

interface Outcome {
  result: Omit<ImportResult, 'rejectsFile' | 'appended'>;
  appended: number;
  data: Awaited<ReturnType<XlsxRegistryStore['read']>>;
  rejects: Record<string, unknown[][]>;
}

describe.skipIf(!OPENPYXL_PYTHON)('import written as it goes', () => {
  if (!OPENPYXL_PYTHON) console.warn(`[skip] ${NO_OPENPYXL_REASON}`);
  let dir: string;
  let file: string;
  let registry: string;
  let bad: number;

  beforeAll(async () => {
    dir = tempDir('coop-import-large-');
    const rows = registerRows();
    bad = rows.bad;
    const spec = {
      sheets: [
        { name: partnersSheet.name, headers: PARTNER_COLUMNS.map((c) => c.header), rows: rows.partners },
        { name: projectsSheet.name, headers: PROJECT_COLUMNS.map((c) => c.header), rows: rows.projects },
      ],
    };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    file = join(dir, '批量台账.xlsx');
    runOpenpyxl(WRITE_ONLY, [join(dir, 'spec.json'), file]);
    registry = join(dir, 'registry.xlsx');
    await createRegistry(registry);
  }, 300_000);

  /** One import into a fresh copy of the registry: read whole or streamed, every new row held, or written as it comes after the first 400. */
  async function importInto(name: string, stream: boolean, appendAfter: number): Promise<Outcome> {
    const copy = join(dir, `${name}.xlsx`);
    copyFileSync(registry, copy);
    const rejectsPath = join(dir, `${name}-rejects.xlsx`);
    const { rejectsFile, appended, ...result } = await importFiles({ files: [file], registry: copy, now: NOW, stream, appendAfter, rejectsPath });
    expect(rejectsFile).toBe(rejectsPath);
    const data = await new XlsxRegistryStore(copy, { cache: false }).read();
    return { result, appended, data, rejects: JSON.parse(runOpenpyxl(DUMP, [rejectsPath])) };
  }

  it('gives the same registry, the same rejects and the same report as holding every row, and LibreOffice opens it', async () => {
    const held = await importInto('held', false, 10 ** 9);
    const written = await importInto('written', true, 400);

    // The mix is what the test is about: most rows land, the bad ones are refused, each with its reasons.
    expect(held.appended).toBe(0);
    expect(written.appended).toBeGreaterThan(2000);
    expect(held.result.counts.read).toBe(PARTNERS + PROJECTS);
    expect(held.result.counts.rejected).toBeGreaterThanOrEqual(bad);
    expect(held.result.counts.inserted).toBeGreaterThan(2500);
    expect(held.result.rejected.every((r) => r.problems.length > 0 && r.row > 2)).toBe(true);
    expect(held.result.rejected.some((r) => r.problems.some((p) => p.rule === '重复'))).toBe(true);
    expect(held.result.rejected.some((r) => r.problems.some((p) => p.rule === '引用'))).toBe(true);

    expect(written.result).toEqual(held.result);
    expect(written.rejects).toEqual(held.rejects);
    // Registry rows, IDs, derived columns, counters in 设置 and the log: the same, row for row.
    for (const key of ['partners', 'projects', 'evaluations', 'outcomes', 'settings', 'reviewLog'] as const) {
      expect(
        written.data[key].map((r) => r.cells),
        key,
      ).toEqual(held.data[key].map((r) => r.cells));
    }
    const sheetRows = (o: Outcome) => (Object.values(o.rejects) as unknown[][][]).reduce((n, rows) => n + rows.length - 1, 0);
    expect(sheetRows(written)).toBe(written.result.counts.rejected);

    // exceljs's whole-model reader (an independent parse of the appended XML) reads the same registry.
    const viaExceljs = await new XlsxRegistryStore(join(dir, 'written.xlsx'), { read: 'exceljs', cache: false }).read();
    expect(viaExceljs.projects.map((r) => r.cells)).toEqual(held.data.projects.map((r) => r.cells));

    // The CLI agrees the file is a sound registry.
    const validate = coop(['validate', '--registry', join(dir, 'written.xlsx')]);
    expect(validate.stderr).toBe('');
  }, 600_000);

  it.skipIf(!SOFFICE)(
    'the registry written as it goes opens in LibreOffice with every row',
    async () => {
      if (!SOFFICE) console.warn(`[skip] ${NO_SOFFICE_REASON}`);
      const target = join(dir, 'written.xlsx');
      if (!existsSync(target)) await importInto('written', true, 400);
      const data = await new XlsxRegistryStore(target, { cache: false }).read();
      // LibreOffice writes the active sheet as CSV: make 合作项目 the one it sees by converting to flat ODS instead.
      const fods = readFileSync(convertWithLibreOffice(target, 'fods'), 'utf8');
      const projects = fods.split('<table:table ').find((t) => t.includes(`table:name="${projectsSheet.name}"`)) ?? '';
      for (const row of [data.projects[0]!, data.projects.at(-1)!, data.projects[1234]!]) {
        expect(projects).toContain(String(row.cells.projectId));
      }
      const last = String(data.projects.at(-1)!.cells.projectId);
      expect(projects.split('<table:table-row').filter((r) => r.includes('HZ20')).length).toBe(data.projects.length);
      expect(last).toMatch(/^HZ\d{4}-\d+$/);
    },
    600_000,
  );
});
