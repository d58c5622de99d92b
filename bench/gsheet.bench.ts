// Sheets API requests and request payload bytes per command on the shared registry, for 10 and 5,000 projects:
// the counts must not grow with the rows, and the bytes only with what changes.
import { performance } from 'node:perf_hooks';
import { setupSpreadsheet } from '../sync/src/ops/google-setup.js';
import { registrySummary, validateStore } from '../sync/src/ops/registry-ops.js';
import { addRecords } from '../sync/src/ops/records.js';
import { GsheetRegistryStore } from '../sync/src/stores/gsheet-store.js';
import { NOW, projects } from '../tests/gsheet/fixture.js';
import { SAMPLE_APPLICANT, SAMPLE_APPROVERS, SAMPLE_PARTNERS } from '../sync/src/demo/sample-data.js';
import { applyWorkflowEvent } from '../sync/src/ops/workflow.js';
import { readSettings, writeSettings, REVIEW_DEPARTMENT_NAMES } from '../core/index.js';
import { startHarness } from '../tests/google/harness.js';

export default async function bench(): Promise<void> {
  const h = await startHarness();
  try {
    for (const n of [10, 5000]) {
      const id = h.emulator.addSpreadsheet([]);
      const store = new GsheetRegistryStore(id, h.clients);
      // Each CLI command runs in its own process with a store of its own (no sheet IDs cached from before).
      const cli = () => new GsheetRegistryStore(id, h.clients);
      const measure = async (label: string, work: () => Promise<unknown>) => {
        h.emulator.resetLog();
        const t = performance.now();
        await work();
        const ms = performance.now() - t;
        const counts = Object.entries(h.emulator.counts())
          .filter(([e]) => e !== 'oauth.token')
          .map(([e, c]) => `${e.replace('sheets.', '')} ${c}`)
          .join(', ');
        const kb = (h.emulator.payloadBytes() / 1024).toFixed(1);
        console.log(
          `${String(n).padStart(5)} projects · ${label.padEnd(34)} ${String(h.emulator.apiRequests()).padStart(2)} requests, ${kb.padStart(8)} KB sent (${counts})  ${ms.toFixed(0)} ms`,
        );
      };
      await measure('google setup (empty sheet)', () => setupSpreadsheet(id, h.clients));
      // Approvers in 设置, so the tick below is a real review.
      await store.update((data) => {
        const { settings } = readSettings(data);
        for (const d of REVIEW_DEPARTMENT_NAMES) settings.approvers[d] = [SAMPLE_APPROVERS[d]];
        writeSettings(data, settings);
        return { result: undefined, write: true };
      });
      await measure('import (append all rows)', () => cli().update((data) => ({ result: addRecords(data, SAMPLE_PARTNERS, projects(n), NOW), write: true })));
      // What the import's bytes are: the new cells' own values, the CellData wrapping each, blanks kept as `{}`.
      const imported = h.emulator.log.find((r) => r.endpoint === 'sheets.spreadsheets.batchUpdate')!;
      let valueBytes = 0;
      let cells = 0;
      let blanks = 0;
      for (const r of (imported.body as { requests: { appendCells?: { rows: { values: { userEnteredValue?: object; note?: string }[] }[] } }[] }).requests)
        for (const row of r.appendCells?.rows ?? [])
          for (const cell of row.values) {
            cells++;
            if (!cell.userEnteredValue) blanks++;
            else valueBytes += Buffer.byteLength(String(Object.values(cell.userEnteredValue)[0]));
            if (cell.note) valueBytes += Buffer.byteLength(cell.note);
          }
      console.log(
        `${String(n).padStart(5)} projects · import payload: ${(imported.bytes / 1024).toFixed(1)} KB for ${cells} new cells (${blanks} blank) = ` +
          `${(valueBytes / 1024).toFixed(1)} KB of values and notes + ${((imported.bytes - valueBytes) / 1024).toFixed(1)} KB of request structure ` +
          `(${((imported.bytes - valueBytes) / cells).toFixed(1)} bytes per cell)`,
      );
      await measure('read (export reads this)', () => cli().read());
      await measure('validate', () => validateStore(cli()));
      await measure('status', () => registrySummary(cli(), NOW));
      await measure('edit one row (a workflow step)', () =>
        cli().update((data) => {
          data.projects[data.projects.length - 1]!.cells.leader = '新负责人';
          return { result: undefined, write: true };
        }),
      );
      await measure('submit one project (log append)', () => applyWorkflowEvent(cli(), 'HZ2026-001', { type: 'submit' }, SAMPLE_APPLICANT, NOW));
      await measure('review tick (stamp + log append)', () =>
        applyWorkflowEvent(cli(), 'HZ2026-001', { type: 'tick', department: '教务处' }, SAMPLE_APPROVERS['教务处'], NOW),
      );
      // The race left: between the check read's answer and the write's arrival a row moved by someone else is missed.
      const log = h.emulator.log;
      const last = (endpoint: string, before = log.length) => [...log.slice(0, before)].reverse().find((r) => r.endpoint === endpoint)!;
      const write = last('sheets.spreadsheets.batchUpdate');
      const check = last('sheets.values.batchGet', log.indexOf(write));
      console.log(
        `${String(n).padStart(5)} projects · remaining race window of the tick (check read answered → write arrived, loopback): ${(write.arrivedAt! - check.answeredAt!).toFixed(1)} ms`,
      );
      await measure('google setup (设置 changed since)', () => setupSpreadsheet(id, h.clients));
      await measure('google setup (nothing to change)', () => setupSpreadsheet(id, h.clients));
    }
  } finally {
    await h.emulator.stop();
  }
}
