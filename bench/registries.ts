// The benches' large registries (issue 16: 10,000 and 50,000 projects with realistic logs), made with the project's own
// generators — the demo's staff, partners and projects (`addRecords`) walked through 第十五条 by the
// workflow op — and written by the store itself, a few thousand projects per locked step, change-only: the file grows
// the way a real registry does and never passes through exceljs's whole model (which would take minutes and gigabytes
// at 50,000). Generated once per generator version and size into bench/.cache (gitignored) and copied from there.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultSettings, schoolDate, type ReviewDepartment } from '../core/index.js';
import { SAMPLE_APPLICANT, SAMPLE_APPROVERS, SAMPLE_OFFICE, SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../sync/src/demo/sample-data.js';
import { addRecords } from '../sync/src/ops/records.js';
import { applyWorkflowToData, type WorkflowRequest } from '../sync/src/ops/workflow.js';
import { backupPath } from '../sync/src/stores/atomic-file.js';
import { anchorPath } from '../sync/src/stores/chain-anchor.js';
import { STATE_CACHE_VERSION, statePath } from '../sync/src/stores/state-cache.js';
import { XlsxRegistryStore } from '../sync/src/stores/xlsx-store.js';

/** Bump when the generated registries change (2: the state cache records 结束日期 per project): other versions are never used. */
export const GENERATOR_VERSION = 2;
/** The instant every generated step is dated (the benches act "now" on the same day). */
export const BENCH_NOW = new Date('2026-11-24T02:00:00Z');
/**
 * The first projects stay awaiting 招就处's review (every other department has ticked): the benches' ticks act on
 * them (HZ2026-001 …), on every size alike.
 */
export const OPEN_PROJECTS = 64;
/** Projects per locked step while generating: bounds the generator's memory (the rows of one chunk) at any size. */
const CHUNK = 5000;

const DEPARTMENTS = Object.keys(SAMPLE_APPROVERS) as ReviewDepartment[];
const WAITING: ReviewDepartment = '招就处';
type Step = [actor: string, request: WorkflowRequest];
const submit: Step = [SAMPLE_APPLICANT, { type: 'submit' }];
const tick = (d: ReviewDepartment): Step => [SAMPLE_APPROVERS[d], { type: 'tick', department: d }];

/**
 * What happens to project `i` (0-based): the open ones wait for 招就处; of the others, most are reviewed by all seven
 * departments, approved by 校长办公会 and 党委会 and signed (11 审批记录 rows), a quarter of those returned once by 计财处
 * and resubmitted first (+3 rows), one in twenty is still in review and one in twenty waits for 党委会 — about 11.5 rows
 * a project, the "dozen per project" of a registry that has run for years. A project whose term has already ended
 * (a sample project's dates) is approved but not signed, as the office would not sign it. Meetings approve a thousand
 * projects at a time.
 */
function plan(i: number): Step[] {
  const today = schoolDate(BENCH_NOW);
  const reviews = DEPARTMENTS.map(tick);
  if (i < OPEN_PROJECTS) return [submit, ...reviews.filter(([, r]) => r.type === 'tick' && r.department !== WAITING)];
  if (i % 20 === 1) return [submit, ...reviews.slice(0, 3)];
  const returned: Step[] =
    i % 4 === 2 ? [submit, tick('教务处'), [SAMPLE_APPROVERS['计财处'], { type: 'return', reason: '经费预算未列明细，请补充测算' }]] : [];
  const approved: Step[] = [
    ...returned,
    submit,
    ...reviews,
    [SAMPLE_OFFICE, { type: 'meeting', body: '校长办公会', decision: '通过', minutes: `校办〔2026〕${Math.floor(i / 1000) + 1}号` }],
  ];
  if (i % 20 === 2) return approved;
  const party: Step = [SAMPLE_OFFICE, { type: 'meeting', body: '党委会', decision: '通过', minutes: `党委〔2026〕${Math.floor(i / 1000) + 1}号` }];
  const ended = (SAMPLE_PROJECTS[i % 6]!.endDate ?? today) < today;
  return ended ? [...approved, party] : [...approved, party, [SAMPLE_OFFICE, { type: 'sign', date: today }]];
}

/** Writes a registry of `projects` projects (see plan) at `path`, which must not exist. */
export async function generateRegistry(path: string, projects: number): Promise<void> {
  const store = new XlsxRegistryStore(path);
  // Created with the demo's staff (addSampleRecords's): the steps below then keep 设置 and the dropdowns as they are,
  // so they write change-only.
  const settings = defaultSettings();
  for (const [department, email] of Object.entries(SAMPLE_APPROVERS)) settings.approvers[department as ReviewDepartment] = [email];
  settings.officeStaff = [SAMPLE_OFFICE];
  await store.create(settings);
  for (let from = 0; from < projects; from += CHUNK) {
    const count = Math.min(CHUNK, projects - from);
    await store.update((data) => {
      const rows = Array.from({ length: count }, (_, k) => ({ ...SAMPLE_PROJECTS[(from + k) % 6]!, title: `项目 ${from + k}` }));
      // The first step adds the demo's partners; later ones add projects to them.
      const ids = addRecords(data, from === 0 ? SAMPLE_PARTNERS : [], rows, BENCH_NOW).projectIds;
      const plans = ids.map((_, k) => plan(from + k));
      // Step by step over all projects of the chunk, one workflow call per distinct (actor, event): the log is
      // verified and the rows derived once per call, not once per project.
      for (let s = 0; plans.some((p) => s < p.length); s++) {
        const groups = new Map<string, { step: Step; ids: string[] }>();
        plans.forEach((p, k) => {
          const step = p[s];
          if (!step) return;
          const key = JSON.stringify(step);
          const group = groups.get(key) ?? groups.set(key, { step, ids: [] }).get(key)!;
          group.ids.push(ids[k]!);
        });
        for (const { step, ids: batch } of groups.values()) {
          const outcome = applyWorkflowToData(data, batch, step[1], step[0], BENCH_NOW);
          if (!outcome.ok)
            throw new Error(`bench registry: ${outcome.refusals[0]?.projectId} ${outcome.refusals[0]?.message}${outcome.refusals[0]?.reasons.join('；')}`);
        }
      }
      return { result: undefined, write: true };
    });
    if (store.lastWrite !== 'patch') throw new Error(`bench registry: step ${from} was written ${store.lastWrite}, not change-only`);
  }
}

/** The files a registry is made of: the workbook, its state cache and its chain anchor. */
function registryFiles(path: string): string[] {
  return [path, statePath(path), anchorPath(path)];
}

/** Copies a registry with its state cache and chain anchor (whichever exist). */
export function copyRegistry(from: string, to: string): void {
  const targets = registryFiles(to);
  registryFiles(from).forEach((file, i) => {
    if (existsSync(file)) copyFileSync(file, targets[i]!);
  });
}

const CACHE = new URL('./.cache/', import.meta.url).pathname;

/**
 * What every process that opens the large registries needs: coop refuses registries over 16 MiB (sync/src/io/limits.ts;
 * the 50,000-project one is ~65 MiB), and the benches measure past that limit on purpose.
 */
export const LARGE_REGISTRY_ENV = { COOP_REGISTRY_MAX_BYTES: String(2 ** 30) };

/**
 * A copy at `path` of the generated registry of `projects` projects: generated into bench/.cache the first time (that
 * run prints how long it took), copied from there afterwards. BENCH_REGENERATE=1 generates it again.
 */
export async function benchRegistry(path: string, projects: number): Promise<{ generatedMs?: number }> {
  // Keyed by the state cache's format too: a registry whose cache the store would miss is no steady state to tick on.
  const cached = join(CACHE, `registry-v${GENERATOR_VERSION}-s${STATE_CACHE_VERSION}-${projects}.xlsx`);
  let generatedMs: number | undefined;
  if (!existsSync(cached) || process.env.BENCH_REGENERATE === '1') {
    mkdirSync(CACHE, { recursive: true });
    // Generated under a temporary name and renamed: an interrupted run leaves no half-made registry in the cache.
    const partial = join(CACHE, `partial-${process.pid}-${projects}.xlsx`);
    for (const file of registryFiles(partial)) rmSync(file, { force: true });
    const start = performance.now();
    // In a process of its own: the size limit is read when the store's modules load, and the generator's memory is
    // not left in the bench's process.
    const child = spawnSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, partial, String(projects)], {
      stdio: 'inherit',
      env: { ...process.env, ...LARGE_REGISTRY_ENV },
    });
    if (child.status !== 0) throw new Error(`bench registry of ${projects} projects: generator exited with ${child.status}`);
    generatedMs = performance.now() - start;
    // The workbook last: a cache holding it holds its state cache and anchor too.
    const [workbook, ...rest] = registryFiles(partial);
    const [target, ...restTargets] = registryFiles(cached);
    rest.forEach((file, i) => existsSync(file) && renameSync(file, restTargets[i]!));
    renameSync(workbook!, target!);
    // The store's backups of the generator's steps.
    for (const file of [backupPath(partial), backupPath(anchorPath(partial))]) rmSync(file, { force: true });
  }
  copyRegistry(cached, path);
  return generatedMs === undefined ? {} : { generatedMs };
}

// `node --import tsx bench/registries.ts PATH PROJECTS`: what benchRegistry runs.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await generateRegistry(process.argv[2]!, Number(process.argv[3]));
