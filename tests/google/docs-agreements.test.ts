import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgreementDoc, type TemplateChecks } from '../../sync/src/google/docs-agreements.js';
import { makeDocx, startHarness, type Harness } from './harness.js';

const TEMPLATE = [
  '甲方：{{学校名称}}',
  '乙方：{{合作单位名称}}（统一社会信用代码：{{统一社会信用代码}}）',
  '项目：{{项目名称}}',
  '金额：{{金额大写}}（{{金额}}元）',
  '乙方：{{合作单位名称}}（盖章）',
];
const FIELDS = {
  学校名称: '肇庆理工中等职业学校',
  合作单位名称: '肇庆市星湖数控机床有限公司',
  统一社会信用代码: '91441200MA4UJ7X93L',
  项目名称: '数控订单班',
  金额大写: '壹万贰仟叁佰肆拾伍元陆角整',
  金额: '12,345.60',
};

describe('Google Docs agreements against the emulator (real @googleapis clients)', () => {
  let h: Harness;
  let folder: string;
  let template: string;
  beforeEach(async () => {
    h = await startHarness();
    folder = h.emulator.addFolder('协议');
    template = h.emulator.addDoc('协议模板-订单式人才培养', TEMPLATE);
  });
  afterEach(() => h.emulator.stop());

  it('copies the template into the folder, fills it with ONE batchUpdate and exports a PDF: 3 API requests', async () => {
    const result = await createAgreementDoc(h.clients, {
      templateDocId: template,
      folderId: folder,
      name: 'ZQLG-HZ-2026-001_星湖数控_订单班',
      fields: FIELDS,
      exportPdf: true,
    });
    const text = h.emulator.docText(result.docId);
    expect(text).toContain('乙方：肇庆市星湖数控机床有限公司（统一社会信用代码：91441200MA4UJ7X93L）');
    expect(text).toContain('壹万贰仟叁佰肆拾伍元陆角整（12,345.60元）');
    expect(text).not.toContain('{{');
    expect(h.emulator.docText(template)).toContain('{{合作单位名称}}');
    expect(h.emulator.liveFiles(folder).map((f) => f.name)).toEqual(['ZQLG-HZ-2026-001_星湖数控_订单班']);
    expect(result.link).toBe(`https://docs.google.com/document/d/${result.docId}/edit`);
    expect(result.pdf!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(result.pdf!.toString('utf8')).toContain('数控订单班');
    const counts = h.emulator.counts();
    expect({ ...counts, 'oauth.token': undefined }).toEqual({
      'drive.files.copy': 1,
      'docs.documents.batchUpdate': 1,
      'drive.files.export': 1,
      'oauth.token': undefined,
    });
    expect(counts['oauth.token']).toBe(1);
    const update = h.emulator.log.find((r) => r.endpoint === 'docs.documents.batchUpdate')!.body as { requests: unknown[] };
    expect(update.requests).toHaveLength(Object.keys(FIELDS).length);
  });

  it('a placeholder missing from the template is an error naming it, and the copy is deleted', async () => {
    const broken = h.emulator.addDoc(
      '坏模板',
      TEMPLATE.filter((p) => !p.includes('金额')),
    );
    const attempt = createAgreementDoc(h.clients, { templateDocId: broken, folderId: folder, name: '不应留下', fields: FIELDS });
    await expect(attempt).rejects.toMatchObject({ code: 'TEMPLATE', message: expect.stringContaining('{{金额大写}}、{{金额}}') });
    expect(h.emulator.liveFiles(folder)).toEqual([]);
    expect(h.emulator.counts()['drive.files.delete']).toBe(1);
  });

  it('a placeholder no field fills is an error before anything is copied; the template is read once per run', async () => {
    const odd = h.emulator.addDoc('多余占位符', [...TEMPLATE, '签字：{{乙方代表}}']);
    const checks: TemplateChecks = new Map();
    for (let i = 0; i < 2; i++) {
      await expect(
        createAgreementDoc(h.clients, { templateDocId: odd, folderId: folder, name: 'x', fields: FIELDS, templateChecks: checks }),
      ).rejects.toMatchObject({
        code: 'TEMPLATE',
        message: expect.stringContaining('{{乙方代表}}'),
      });
    }
    await createAgreementDoc(h.clients, { templateDocId: template, folderId: folder, name: 'ok', fields: FIELDS, templateChecks: checks });
    expect(h.emulator.counts()['docs.documents.get']).toBe(2);
    expect(h.emulator.counts()['drive.files.copy']).toBe(1);
  });

  it('a value that itself looks like a placeholder is refused', async () => {
    await expect(
      createAgreementDoc(h.clients, { templateDocId: template, folderId: folder, name: 'x', fields: { ...FIELDS, 项目名称: '{{金额}}' } }),
    ).rejects.toMatchObject({ code: 'TEMPLATE' });
    expect(h.emulator.apiRequests()).toBe(0);
  });

  it('a missing template Doc is a clear error', async () => {
    await expect(createAgreementDoc(h.clients, { templateDocId: 'nope', folderId: folder, name: 'x', fields: FIELDS })).rejects.toMatchObject({
      code: 'TEMPLATE',
      message: expect.stringContaining('nope'),
    });
  });

  it('429 storms on every step are waited out with growing, capped backoff', async () => {
    for (const endpoint of ['drive.files.copy', 'docs.documents.batchUpdate', 'drive.files.export'])
      h.emulator.inject({ endpoint, kind: 'status', status: 429, times: 3 });
    const result = await createAgreementDoc(h.clients, { templateDocId: template, folderId: folder, name: 'storm', fields: FIELDS, exportPdf: true });
    expect(h.emulator.docText(result.docId)).not.toContain('{{');
    expect(h.emulator.liveFiles(folder)).toHaveLength(1);
    expect(h.emulator.counts()['drive.files.copy']).toBe(4);
    expect(h.sleeps).toEqual([1500, 2500, 4500, 1500, 2500, 4500, 1500, 2500, 4500]);
  });

  it('waits are capped at 64 s and a storm that never ends gives up with a Chinese message', async () => {
    h.emulator.inject({ endpoint: 'drive.files.copy', kind: 'status', status: 429, times: 100 });
    await expect(createAgreementDoc(h.clients, { templateDocId: template, folderId: folder, name: 'x', fields: FIELDS })).rejects.toMatchObject({
      code: 'GOOGLE',
      message: expect.stringContaining('已停止重试'),
    });
    expect(Math.max(...h.sleeps)).toBe(64_000);
    expect(h.emulator.counts()['drive.files.copy']).toBe(9);
    expect(h.emulator.liveFiles(folder)).toEqual([]);
  });

  it('a copy applied but answered with 500 is found by its marker, not copied again', async () => {
    h.emulator.inject({ endpoint: 'drive.files.copy', kind: 'status', status: 500, times: 1, afterApply: true });
    const result = await createAgreementDoc(h.clients, { templateDocId: template, folderId: folder, name: 'once', fields: FIELDS });
    expect(h.emulator.liveFiles(folder).map((f) => f.id)).toEqual([result.docId]);
    expect(h.emulator.counts()['drive.files.copy']).toBe(1);
    expect(h.emulator.counts()['drive.files.list']).toBe(1);
  });

  it('a copy whose connection drops before it is applied is sent again after the marker search finds nothing', async () => {
    h.emulator.inject({ endpoint: 'drive.files.copy', kind: 'drop', times: 1 });
    const result = await createAgreementDoc(h.clients, { templateDocId: template, folderId: folder, name: 'again', fields: FIELDS });
    expect(h.emulator.liveFiles(folder).map((f) => f.id)).toEqual([result.docId]);
    expect(h.emulator.counts()['drive.files.copy']).toBe(2);
  });

  it('a fill whose connection drops after it was applied is redone on a fresh copy, the old one deleted', async () => {
    h.emulator.inject({ endpoint: 'docs.documents.batchUpdate', kind: 'drop', times: 1, afterApply: true });
    const result = await createAgreementDoc(h.clients, { templateDocId: template, folderId: folder, name: 'fresh', fields: FIELDS });
    expect(h.emulator.liveFiles(folder).map((f) => f.id)).toEqual([result.docId]);
    expect(h.emulator.docText(result.docId)).toContain('数控订单班');
    expect(h.emulator.counts()).toMatchObject({ 'drive.files.copy': 2, 'docs.documents.batchUpdate': 2, 'drive.files.delete': 1 });
  });

  it('a failing export leaves no agreement behind', async () => {
    h.emulator.inject({ endpoint: 'drive.files.export', kind: 'status', status: 403, times: 1 });
    await expect(
      createAgreementDoc(h.clients, { templateDocId: template, folderId: folder, name: 'x', fields: FIELDS, exportPdf: true }),
    ).rejects.toMatchObject({ code: 'GOOGLE' });
    expect(h.emulator.liveFiles(folder)).toEqual([]);
  });

  it('the emulator also takes resumable uploads, converting a .docx into a Doc', async () => {
    const auth = { authorization: `Bearer ${h.emulator.issueToken()}` };
    const start = await fetch(`${h.emulator.url}upload/drive/v3/files?uploadType=resumable`, {
      method: 'POST',
      headers: {
        ...auth,
        'content-type': 'application/json',
        'x-upload-content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      },
      body: JSON.stringify({ name: '续传模板', mimeType: 'application/vnd.google-apps.document', parents: [folder] }),
    });
    const session = start.headers.get('location')!;
    const done = await fetch(session, { method: 'PUT', headers: auth, body: await makeDocx([['{{合作', '单位名称}}'], '第二段']) });
    const { id } = (await done.json()) as { id: string };
    expect(h.emulator.docText(id)).toBe('{{合作单位名称}}\n第二段');
  });

  it('the emulator refuses a request without a bearer token', async () => {
    const res = await fetch(`${h.emulator.url}drive/v3/files`);
    expect(res.status).toBe(401);
    const forged = await fetch(`${h.emulator.url}drive/v3/files`, { headers: { authorization: 'Bearer made-up' } });
    expect(forged.status).toBe(401);
  });
});
