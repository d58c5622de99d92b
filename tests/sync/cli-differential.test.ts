// The built `coop` on two copies of one registry — one on the default change-only path with its state cache, one on the
// whole-model path (COOP_XLSX_FULL=1) — given the same random sequence of workflow commands and of hand edits made
// with openpyxl (typed cells, rows moved, a log cell changed): every command must answer the same and leave the same
// workbook, and the file must still open in LibreOffice. Shortcuts that trust stale indexes or caches show up here.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY_SHEETS, REVIEW_DEPARTMENT_NAMES, projectsSheet, reviewLogSheet, type ReviewDepartment } from '../../core/index.js';
import { SAMPLE_PROJECTS } from '../../sync/src/demo/sample-data.js';
import { prng } from '../excel/random-registry.js';
import { coop, tempDir } from '../helpers/cli.js';
import { NO_SOFFICE_REASON, SOFFICE, convertWithLibreOffice } from '../helpers/libreoffice.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';
import { APPLICANT, SAMPLE_APPROVERS, SAMPLE_OFFICE, STRANGER, registryWith } from '../workflow/fixture.js';

const header = (sheet: typeof projectsSheet | typeof reviewLogSheet, key: string) => sheet.columns.find((c) => c.key === key)!.header;

/** Every registry sheet's values, row by row, read with openpyxl (not with the code under test). */
const DUMP = `
import sys, json, datetime, openpyxl
names = json.loads(sys.argv[1])
# Calc saves a checkbox as the formula FALSE()/TRUE(); the change-only path leaves cells it does not change as they are.
FOLD = {'=FALSE()': False, '=TRUE()': True}
def text(v):
    return v.isoformat() if isinstance(v, (datetime.datetime, datetime.date)) else FOLD.get(v, v) if isinstance(v, str) else v
def dump(path):
    wb = openpyxl.load_workbook(path)
    return {n: [[text(v) for v in row] for row in wb[n].iter_rows(values_only=True) if any(v is not None for v in row)] for n in names}
print(json.dumps([dump(path) for path in sys.argv[2:]], ensure_ascii=False))
`;

function contents(...paths: string[]): Record<string, unknown[][]>[] {
  return JSON.parse(runOpenpyxl(DUMP, [JSON.stringify(REGISTRY_SHEETS.map((s) => s.name)), ...paths])) as Record<string, unknown[][]>[];
}

/** One hand edit, run with openpyxl on a copy, as a person with another program would make it. */
const HAND_EDIT = `
import sys, openpyxl
path, kind, a, b, text = sys.argv[1:6]
wb = openpyxl.load_workbook(path)
ws = wb[a.split('!')[0]]
def col(name):
    for c in ws[1]:
        if c.value == name: return c.column
    raise SystemExit('no column ' + name)
if kind == 'type':
    sheet, row, column = a.split('!')
    ws.cell(row=int(row), column=col(column)).value = text
elif kind == 'swap':
    sheet, r1 = a.split('!')
    r2 = int(b)
    r1 = int(r1)
    for c in range(1, ws.max_column + 1):
        x, y = ws.cell(row=r1, column=c), ws.cell(row=r2, column=c)
        x.value, y.value = y.value, x.value
wb.save(path)
`;

