// Google API requests per operation, counted by the loopback emulator (the real client libraries make the calls).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgreementDoc, type TemplateChecks } from '../sync/src/google/docs-agreements.js';
import { uploadTemplate } from '../sync/src/google/templates-upload.js';
import { makeDocx, startHarness } from '../tests/google/harness.js';

const FIELDS = { 学校名称: '肇庆理工中等职业学校', 合作单位名称: '肇庆市星湖数控机床有限公司', 项目名称: '数控订单班', 金额大写: '壹万贰仟叁佰肆拾伍元陆角整' };
const TEMPLATE = Object.keys(FIELDS).map((k) => `${k}：{{${k}}}`);

export default async function bench(): Promise<void> {
  const h = await startHarness();
  try {
    const folder = h.emulator.addFolder('协议');
    const template = h.emulator.addDoc('模板', TEMPLATE);
    const perRun = async (label: string, n: number, exportPdf: boolean, checks?: TemplateChecks) => {
      h.emulator.resetLog();
      for (let i = 0; i < n; i++) {
        await createAgreementDoc(h.clients, {
          templateDocId: template,
          folderId: folder,
          name: `协议${i}`,
          fields: FIELDS,
          exportPdf,
          ...(checks ? { templateChecks: checks } : {}),
        });
      }
      const counts = h.emulator.counts();
      console.log(`${label}: ${(h.emulator.apiRequests() / n).toFixed(2)} API requests per agreement over ${n} (${JSON.stringify(counts)})`);
    };
    await perRun('Google Doc agreement, no PDF', 20, false);
    await perRun('Google Doc agreement + PDF export', 20, true);
    await perRun('Google Doc agreement + PDF, template checked once per run', 20, true, new Map());
    h.emulator.resetLog();
    h.emulator.inject({ endpoint: 'drive.files.copy', kind: 'status', status: 500, times: 1, afterApply: true });
    await createAgreementDoc(h.clients, { templateDocId: template, folderId: folder, name: 'fault', fields: FIELDS });
    console.log(`agreement whose copy answered 500 after applying: ${h.emulator.apiRequests()} API requests (${JSON.stringify(h.emulator.counts())})`);

    const file = join(h.dir, '通用.docx');
    writeFileSync(file, await makeDocx(TEMPLATE));
    h.emulator.resetLog();
    for (let i = 0; i < 5; i++) await uploadTemplate(h.clients, file, folder);
    console.log(`template upload (.docx → Google Doc): ${h.emulator.apiRequests() / 5} API requests per template`);
  } finally {
    await h.emulator.stop();
  }
}
