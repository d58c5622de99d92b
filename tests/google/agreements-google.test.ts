// `coop agreement` on the shared sheet: Google Docs from the template Docs recorded in 设置, filled with the same
// core field map as the Word files, links written back; a template the fields cannot fill leaves nothing behind.
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendLogEntries, writeTemplateIds } from '../../core/index.js';
import { seedDemoRegistry } from '../../sync/src/ops/demo.js';
import { GsheetRegistryStore } from '../../sync/src/stores/gsheet-store.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coopAsync, tempDir } from '../helpers/cli.js';
import { startHarness, type Harness } from './harness.js';
import { seedSpreadsheet } from './registry-seed.js';

const OFFICE = 'hezuo@zqlg.example.edu.cn';

describe('coop agreement on the shared sheet (Google Docs)', () => {
  let xlsx: string;
  let h: Harness;
  let spreadsheet: string;
  let folder: string;
  let orderTemplate: string;

  beforeAll(async () => {
    // The demo's sample registry, with the first two projects approved as 审批记录 records it.
    xlsx = join(tempDir('coop-gagr-'), 'registry.xlsx');
    await seedDemoRegistry(xlsx, new Date('2026-11-24T02:00:00Z'));
    await new XlsxRegistryStore(xlsx).update((data) => {
      for (const row of data.projects.slice(0, 2)) {
        row.cells.status = '已批准';
        appendLogEntries(data.reviewLog, [
          {
            time: '2026-11-20 10:00:00',
            projectId: String(row.cells.projectId),
            body: '党委会',
            actor: OFFICE,
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
  });

  beforeEach(async () => {
    h = await startHarness();
    spreadsheet = await seedSpreadsheet(h.emulator, xlsx);
    folder = h.emulator.addFolder('协议');
    const general = h.emulator.addDoc('协议模板-通用', [
      '合作协议 {{协议编号}}',
      '甲方：{{学校名称}}',
      '乙方：{{合作单位名称}}（{{统一社会信用代码}}）',
      '项目：{{项目名称}}，{{合作期限}}',
      '{{知识产权条款}}',
    ]);
    orderTemplate = h.emulator.addDoc('协议模板-订单式人才培养', [
      '订单班协议 {{协议编号}}',
      '乙方：{{合作单位名称}}',
      '项目：{{项目名称}}',
      '经费：{{预计收入大写}}',
    ]);
    await new GsheetRegistryStore(spreadsheet, h.clients).update((data) => {
      writeTemplateIds(data, { 通用: general, 订单式人才培养: orderTemplate });
      return { result: undefined, write: true };
    });
  });
  afterEach(() => h.emulator.stop());

  it('fills one Doc per approved project from its category template and records the links', async () => {
    h.emulator.resetLog();
    const r = await coopAsync(['agreement', '--all-approved', '--registry', `gsheet:${spreadsheet}`, '--folder', folder], { env: h.env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const docs = h.emulator.liveFiles(folder);
    expect(docs.map((d) => d.name).sort()).toEqual([
      'ZQLG-HZ-2026-001_肇庆星湖数控机械有限公司_数控技术应用专业“星湖班”订单式人才培养',
      'ZQLG-HZ-2026-002_广东鼎力汽车服务有限公司_汽车运用与维修专业校外实践教学基地共建',
    ]);
    const order = h.emulator.docText(docs.find((d) => d.name.startsWith('ZQLG-HZ-2026-001'))!.id);
    expect(order).toContain('订单班协议 ZQLG-HZ-2026-001');
    expect(order).toContain('经费：壹拾贰万元整');
    const general = h.emulator.docText(docs.find((d) => d.name.startsWith('ZQLG-HZ-2026-002'))!.id);
    expect(general).toContain('乙方：广东鼎力汽车服务有限公司（91441200MA51B7CD66）');
    for (const d of docs) expect(h.emulator.docText(d.id)).not.toContain('{{');

    const counts = h.emulator.counts();
    expect(counts).toMatchObject({ 'drive.files.copy': 2, 'docs.documents.batchUpdate': 2, 'sheets.spreadsheets.batchUpdate': 1 });
    expect(counts['docs.documents.get']).toBe(2); // each template read once, before the first copy

    const projects = (await new GsheetRegistryStore(spreadsheet, h.clients).read()).projects;
    for (const p of projects.slice(0, 2)) {
      expect(String(p.cells.agreementLink)).toMatch(/document\/d\//);
      expect(p.cells.agreementNo).toMatch(/^ZQLG-HZ-2026-00[12]$/);
    }
    // A re-run skips what exists.
    const again = await coopAsync(['agreement', '--all-approved', '--registry', `gsheet:${spreadsheet}`, '--folder', folder], { env: h.env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('跳过 2 项');
    expect(h.emulator.liveFiles(folder)).toHaveLength(2);
  });

  it('someone editing the project while the links are recorded re-runs the recording only: one Doc per project', async () => {
    let rendered = false;
    let edited = false;
    const editLeader = (leader: string) => {
      const rows = h.emulator.sheetValues(spreadsheet, '合作项目');
      const row = rows.find((r) => r.includes('HZ2026-001'))!;
      row[rows[0]!.indexOf('项目负责人')] = leader;
    };
    h.emulator.onApplied = (endpoint) => {
      // An edit while the Docs are filled, and another right after the recording's read, before its check.
      if (endpoint === 'docs.documents.batchUpdate' && !rendered) {
        rendered = true;
        editLeader('同事先改的负责人');
      }
      if (endpoint === 'sheets.values.batchGet' && rendered && !edited) {
        edited = true;
        editLeader('同事刚改的负责人');
      }
    };
    h.emulator.resetLog();
    const r = await coopAsync(['agreement', '--all-approved', '--registry', `gsheet:${spreadsheet}`, '--folder', folder], { env: h.env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(edited).toBe(true);
    expect(h.emulator.liveFiles(folder)).toHaveLength(2);
    expect(h.emulator.counts()['drive.files.copy']).toBe(2);
    const projects = (await new GsheetRegistryStore(spreadsheet, h.clients).read()).projects;
    const first = projects.find((p) => p.cells.projectId === 'HZ2026-001')!.cells;
    expect(first.leader).toBe('同事刚改的负责人');
    expect(
      h.emulator
        .liveFiles(folder)
        .map((f) => f.id)
        .some((id) => String(first.agreementLink).includes(id)),
    ).toBe(true);
  });

  it('refuses a template with a placeholder no field fills, before copying anything', async () => {
    h.emulator.docs.get(orderTemplate)!.paragraphs.push('甲方代表：{{甲方代表}}');
    const r = await coopAsync(['agreement', '--all-approved', '--registry', `gsheet:${spreadsheet}`, '--folder', folder], { env: h.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('甲方代表');
    expect(h.emulator.liveFiles(folder)).toEqual([]);
    expect(h.emulator.counts()['drive.files.copy'] ?? 0).toBe(0);
  });

  it('needs a Drive folder, and says how to give one', async () => {
    const r = await coopAsync(['agreement', '--all-approved', '--registry', `gsheet:${spreadsheet}`], { env: h.env, cwd: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--folder');
  });
});
