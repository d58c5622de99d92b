// The sheet's daily trigger posts to the same 企业微信 / 钉钉 robots as `coop remind`: the built bundle in node:vm,
// UrlFetchApp (synchronous, real HTTP) against the loopback receiver, webhook secrets set through the menu dialog
// into Script Properties. The same registry gives the same digests as the CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorOf, sheetSpec, type SheetKey } from '../../core/index.js';
import { ANCHOR_PROPERTY } from '../../apps-script/src/log.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.js';
import { DING_SECRET, MOBILE, ROBOTS, reminderRegistry, writeSecrets } from '../notify/fixture.js';
import { OFFICE, OWNER, STAFF, plantRecord, registry } from './fixture.js';
import type { Harness } from './fake/harness.js';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});

const NOW_MS = Date.parse('2026-11-24T02:00:00Z');
const ok = { button: 'OK' as const };
const answer = (text: string) => ({ button: 'OK' as const, text });

/** The office sets one robot through 合作交流 ▸ 提醒渠道密钥. */
function setChannel(h: Harness, name: string, type: '企业微信' | '钉钉', webhook: string, secret = '', mobiles = '', user = OWNER): string {
  h.as(user);
  const extra = type === '钉钉' ? [answer(secret), answer(mobiles)] : [];
  const shown = h.click('提醒渠道密钥', answer(name), answer(type), answer(webhook), ...extra, ok);
  h.as(OWNER);
  return shown.join('\n');
}

/** Copies every row of the CLI's registry into the sheet, as the shared sheet would hold the same data. */
async function plantFrom(h: Harness, path: string): Promise<void> {
  const data = await new XlsxRegistryStore(path).read();
  for (const key of ['partners', 'projects', 'reviewLog', 'settings'] as SheetKey[]) {
    const spec = sheetSpec(key);
    data[key].forEach((row, i) => {
      const record: Record<string, unknown> = {};
      for (const c of spec.columns) record[c.header] = row.cells[c.key] ?? '';
      plantRecord(h, spec.name, i + 2, record);
    });
  }
  // The chain's anchor travels with the log, as it would for a sheet the system itself wrote.
  h.scriptProperties.setProperty(ANCHOR_PROPERTY, JSON.stringify(anchorOf(data.reviewLog)));
}

/** Digest text with the row links and the registry address (which differ by where the registry lives) left out. */
const normalise = (s: string) =>
  s
    .replace(/ \[合作项目 第 (\d+) 行\]\([^)]*\)/g, '（合作项目 第 $1 行）')
    .replace(/（合作项目 第 (\d+) 行：[^）]*）/g, '（合作项目 第 $1 行）')
    .replace(/登记表：\S+/g, '登记表：…');

