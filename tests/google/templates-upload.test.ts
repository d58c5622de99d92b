import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSettings } from '../../core/index.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, coopAsync } from '../helpers/cli.js';
import { makeDocx, startHarness, type Harness } from './harness.js';

describe('coop templates upload (built CLI → real Drive client → emulator)', () => {
  let h: Harness;
  let registry: string;
  let templates: string;
  let folder: string;
  beforeEach(async () => {
    h = await startHarness();
    registry = join(h.dir, 'registry.xlsx');
    expect(coop(['init', '--registry', registry]).code).toBe(0);
    templates = join(h.dir, 'templates');
    mkdirSync(templates);
    writeFileSync(join(templates, '通用.docx'), await makeDocx(['合作协议', '甲方：{{学校名称}}', '乙方：{{合作单位名称}}']));
    // Word often splits a placeholder across runs; the converted Doc must still hold it whole.
    writeFileSync(join(templates, '订单式人才培养.docx'), await makeDocx(['订单班协议', ['乙方：{{合作', '单位', '名称}}'], '项目：{{项目名称}}']));
    writeFileSync(join(templates, 'README.md'), 'not a template');
    folder = h.emulator.addFolder('协议模板');
  });
  afterEach(() => h.emulator.stop());

  it('converts each .docx into a Google Doc in the folder and records the IDs in 设置 (协议模板)', async () => {
    const result = await coopAsync(['templates', 'upload', '--dir', templates, '--folder', folder, '--registry', registry], { env: h.env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const docs = h.emulator.liveFiles(folder);
    expect(docs.map((d) => [d.name, d.mimeType]).sort()).toEqual([
      ['协议模板-订单式人才培养', 'application/vnd.google-apps.document'],
      ['协议模板-通用', 'application/vnd.google-apps.document'],
    ]);
    const byKey = Object.fromEntries(docs.map((d) => [d.appProperties.coopTemplate, d.id]));
    expect(h.emulator.docText(byKey['订单式人才培养']!)).toContain('乙方：{{合作单位名称}}');
    const { settings } = readSettings(await new XlsxRegistryStore(registry).read());
    expect(settings.templates).toEqual(byKey);
    expect(result.stdout).toContain(byKey['通用']);
    expect(h.emulator.counts()).toMatchObject({ 'drive.files.create': 2, 'oauth.token': 1 });
    expect(h.emulator.apiRequests()).toBe(2);
    const upload = h.emulator.log.find((r) => r.endpoint === 'drive.files.create')!;
    expect(upload.path).toContain('uploadType=multipart');

    // A second upload replaces the recorded IDs in place: one row per template, nothing else touched.
    const again = await coopAsync(['templates', 'upload', '--dir', templates, '--folder', folder, '--registry', registry], { env: h.env });
    expect(again.code).toBe(0);
    const data = await new XlsxRegistryStore(registry).read();
    expect(data.settings.filter((r) => r.cells.group === '协议模板')).toHaveLength(2);
    expect(readSettings(data).settings.templates['通用']).not.toBe(byKey['通用']);
  });

  it('an upload answered with 500 after Drive stored it is not uploaded twice', async () => {
    h.emulator.inject({ endpoint: 'drive.files.create', kind: 'status', status: 500, times: 1, afterApply: true });
    const result = await coopAsync(['templates', 'upload', '--dir', templates, '--folder', folder, '--registry', registry], { env: h.env });
    expect(result.code).toBe(0);
    expect(h.emulator.liveFiles(folder)).toHaveLength(2);
    expect(h.emulator.counts()['drive.files.list']).toBe(1);
  });

  it('without a folder, or without credentials, it stops with a Chinese message and exit code 2', async () => {
    const noFolder = await coopAsync(['templates', 'upload', '--dir', templates, '--registry', registry], { env: h.env });
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain('--folder');
    const noCredentials = await coopAsync(['templates', 'upload', '--dir', templates, '--folder', folder, '--registry', registry], {
      env: { ...h.env, GOOGLE_APPLICATION_CREDENTIALS: '' },
    });
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toContain('GOOGLE_APPLICATION_CREDENTIALS');
    expect(h.emulator.apiRequests()).toBe(0);
  });

  it('never prints the private key or an access token, even when Google refuses', async () => {
    h.emulator.inject({ endpoint: 'drive.files.create', kind: 'status', status: 403, times: 1 });
    const result = await coopAsync(['templates', 'upload', '--dir', templates, '--folder', folder, '--registry', registry], {
      env: { ...h.env, COOP_DEBUG: '1' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('无权');
    const printed = result.stdout + result.stderr;
    const keyBody = h.privateKey.split('\n')[1]!;
    expect(printed).not.toContain(keyBody);
    expect(printed).not.toContain('PRIVATE KEY');
    expect(printed).not.toMatch(/emu-access-[0-9a-f]+/);
    expect(printed).not.toMatch(/Bearer/i);
    expect(printed).not.toContain('assertion');
  });
});
