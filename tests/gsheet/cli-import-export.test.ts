// coop form, import and export on the shared sheet: an archive of the local demo registry imported into an empty
// shared registry, then exported again; each command a constant handful of Sheets requests.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coop, coopAsync, tempDir } from '../helpers/cli.js';
import { startHarness, type Harness } from '../google/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.emulator.stop());

const apiCounts = () => Object.fromEntries(Object.entries(h.emulator.counts()).filter(([e]) => e !== 'oauth.token'));

describe('import and export on the shared sheet', () => {
  it('an archive imported into a fresh shared registry gives what the same import gives locally; export and form read it once', async () => {
    const dir = tempDir();
    expect(coop(['demo', '--dir', join(dir, 'demo')]).code).toBe(0);
    const local = join(dir, 'demo', 'registry.xlsx');
    const archive = join(dir, 'archive.xlsx');
    expect(coop(['export', '--registry', local, '--out', archive]).code).toBe(0);

    // The same import into a fresh local registry and into a fresh shared one: same verdicts, same registry after.
    const fresh = join(dir, 'fresh.xlsx');
    expect(coop(['init', '--registry', fresh]).code).toBe(0);
    const intoLocal = coop(['import', archive, '--registry', fresh], { cwd: dir });
    const id = h.emulator.addSpreadsheet([]);
    const env = h.env;
    expect((await coopAsync(['google', 'setup', '--spreadsheet', id], { env })).code).toBe(0);
    h.emulator.resetLog();
    const imported = await coopAsync(['import', archive, '--registry', `gsheet:${id}`], { env, cwd: dir });
    expect(imported.code, imported.stdout + imported.stderr).toBe(intoLocal.code);
    expect(imported.stdout.replaceAll(`gsheet:${id}`, fresh)).toBe(intoLocal.stdout);
    expect(apiCounts()['sheets.spreadsheets.batchUpdate']).toBe(1);
    expect(h.emulator.apiRequests()).toBeLessThanOrEqual(5);
    const localStatus = JSON.parse(coop(['status', '--json', '--registry', fresh]).stdout);
    const sharedStatus = JSON.parse((await coopAsync(['status', '--json', '--registry', `gsheet:${id}`], { env })).stdout);
    expect(sharedStatus).toEqual(localStatus);
    expect(sharedStatus.total).toBeGreaterThan(0);

    h.emulator.resetLog();
    const out = join(dir, 'shared-archive.xlsx');
    const exported = await coopAsync(['export', '--registry', `gsheet:${id}`, '--out', out], { env });
    expect(exported.code, exported.stderr).toBe(0);
    expect(apiCounts()).toEqual({ 'sheets.values.batchGet': 1 });

    h.emulator.resetLog();
    const form = await coopAsync(['form', '--out', join(dir, 'form.xlsx'), '--registry', `gsheet:${id}`], { env });
    expect(form.code, form.stderr).toBe(0);
    expect(apiCounts()).toEqual({ 'sheets.values.batchGet': 1 });
  });
});
