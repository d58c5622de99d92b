// Local agreements per second: 100 approved projects filled from the Word templates (docxtemplater), written and recorded in the registry.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendLogEntries, readSettings, schoolDate, deriveColumns, writeSettings } from '../core/index.js';
import { generateAgreements } from '../sync/src/agreements/generate.js';
import { defaultTemplatesDir } from '../sync/src/agreements/paths.js';
import { DocxRenderer } from '../sync/src/agreements/renderers/docx.js';
import { SAMPLE_PARTNERS, SAMPLE_PROJECTS } from '../sync/src/demo/sample-data.js';
import { addRecords } from '../sync/src/ops/records.js';
import { createRegistry } from '../sync/src/ops/registry-ops.js';
import { XlsxRegistryStore } from '../sync/src/stores/xlsx-store.js';

const PROJECTS = 100;

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'coop-bench-agreements-'));
  const now = new Date('2026-11-24T02:00:00Z');
  try {
    const registry = join(dir, 'registry.xlsx');
    await createRegistry(registry);
    const store = new XlsxRegistryStore(registry);
    await store.update((data) => {
      writeSettings(data, readSettings(data).settings);
      const projects = Array.from({ length: PROJECTS }, (_, i) => {
        const p = SAMPLE_PROJECTS[i % SAMPLE_PROJECTS.length]!;
        return { ...p, title: `${p.title}（${i + 1}）` };
      });
      addRecords(data, SAMPLE_PARTNERS, projects, now);
      deriveColumns(data, schoolDate(now));
      // Approved as 审批记录 records it: only the log vouches for a status.
      for (const p of data.projects) {
        p.cells.status = '已批准';
        appendLogEntries(data.reviewLog, [
          {
            time: '2026-11-20 10:00:00',
            projectId: String(p.cells.projectId),
            body: '党委会',
            actor: 'hezuo@zqlg.example.edu.cn',
            action: '会议通过',
            fromStatus: '待审议',
            toStatus: '已批准',
            remark: null,
            operator: null,
            signature: null,
            hash: null,
          },
        ]);
      }
      return { result: undefined, write: true };
    });
    const renderer = new DocxRenderer({ templatesDir: defaultTemplatesDir(), outDir: join(dir, '协议'), baseDir: dir, pdf: false });
    const started = performance.now();
    const result = await generateAgreements(store, renderer, { projectIds: [], allApproved: true }, now);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `local agreements (.docx, incl. registry read + write-back): ${result.generated.length} in ${seconds.toFixed(2)} s = ${(result.generated.length / seconds).toFixed(1)} agreements/s`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
