// Workflow figures: one `coop review` step on a large local registry (locked read, decide, atomic write), and replaying a long 审批记录.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultSettings, loggedStates, type ReviewDepartment } from '../core/index.js';
import { SAMPLE_APPLICANT, SAMPLE_APPROVERS, SAMPLE_PROJECTS } from '../sync/src/demo/sample-data.js';
import { addSampleRecords } from '../sync/src/ops/demo.js';
import { applyWorkflowEvent, applyWorkflowToData } from '../sync/src/ops/workflow.js';
import { XlsxRegistryStore } from '../sync/src/stores/xlsx-store.js';

const PROJECTS = 500;
const NOW = new Date('2026-11-24T02:00:00Z');

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'coop-bench-workflow-'));
  try {
    const path = join(dir, 'registry.xlsx');
    const store = new XlsxRegistryStore(path);
    await store.create(defaultSettings());
    let t = performance.now();
    await store.update((data) => {
      const projects = Array.from({ length: PROJECTS }, (_, i) => ({ ...SAMPLE_PROJECTS[i % 6]!, title: `项目 ${i}` }));
      const projectIds = addSampleRecords(data, projects, NOW);
      // Every project submitted and reviewed by six departments: 3,500 log rows.
      for (const id of projectIds) {
        applyWorkflowToData(data, [id], { type: 'submit' }, SAMPLE_APPLICANT, NOW);
        for (const d of Object.keys(SAMPLE_APPROVERS).slice(0, 6) as ReviewDepartment[]) {
          applyWorkflowToData(data, [id], { type: 'tick', department: d }, SAMPLE_APPROVERS[d], NOW);
        }
      }
      return { result: undefined, write: true };
    });
    console.log(`setup: ${PROJECTS} projects walked to 审查中 in memory and written: ${(performance.now() - t).toFixed(0)} ms`);

    const data = await store.read();
    t = performance.now();
    for (let i = 0; i < 20; i++) loggedStates(data.reviewLog.map((r) => r.cells) as never);
    console.log(`replay of ${data.reviewLog.length} 审批记录 rows (loggedStates): ${((performance.now() - t) / 20).toFixed(1)} ms`);

    const times: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const id = `HZ2026-${String(i).padStart(3, '0')}`;
      t = performance.now();
      await applyWorkflowEvent(store, id, { type: 'tick', department: '招就处' }, SAMPLE_APPROVERS['招就处'], NOW);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
      `one review step on that registry (locked read + decide + atomic write), 5 runs: median ${times[2]!.toFixed(0)} ms, max ${times[4]!.toFixed(0)} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
