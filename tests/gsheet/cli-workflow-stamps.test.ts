// Workflow commands on the shared sheet leave what the sheet's own edit trigger would: API writes fire no
// triggers, so the CLI writes the review stamp beside each logged tick (the sheet's 校验全部 reads stamps as logged ticks).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewStampNote } from '../../core/index.js';
import { SAMPLE_APPLICANT, SAMPLE_APPROVERS } from '../../sync/src/demo/sample-data.js';
import { seedDemoRegistry } from '../../sync/src/ops/demo.js';
import { coopAsync, tempDir } from '../helpers/cli.js';
import { startHarness, type Harness } from '../google/harness.js';
import { seedSpreadsheet } from '../google/registry-seed.js';

let h: Harness;
let id: string;
beforeAll(async () => {
  h = await startHarness();
  const xlsx = join(tempDir('coop-stamps-'), 'registry.xlsx');
  await seedDemoRegistry(xlsx, new Date('2026-11-24T02:00:00Z'));
  // seedSpreadsheet inserts an office column 「自建备注」 as column C of 合作项目: stamps must follow the headers.
  id = await seedSpreadsheet(h.emulator, xlsx);
});
afterAll(async () => h.emulator.stop());

const run = (args: string[]) => coopAsync([...args, '--registry', `gsheet:${id}`], { env: h.env });

function cellNote(header: string, projectId: string): string {
  const values = h.emulator.sheetValues(id, '合作项目');
  const col = values[0]!.indexOf(header);
  const row = values.findIndex((r) => r.includes(projectId));
  expect(col).toBeGreaterThan(-1);
  expect(row).toBeGreaterThan(0);
  return h.emulator.noteAt(id, '合作项目', row, col);
}

describe('review stamps on the shared sheet', () => {
  it('a logged tick gets the stamp the edit trigger writes; undoing it clears the stamp', async () => {
    expect((await run(['submit', 'HZ2026-001', '--by', SAMPLE_APPLICANT])).code).toBe(0);
    const tick = await run(['review', 'HZ2026-001', '--dept', '教务处', '--by', SAMPLE_APPROVERS['教务处']]);
    expect(tick.code, tick.stderr).toBe(0);
    expect(cellNote('教务处', 'HZ2026-001')).toBe(reviewStampNote('教务处', SAMPLE_APPROVERS['教务处'], '2026-11-24 10:00:00'));
    expect(cellNote('计财处', 'HZ2026-001')).toBe('');

    const undo = await run(['review', 'HZ2026-001', '--dept', '教务处', '--undo', '--by', SAMPLE_APPROVERS['教务处']]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(cellNote('教务处', 'HZ2026-001')).toBe('');
  });

  it('a refused tick writes no stamp', async () => {
    const r = await run(['review', 'HZ2026-001', '--dept', '国资处', '--by', 'visitor@example.com']);
    expect(r.code).toBe(1);
    expect(cellNote('国资处', 'HZ2026-001')).toBe('');
  });
});