describe.skipIf(!OPENPYXL_PYTHON)(
  `coop on the change-only path and on the whole-model path (${OPENPYXL_PYTHON ? 'openpyxl' : NO_OPENPYXL_REASON})`,
  { timeout: 600_000 },
  () => {
    it('answers and writes the same over random commands and hand edits, and LibreOffice opens the result', async () => {
      await differential(await registryWith(SAMPLE_PROJECTS.map((p) => ({ ...p }))).then((r) => r.path), 16, 50);
    });

    it.skipIf(!SOFFICE)('does the same on a registry LibreOffice saved', async () => {
      const { path } = await registryWith(SAMPLE_PROJECTS.map((p) => ({ ...p })));
      const saved = convertWithLibreOffice(path, 'xlsx', tempDir('coop-differential-calc-'));
      copyFileSync(path.replace(/\.xlsx$/, '.chain.json'), saved.replace(/\.xlsx$/, '.chain.json'));
      await differential(saved, 7, 26);
    });

    async function differential(seeded: string, seed: number, steps: number): Promise<void> {
      const root = tempDir('coop-differential-');
      // Same file name in both folders, so every message naming the registry reads the same.
      const paths = ['fast', 'full'].map((name) => {
        mkdirSync(join(root, name));
        const target = join(root, name, 'registry.xlsx');
        for (const suffix of ['.xlsx', '.chain.json', '.state.json']) {
          const from = seeded.replace(/\.xlsx$/, suffix);
          if (existsSync(from) && (name === 'fast' || suffix !== '.state.json')) copyFileSync(from, target.replace(/\.xlsx$/, suffix));
        }
        return target;
      }) as [string, string];
      const envs: Record<string, string>[] = [{}, { COOP_XLSX_FULL: '1' }];
      const ids = SAMPLE_PROJECTS.map((_, i) => `HZ2026-${String(i + 1).padStart(3, '0')}`);
      const random = prng(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const departments = REVIEW_DEPARTMENT_NAMES as readonly ReviewDepartment[];

      // Mostly the step a project's status allows (as people work), sometimes any step (refusals and 越权尝试 rows).
      const status = new Map(ids.map((id) => [id, '草稿']));
      const review = (id: string, extra: string[] = []) => {
        const d = pick(departments);
        return ['review', id, '--dept', d, ...extra, '--by', SAMPLE_APPROVERS[d]];
      };
      const meeting = (id: string) => {
        const body = pick(['校长办公会', '校长办公会', '党委会']);
        return ['meeting', id, '--body', body, '--decision', random() < 0.9 ? '通过' : '未通过', '--minutes', '纪要〔2026〕1号', '--by', SAMPLE_OFFICE];
      };
      const byStatus: Record<string, ((id: string) => string[])[]> = {
        草稿: [(id) => ['submit', id, '--by', APPLICANT]],
        待审查: [review, review, review, (id) => ['review', id, '--dept', pick(departments), '--by', STRANGER]],
        审查中: [review, review, review, (id) => review(id, ['--undo']), (id) => ['return', id, '--reason', '材料不全', '--by', SAMPLE_OFFICE]],
        待审议: [meeting, meeting, meeting, (id) => ['return', id, '--reason', '材料不全', '--by', SAMPLE_OFFICE]],
        已批准: [
          (id) => ['sign', id, '--date', '2026-11-24', '--by', SAMPLE_OFFICE],
          (id) => ['terminate', id, '--reason', '合作方停产', '--by', SAMPLE_OFFICE],
        ],
        已生效: [(id) => ['terminate', id, '--reason', '合作方停产', '--by', SAMPLE_OFFICE]],
      };
      const anyStep = Object.values(byStatus).flat();
      const nextCommand = (): string[] => {
        if (random() < 0.08)
          return ['partner', 'integrity', pick(['P0001', 'P0002', 'P0003']), pick(['良好', '一般']), '--reason', '年度复核', '--by', SAMPLE_OFFICE];
        const open = ids.filter((id) => byStatus[status.get(id)!]);
        const id = pick(open.length ? open : ids);
        return random() < 0.85 && byStatus[status.get(id)!] ? pick(byStatus[status.get(id)!]!)(id) : pick(anyStep)(id);
      };
      const projectRows = ids.length + 1;
      const handEdits: (() => string[])[] = [
        () => [
          'type',
          `${projectsSheet.name}!${2 + Math.floor(random() * ids.length)}!${header(projectsSheet, 'title')}`,
          '',
          `手改的项目名称 ${Math.floor(random() * 100)}`,
        ],
        () => [
          'type',
          `${projectsSheet.name}!${2 + Math.floor(random() * ids.length)}!${header(projectsSheet, 'status')}`,
          '',
          pick(['已批准', '已生效', '待审议']),
        ],
        () => {
          const a = 2 + Math.floor(random() * ids.length);
          const b = 2 + ((a - 2 + 1 + Math.floor(random() * (ids.length - 1))) % ids.length);
          return ['swap', `${projectsSheet.name}!${a}`, String(Math.min(b, projectRows)), ''];
        },
      ];

      let handEdited = 0;
      const [tamperAt, repairAt] = [Math.floor(steps * 0.72), Math.floor(steps * 0.72) + 4];
      for (let step = 0; step < steps; step++) {
        // A log cell changed by hand: both paths must refuse alike until `coop log repair`.
        const edit =
          step === tamperAt
            ? ['type', `${reviewLogSheet.name}!3!${header(reviewLogSheet, 'action')}`, '', '会议通过']
            : random() < 0.2
              ? pick(handEdits)()
              : null;
        if (edit) {
          if (process.env.DIFF_DEBUG) console.log(`step ${step}: hand edit`, edit.join(' '));
          for (const path of paths) runOpenpyxl(HAND_EDIT, [path, ...edit]);
          handEdited++;
        } else {
          const args = step === repairAt ? ['log', 'repair', '--reason', '已核实', '--by', SAMPLE_OFFICE] : nextCommand();
          const [fast, full] = paths.map((path, i) => coop([...args, '--registry', path], { env: envs[i] }));
          const label = `step ${step}: coop ${args.join(' ')}`;
          const clean = (text: string, path: string) => text.replaceAll(path, 'REGISTRY');
          if (process.env.DIFF_DEBUG) console.log(label, fast!.code, (fast!.stdout + fast!.stderr).split('\n').slice(0, 2).join(' / '));
          expect(fast!.code, label).toBe(full!.code);
          expect(clean(fast!.stdout, paths[0]), label).toBe(clean(full!.stdout, paths[1]));
          expect(clean(fast!.stderr, paths[0]), label).toBe(clean(full!.stderr, paths[1]));
          for (const [, id, to] of fast!.stdout.matchAll(/(HZ\d{4}-\d{3})「[^」]*」：\S+ → (\S+)/g)) status.set(id!, to!);
        }
        const [fast, full] = contents(...paths);
        expect(fast, `after step ${step}`).toEqual(full);
      }
      expect(handEdited).toBeGreaterThan(2);
      // The default path kept its state cache through the sequence (so later steps took the cached, change-only path).
      expect(existsSync(paths[0].replace(/\.xlsx$/, '.state.json'))).toBe(true);
      // The sequence made progress: some project left 草稿 on both paths.
      const log = contents(paths[0])[0]![reviewLogSheet.name]!;
      expect(log.length).toBeGreaterThan(8);

      const [validateFast, validateFull] = paths.map((path, i) => coop(['validate', '--registry', path], { env: envs[i] }));
      expect(validateFast!.code).toBe(validateFull!.code);
      expect(validateFast!.stdout.replaceAll(paths[0], 'R')).toBe(validateFull!.stdout.replaceAll(paths[1], 'R'));

      if (!SOFFICE) {
        console.warn(`[skip] LibreOffice check: ${NO_SOFFICE_REASON}`);
        return;
      }
      // Every sheet as CSV (the trailing -1): the projects' IDs come back from 合作项目.
      const out = tempDir('coop-differential-lo-');
      convertWithLibreOffice(paths[0], 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', out);
      const csv = readdirSync(out)
        .map((f) => readFileSync(join(out, f), 'utf8'))
        .join('\n');
      for (const id of ids) expect(csv).toContain(id);
    }
  },
);
