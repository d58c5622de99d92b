// coop google setup on a registry in use: approvers filled in 设置 reach the protections; data, user columns and moved columns stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVIEW_DEPARTMENT_NAMES } from '../../core/index.js';
import { SAMPLE_APPROVERS, SAMPLE_OFFICE } from '../../sync/src/demo/sample-data.js';
import { setupSpreadsheet } from '../../sync/src/ops/google-setup.js';
import { SPREADSHEET_OWNER } from '../google/emulator.js';
import { startHarness, type Harness } from '../google/harness.js';
import { fill, setUpRegistry } from './fixture.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.emulator.stop());

describe('google setup on a registry in use', () => {
  it('puts 设置 approvers and office staff on the protections, keeps data and user columns, and then settles', async () => {
    const { id, store } = await setUpRegistry(h);
    await fill(store, 3);
    const projects = h.emulator.sheetValues(id, '合作项目');
    for (const row of projects) row.push(row === projects[0] ? '办公室备注' : '自填');
    const before = JSON.stringify(h.emulator.spreadsheets.get(id)!.map((s) => s.values));
    const result = await setupSpreadsheet(id, h.clients);
    expect(result.addedSheets).toEqual([]);
    expect(result.addedHeaders).toEqual([]);
    expect(JSON.stringify(h.emulator.spreadsheets.get(id)!.map((s) => s.values))).toBe(before);
    const sheet = h.emulator.spreadsheets.get(id)!.find((s) => s.title === '合作项目')!;
    // Google adds the owner to every protection's editors; the setup asks only for 设置's people.
    const asked = (users: string[]) => users.filter((u) => u !== SPREADSHEET_OWNER).sort();
    const byDescription = new Map(sheet.protectedRanges!.map((p) => [p.description as string, asked(p.editors.users as string[])]));
    for (const d of REVIEW_DEPARTMENT_NAMES) expect(byDescription.get(`coop：合作项目·${d}`)).toEqual([SAMPLE_APPROVERS[d], SAMPLE_OFFICE].sort());
    expect(byDescription.get('coop：合作项目·状态')).toEqual([SAMPLE_OFFICE]);
    const log = h.emulator.spreadsheets.get(id)!.find((s) => s.title === '审批记录')!;
    expect(log.protectedRanges!.map((p) => asked(p.editors.users))).toContainEqual([SAMPLE_OFFICE]);
    // Editors that are already right are left alone, the owner Google lists on each notwithstanding.
    h.emulator.resetLog();
    expect((await setupSpreadsheet(id, h.clients)).protectionsAdded).toBe(0);
    // Nothing else is rewritten either: a registry already laid out gets no write request at all.
    expect(h.emulator.log.filter((r) => r.endpoint === 'sheets.spreadsheets.batchUpdate' || r.endpoint === 'sheets.values.batchUpdate')).toEqual([]);
  });
});
