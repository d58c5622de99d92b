// The built CLI end to end on the shared sheet: coop google setup, validate, status and config, through the
// real client against the emulator (COOP_GOOGLE_API_ROOT, a service-account key), requests counted.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialFromDate } from '../../sync/src/gsheet/cells.js';
import { GsheetRegistryStore } from '../../sync/src/stores/gsheet-store.js';
import { coopAsync, tempDir } from '../helpers/cli.js';
import { startHarness, type Harness } from '../google/harness.js';
import { fill } from './fixture.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.emulator.stop());

const run = (args: string[], cwd?: string) => coopAsync(args, { env: h.env, ...(cwd ? { cwd } : {}) });

describe('coop on the shared sheet', () => {
  it('google setup lays out an empty spreadsheet, and a second run changes nothing', async () => {
    const id = h.emulator.addSpreadsheet([]);
    h.emulator.resetLog();
    const first = await run(['google', 'setup', '--spreadsheet', id]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('新增工作表：合作单位、合作项目、审批记录、年度评价、成果登记、设置');
    const { 'oauth.token': _t, ...firstCounts } = h.emulator.counts();
    expect(firstCounts).toEqual({ 'sheets.spreadsheets.get': 1, 'drive.files.get': 1, 'sheets.spreadsheets.batchUpdate': 1, 'sheets.values.batchUpdate': 1 });
    const snapshot = JSON.stringify(h.emulator.spreadsheets.get(id));
    h.emulator.resetLog();
    const second = await run(['google', 'setup', '--spreadsheet', id]);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('新增');
    expect(second.stdout).toContain('新建 0 个');
    expect(second.stdout).toContain('本次没有写入任何改动');
    expect(first.stdout).not.toContain('本次没有写入任何改动');
    expect(JSON.stringify(h.emulator.spreadsheets.get(id))).toBe(snapshot);
    const { 'oauth.token': _u, ...secondCounts } = h.emulator.counts();
    // The owner from Drive, so Google listing them on every protection is no difference to mend; formats, notes and
    // validations read back (the second spreadsheets.get), so a laid-out registry gets no write request at all.
    expect(secondCounts).toEqual({ 'sheets.spreadsheets.get': 2, 'drive.files.get': 1, 'sheets.values.batchGet': 1 });
    // validate on the fresh registry: one read, no problems.
    h.emulator.resetLog();
    const ok = await run(['validate', '--registry', `gsheet:${id}`]);
    expect(ok.stdout).toContain('未发现问题');
    expect(ok.code).toBe(0);
    expect(h.emulator.apiRequests()).toBe(1);
  });

  it('validate names sheet, row, column and rule of a broken cell; status counts; both read once', async () => {
    const id = h.emulator.addSpreadsheet([]);
    await run(['google', 'setup', '--spreadsheet', id]);
    await fill(new GsheetRegistryStore(id, h.clients), 3);
    const partners = h.emulator.sheetValues(id, '合作单位');
    partners[2]![partners[0]!.indexOf('统一社会信用代码')] = '91441200MA51B7CD67';
    h.emulator.resetLog();
    const bad = await run(['validate', '--registry', `gsheet:${id}`]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`文件 gsheet:${id} · 工作表「合作单位」 · 第 3 行 · 列「统一社会信用代码」 · 规则「统一社会信用代码」`);
    expect(h.emulator.counts()['sheets.values.batchGet']).toBe(1);
    expect(h.emulator.apiRequests()).toBe(1);

    const dir = tempDir();
    writeFileSync(join(dir, 'coop.config.json'), JSON.stringify({ registry: `gsheet:${id}` }));
    h.emulator.resetLog();
    const status = await run(['status', '--json'], dir);
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout).total).toBe(3);
    expect(h.emulator.apiRequests()).toBe(1);
  });

  it('xlsx-only commands say so for the shared sheet; a bad spreadsheet location is a usage error', async () => {
    const init = await run(['init', '--registry', 'gsheet:abc']);
    expect(init.code).toBe(2);
    expect(init.stderr).toContain('coop init 只适用于本地 .xlsx 登记表；共享 Google 表格请用 coop google setup');
    const bad = await run(['validate', '--registry', 'gsheet:not/an/id']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('共享登记表的写法应为 gsheet:表格ID');
    const missing = await run(['validate', '--registry', 'gsheet:doesnotexist']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('找不到共享登记表 gsheet:doesnotexist');
    expect(missing.stderr + missing.stdout).not.toContain(h.privateKey.slice(40, 80));
  });

  it.each(['Pacific/Kiritimati', 'America/Los_Angeles'])('dates keep their day both ways in TZ=%s', async (tz) => {
    const id = h.emulator.addSpreadsheet([]);
    await run(['google', 'setup', '--spreadsheet', id]);
    const store = new GsheetRegistryStore(id, h.clients);
    await fill(store, 1);
    const expected = (await store.read()).projects.map((p) => [p.cells.startDate, p.cells.endDate]);
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/gsheet/tz-probe.ts', id], { env: { ...process.env, ...h.env, TZ: tz } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? -1)));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(expected);
    const values = h.emulator.sheetValues(id, '合作项目');
    expect(values[1]![values[0]!.indexOf('结束日期')]).toBe(serialFromDate('2027-02-28'));
  });
});