describe('daily trigger → robots', { timeout: 180_000 }, () => {
  it('keeps webhook secrets in Script Properties, set by the office through a dialog that never shows them back', () => {
    const h = registry();
    const shown = setChannel(h, '办公室钉钉', '钉钉', receiver.dingtalk('ding-office'), DING_SECRET, MOBILE, OFFICE);
    expect(shown).toContain('已保存渠道「办公室钉钉」');
    expect(shown).not.toContain(DING_SECRET);
    expect(JSON.parse(h.scriptProperties.getProperty('coop.channels')!)).toEqual({
      办公室钉钉: { type: 'dingtalk', webhook: receiver.dingtalk('ding-office'), secret: DING_SECRET, atMobiles: [MOBILE] },
    });
    // Not in any cell of any sheet.
    expect(h.snapshot()).not.toContain('ding-office');
    expect(h.snapshot()).not.toContain(DING_SECRET);
    // Others may not set channels.
    h.as(STAFF);
    expect(h.click('提醒渠道密钥', ok).join('\n')).toContain('不是合作交流处工作人员');
  });

  it('gives the same digests as coop remind for the same registry, once a day, retrying 130101 / 45009', async () => {
    const reg = await reminderRegistry();
    const robots = ['--channel', '办公室钉钉', '--channel', '计财企业微信', '--channel', '数控组企业微信'];
    await receiver.configure(ROBOTS as never);
    const cli = reg.run(['remind', ...robots], { COOP_SECRETS_FILE: writeSecrets(reg.dir, receiver) });
    expect(cli.code, cli.stderr).toBe(0);
    const dryRun = reg.run(['remind', '--dry-run'], { COOP_SECRETS_FILE: writeSecrets(reg.dir, receiver), COOP_NOW: '2026-11-24T03:00:00Z' });
    const fromCli = await receiver.received();

    const h = registry();
    await plantFrom(h, reg.path);
    setChannel(h, '办公室钉钉', '钉钉', receiver.dingtalk('ding-office'), DING_SECRET, MOBILE);
    setChannel(h, '计财企业微信', '企业微信', receiver.wecom('wecom-finance'));
    setChannel(h, '数控组企业微信', '企业微信', receiver.wecom('wecom-cnc'));
    // The receiver's clock is the script's, so 钉钉's one-hour timestamp window holds.
    await receiver.configure(
      { ...ROBOTS, 'wecom-finance': { type: 'wecom', mode: 'rateLimitOnce' }, 'ding-office': { ...ROBOTS['ding-office'], mode: 'rateLimitOnce' } } as never,
      NOW_MS,
    );
    h.runDaily();
    const fromSheet = await receiver.received();
    expect(
      fromSheet
        .filter((r) => r.answer?.errcode === 0)
        .map((r) => r.key)
        .sort(),
    ).toEqual(['ding-office', 'wecom-cnc', 'wecom-finance']);
    expect(fromSheet.filter((r) => r.answer?.errcode === 130101 || r.answer?.errcode === 45009)).toHaveLength(2);
    expect(h.sleeps).toContain(2000);
    for (const r of fromSheet) expect(r.problems).toEqual([]);
    expect(fromSheet.find((r) => r.key === 'ding-office' && r.answer?.errcode === 0)!.signed).toBe(true);
    const markdown = (list: typeof fromCli, key: string) => {
      const r = list.find((x) => x.key === key && x.answer?.errcode === 0)!;
      return normalise(r.body!.markdown!.content ?? r.body!.markdown!.text!);
    };
    for (const key of ['ding-office', 'wecom-finance', 'wecom-cnc']) expect(markdown(fromSheet, key)).toBe(markdown(fromCli, key));
    // The sheet's rows are linked into the spreadsheet.
    expect(fromSheet.find((r) => r.key === 'wecom-finance' && r.answer?.errcode === 0)!.body!.markdown!.content).toMatch(
      /\[合作项目 第 3 行\]\(https:\/\/docs\.google\.com\/spreadsheets\/d\/[^)]+#gid=\d+&range=A3\)/,
    );
    // E-mail: the office's mail is the dry run's office digest.
    const officeMail = h.mail.outbox.find((m) => m.subject.endsWith('合作交流处'))!;
    const officeCli = dryRun.stdout.split('\n\n【').find((block) => block.startsWith('合作交流】每日提醒 2026-11-24 · 合作交流处'))!;
    expect(normalise(officeMail.body)).toBe(normalise(`【${officeCli}`).split('\n').slice(0, normalise(officeMail.body).split('\n').length).join('\n'));

    // Again the same day: nothing new.
    const count = fromSheet.length;
    const mails = h.mail.outbox.length;
    h.runDaily();
    expect(await receiver.received()).toHaveLength(count);
    expect(h.mail.outbox).toHaveLength(mails);
  });

  it('reports a revoked key, a bad signature and a robot that never answers, and still sends the rest', async () => {
    const h = registry();
    const reg = await reminderRegistry();
    await plantFrom(h, reg.path);
    setChannel(h, '办公室钉钉', '钉钉', receiver.dingtalk('ding-office'), 'SECwrong', MOBILE);
    setChannel(h, '计财企业微信', '企业微信', receiver.wecom('wecom-finance'));
    setChannel(h, '数控组企业微信', '企业微信', receiver.wecom('wecom-cnc'));
    await receiver.configure({ 'ding-office': ROBOTS['ding-office'], 'wecom-cnc': { type: 'wecom', mode: 'hang' } } as never, NOW_MS);
    // Long enough for a loaded machine to answer the robots that do answer.
    h.urlFetch.timeoutMs = 2000;
    h.runDaily();
    const got = await receiver.received();
    expect(got.filter((r) => r.key === 'wecom-finance').map((r) => r.answer?.errcode)).toEqual([93000]);
    expect(got.filter((r) => r.key === 'ding-office').map((r) => r.answer?.errcode)).toEqual([310000]);
    expect(h.urlFetch.requests.filter((r) => r.url.includes('wecom-cnc')).every((r) => r.error === 'Timeout')).toBe(true);
    // E-mail still went.
    expect(h.mail.outbox.length).toBeGreaterThan(0);
    // The office sees the problems, in Chinese, next time it opens the dialog.
    h.as(OWNER);
    const shown = h.click('提醒渠道密钥', { button: 'CANCEL' }, ok).join('\n');
    expect(shown).toContain('渠道「计财企业微信」的 Webhook 地址或密钥无效（93000');
    expect(shown).toContain('渠道「办公室钉钉」的钉钉加签校验失败');
    expect(shown).toContain('渠道「数控组企业微信」无法连接或超时');
    expect(shown).not.toContain('SECwrong');
    // Apps Script's fetch errors quote the URL; its key must not reach the dialog or the log.
    expect(shown).not.toContain('wecom-cnc');
    expect(h.documentProperties.getProperty('coop.remindersErrors')).not.toContain('key=');
  });
});
