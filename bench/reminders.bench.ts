// Daily reminders at scale: Apps Script service calls and UrlFetchApp requests of the daily trigger on the fake,
// and the CLI's `coop remind` op (digests built, robot requests made) — both against the loopback robot receiver.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultSettings, emptyRegistry, settingsRows, REVIEW_DEPARTMENT_NAMES, type RawCells, type RegistryData } from '../core/index.js';
import { remind } from '../sync/src/ops/remind.js';
import { plantRecord, registry } from '../tests/apps-script/fixture.js';
import { startReceiver } from '../tests/helpers/webhook-receiver.js';

// Small by default: the robots allow 20 messages a minute, so a digest of many chunks waits by design.
const PROJECTS = Number(process.env.BENCH_REMIND_PROJECTS ?? 100);

/** `n` projects in review since 11-01, each with its 提交 in the log; every department has its own 企业微信 robot. */
function registryData(n: number): RegistryData {
  const data = emptyRegistry();
  const settings = defaultSettings();
  settings.officeStaff = ['office@zqlg.edu.cn'];
  settings.channels = Object.fromEntries([['合作交流处', ['办公室群']], ...REVIEW_DEPARTMENT_NAMES.map((d) => [d, [`${d}群`]])]);
  data.settings = settingsRows(settings).map((cells) => ({ cells: { ...cells } as RawCells }));
  for (let i = 1; i <= n; i++) {
    const id = `HZ2026-${String(i).padStart(4, '0')}`;
    data.projects.push({ cells: { projectId: id, title: `项目${i}`, department: '计算机应用专业', category: '培训服务', status: '待审查' }, sheetRow: i + 1 });
    data.reviewLog.push({
      cells: {
        time: '2026-11-01 09:00:00',
        projectId: id,
        body: '计算机应用专业',
        actor: 't@zqlg.edu.cn',
        action: '提交',
        fromStatus: '草稿',
        toStatus: '待审查',
        remark: null,
      },
    });
  }
  return data;
}

export default async function bench(): Promise<void> {
  const receiver = await startReceiver();
  const names = ['办公室群', ...REVIEW_DEPARTMENT_NAMES.map((d) => `${d}群`)];
  const robots = Object.fromEntries(names.map((_name, i) => [`k${i}`, { type: 'wecom' as const }]));
  const channels = Object.fromEntries(names.map((name, i) => [name, { type: 'wecom' as const, webhook: receiver.wecom(`k${i}`) }]));
  try {
    await receiver.configure(robots);
    const data = registryData(PROJECTS);
    // A fresh folder each run: the sent state lives beside the registry, and a second run the same day sends nothing.
    const store = {
      location: join(mkdtempSync(join(tmpdir(), 'coop-bench-')), 'bench.xlsx'),
      read: async () => data,
      update: async () => Promise.reject(new Error('read only')),
    };
    const t = performance.now();
    const result = await remind(store, {
      dryRun: false,
      secrets: { channels, smtp: null, source: 'bench' },
      now: new Date('2026-11-24T02:00:00Z'),
      timeoutMs: 5000,
      backoffMs: 10,
      channels: names,
    });
    const ms = performance.now() - t;
    const received = await receiver.received();
    console.log(
      `coop remind op, ${PROJECTS} projects waiting on 7 departments: ${result.digests.length} digests, ${result.robotRequests} robot requests (${received.length} received), ${ms.toFixed(0)} ms`,
    );

    const h = registry();
    h.log.quiet(() => {
      for (let i = 1; i <= Math.min(PROJECTS, 300); i++) {
        plantRecord(h, '合作项目', i + 1, {
          项目编号: `HZ2026-${String(i).padStart(4, '0')}`,
          项目名称: `项目${i}`,
          承办系部: '计算机应用专业',
          合作类别: '培训服务',
          状态: '待审查',
        });
        plantRecord(h, '审批记录', i + 1, {
          时间: '2026-11-01 09:00:00',
          项目编号: `HZ2026-${String(i).padStart(4, '0')}`,
          操作人: 't@zqlg.edu.cn',
          操作: '提交',
          原状态: '草稿',
          新状态: '待审查',
        });
      }
    });
    const rows = h.records('设置').length + 2;
    names.forEach((name, i) =>
      plantRecord(h, '设置', rows + i, { 分组: '提醒渠道', 设置项: i === 0 ? '合作交流处' : REVIEW_DEPARTMENT_NAMES[i - 1], 值: name }),
    );
    h.scriptProperties.setProperty('coop.channels', JSON.stringify(channels));
    await receiver.configure(robots, Date.parse('2026-11-24T02:00:00Z'));
    h.log.reset();
    const t2 = performance.now();
    h.runDaily();
    const ms2 = performance.now() - t2;
    console.log(
      `daily trigger, ${Math.min(PROJECTS, 300)} projects: ${h.log.count()} spreadsheet calls, ${h.urlFetch.requests.length} UrlFetchApp requests, ${h.mail.outbox.length} mails, ` +
        `${h.sleeps.length} sleeps; ${ms2.toFixed(0)} ms on the fake (each fetch is a real loopback request in a child process)`,
    );
  } finally {
    await receiver.close();
  }
}
