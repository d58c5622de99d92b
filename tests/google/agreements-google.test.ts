import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSettings, writeTemplateIds } from '../../core/index.js';
import { generateGoogleAgreements, type GoogleAgreementJob } from '../../sync/src/google/agreements-google.js';
import { GSheetRegistryStore } from '../../sync/src/stores/gsheet-store.js';
import { seedDemoRegistry } from '../../sync/src/ops/demo.js';
import { coop, tempDir } from '../helpers/cli.js';
import { startHarness, type Harness } from './harness.js';
import { seedSpreadsheet } from './registry-seed.js';

describe('Google agreements for registry projects, written back to the shared sheet', () => {
  let xlsx: string;
  let h: Harness;
  let store: GSheetRegistryStore;
  let folder: string;
  let spreadsheet: string;
  beforeAll(async () => {
    // The demo's sample registry before any agreement is made.
    xlsx = join(tempDir('coop-gagr-'), 'registry.xlsx');
    await seedDemoRegistry(xlsx, new Date('2026-11-24T02:00:00Z'));
  });
  beforeEach(async () => {
    h = await startHarness();
    spreadsheet = await seedSpreadsheet(h.emulator, xlsx);
    store = new GSheetRegistryStore(spreadsheet, h.clients);
    folder = h.emulator.addFolder('协议');
    const general = h.emulator.addDoc('协议模板-通用', ['合作协议 {{协议编号}}', '乙方：{{合作单位名称}}', '项目：{{项目名称}}']);
    const order = h.emulator.addDoc('协议模板-订单式人才培养', ['订单班协议 {{协议编号}}', '乙方：{{合作单位名称}}', '项目：{{项目名称}}']);
    await store.update((data) => {
      writeTemplateIds(data, { 通用: general, 订单式人才培养: order });
      return { result: undefined, write: true };
    });
  });
  afterEach(() => h.emulator.stop());

  const jobsFor = async (n: number): Promise<GoogleAgreementJob[]> =>
    (await store.read()).projects.slice(0, n).map((p, i) => ({
      projectId: String(p.cells.projectId),
      templateKey: String(p.cells.category === '订单式人才培养' ? '订单式人才培养' : p.cells.category),
      agreementNo: `ZQLG-HZ-2026-${String(i + 1).padStart(3, '0')}`,
      name: `ZQLG-HZ-2026-${String(i + 1).padStart(3, '0')}_${p.cells.partnerName}_${p.cells.title}`,
      fields: { 协议编号: `ZQLG-HZ-2026-${String(i + 1).padStart(3, '0')}`, 合作单位名称: String(p.cells.partnerName), 项目名称: String(p.cells.title) },
    }));

  it('fills one Doc per project from its category template (通用 as fallback), saves PDFs, records numbers and links in one write', async () => {
    const jobs = await jobsFor(4);
    const pdfDir = join(h.dir, 'pdf');
    h.emulator.resetLog();
    const results = await generateGoogleAgreements(h.clients, store, { jobs, folderId: folder, pdfDir });
    expect(results).toHaveLength(4);
    const counts = h.emulator.counts();
    expect(counts).toMatchObject({ 'drive.files.copy': 4, 'docs.documents.batchUpdate': 4, 'drive.files.export': 4, 'sheets.values.batchUpdate': 1 });
    // 3 requests per agreement, plus one template read per template and the registry's read/verify.
    expect(counts['docs.documents.get']).toBeLessThanOrEqual(2);
    for (const r of results) {
      const text = h.emulator.docText(r.docId);
      expect(text).toContain(r.agreementNo);
      expect(text).not.toContain('{{');
      expect(readFileSync(r.pdfPath!).subarray(0, 5).toString()).toBe('%PDF-');
    }
    const data = await store.read();
    for (const r of results) {
      const row = data.projects.find((p) => p.cells.projectId === r.projectId)!;
      expect(row.cells.agreementNo).toBe(r.agreementNo);
      expect(row.cells.agreementLink).toBe(r.link);
    }
    expect(readSettings(data).settings.templates['订单式人才培养']).toBeTruthy();
  });

  it('a template missing from 设置 stops the run before anything is copied', async () => {
    await store.update((data) => {
      data.settings = data.settings.filter((r) => r.cells.group !== '协议模板');
      return { result: undefined, write: true };
    });
    h.emulator.resetLog();
    await expect(generateGoogleAgreements(h.clients, store, { jobs: await jobsFor(2), folderId: folder })).rejects.toMatchObject({
      code: 'TEMPLATE',
      message: expect.stringContaining('coop templates upload'),
    });
    expect(h.emulator.counts()['drive.files.copy']).toBeUndefined();
  });

  it('when one agreement fails, those made before it are recorded and no half-filled Doc remains', async () => {
    const jobs = await jobsFor(3);
    jobs[1]!.fields = { ...jobs[1]!.fields, 签约地点: '肇庆' };
    await expect(generateGoogleAgreements(h.clients, store, { jobs, folderId: folder })).rejects.toMatchObject({ code: 'TEMPLATE' });
    expect(h.emulator.liveFiles(folder)).toHaveLength(1);
    const data = await store.read();
    expect(data.projects.find((p) => p.cells.projectId === jobs[0]!.projectId)!.cells.agreementLink).toMatch(/^https:\/\/docs\.google\.com\//);
    expect(data.projects.find((p) => p.cells.projectId === jobs[1]!.projectId)!.cells.agreementLink).toBeNull();
    expect(existsSync(join(h.dir, 'pdf'))).toBe(false);
  });
});
