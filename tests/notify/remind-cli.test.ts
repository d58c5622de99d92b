// `coop remind` end to end: the built CLI posts the day's digests to a loopback 企业微信 / 钉钉 receiver that checks
// payload shapes and the 钉钉 signature and answers with the services' own error codes; e-mail goes to a loopback
// SMTP server. Once a day per recipient; a failing channel stops no other.
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coopAsync } from '../helpers/cli.js';
import { OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.js';
import { MOBILE, ROBOTS, SAMPLE_OFFICE, reminderRegistry, writeSecrets } from './fixture.js';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});

const FAST = { COOP_ROBOT_BACKOFF_MS: '20', COOP_ROBOT_TIMEOUT_MS: '1500' };

describe('coop remind → robots', { timeout: 120_000 }, () => {
  it('posts one signed 钉钉 and one 企业微信 markdown digest per recipient, and nothing more the same day', async () => {
    const reg = await reminderRegistry();
    await receiver.configure(ROBOTS as never);
    const secrets = writeSecrets(reg.dir, receiver);
    const env = { COOP_SECRETS_FILE: secrets, ...FAST };
    const first = reg.run(['remind', '--channel', '办公室钉钉', '--channel', '计财企业微信', '--channel', '数控组企业微信'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('✔ 已发送给「合作交流处」：机器人「办公室钉钉」');
    expect(first.stdout).toContain('✔ 已发送给「计财处」：机器人「计财企业微信」');
    const got = await receiver.received();
    expect(got.map((r) => r.key).sort()).toEqual(['ding-office', 'wecom-cnc', 'wecom-finance']);
    for (const r of got) {
      expect(r.problems).toEqual([]);
      expect(r.answer).toEqual({ errcode: 0, errmsg: 'ok' });
    }
    const ding = got.find((r) => r.key === 'ding-office')!;
    expect(ding.signed).toBe(true);
    expect(ding.body!.at).toEqual({ atMobiles: [MOBILE], isAtAll: false });
    expect(ding.body!.markdown!.title).toBe('【合作交流】每日提醒 2026-11-24 · 合作交流处');
    const office = ding.body!.markdown!.text!;
    // 催办 counts days from the 提交 in 审批记录 (11-01), and only departments the log has not seen review.
    expect(office).toContain(
      'HZ2026-002「数控技术应用专业“星湖班”订单式人才培养」仍待计财处、科研处、学生（学工）处、招就处审查，已等待 23 天（2026-11-01 起）',
    );
    expect(office).not.toContain('教务处');
    expect(office).toContain('HZ2026-003「数控技术应用专业“星湖班”订单式人才培养」待提交校长办公会审议');
    expect(office).toContain('2026-12-31 到期（还有 37 天）；续签：运行 coop renew HZ2026-001');
    expect(office).toContain('（数控技术应用专业教学团队）2025 年度');
    const finance = got.find((r) => r.key === 'wecom-finance')!.body!.markdown!.content!;
    expect(finance).toContain('仍待计财处审查');
    expect(finance).not.toContain('到期');
    const cnc = got.find((r) => r.key === 'wecom-cnc')!.body!.markdown!.content!;
    expect(cnc).toContain('HZ2026-001');
    expect(cnc).not.toContain('催办');
    // Sent state beside the registry; a second run the same day sends nothing.
    expect(existsSync(join(reg.dir, '.registry.xlsx.reminders.json'))).toBe(true);
    const again = reg.run(['remind', '--channel', '办公室钉钉', '--channel', '计财企业微信', '--channel', '数控组企业微信'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('今天已发送给「合作交流处」：机器人「办公室钉钉」（不再重复）');
    expect(await receiver.received()).toHaveLength(3);
    // The next day they go again.
    const tomorrow = reg.run(['remind', '--channel', '计财企业微信'], { ...env, COOP_NOW: '2026-11-25T02:00:00Z' });
    expect(tomorrow.code, tomorrow.stderr).toBe(0);
    expect(await receiver.received()).toHaveLength(4);
    // No secret reaches the output.
    for (const out of [first, again, tomorrow]) expect(out.stdout + out.stderr).not.toMatch(/SECtest|access_token|key=wecom/);
  });

  it('--dry-run shows each digest and where it would go, and sends nothing', async () => {
    const reg = await reminderRegistry();
    await receiver.configure(ROBOTS as never);
    const r = reg.run(['remind', '--dry-run'], { COOP_SECRETS_FILE: writeSecrets(reg.dir, receiver), ...FAST });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2026-11-24 每日提醒（预演，不发送）：6 份摘要');
    expect(r.stdout).toContain('【合作交流】每日提醒 2026-11-24 · 计财处');
    expect(r.stdout).toContain('→ 将发送给「计财处」：机器人「计财企业微信」');
    // A dry run also shows what is not set up: no SMTP server for the e-mail recipients.
    expect(r.stderr).toContain(`✘ 发送给「合作交流处」失败（邮件 ${SAMPLE_OFFICE}）：接收方「合作交流处」使用邮件渠道，但密钥配置中没有 smtp 服务器`);
    expect(await receiver.received()).toHaveLength(0);
    expect(existsSync(join(reg.dir, '.registry.xlsx.reminders.json'))).toBe(false);
    // A mistyped --channel is named, not silently ignored.
    const typo = reg.run(['remind', '--dry-run', '--channel', '计财群'], { COOP_SECRETS_FILE: writeSecrets(reg.dir, receiver) });
    expect(typo.stderr).toContain('--channel「计财群」没有出现在今天任何接收方的提醒渠道中');
  });

  it('retries a rate-limited robot; a bad key, a bad signature or a robot that never answers is reported and stops no other', async () => {
    const reg = await reminderRegistry();
    const secrets = writeSecrets(reg.dir, receiver);
    const robots = ['--channel', '办公室钉钉', '--channel', '计财企业微信', '--channel', '数控组企业微信'];
    // Rate limited once (钉钉 130101, 企业微信 45009): retried after a back-off, then delivered.
    await receiver.configure({
      'ding-office': { ...ROBOTS['ding-office'], mode: 'rateLimitOnce' },
      'wecom-finance': { type: 'wecom', mode: 'rateLimitOnce' },
      'wecom-cnc': { type: 'wecom' },
    });
    const limited = reg.run(['remind', ...robots], { COOP_SECRETS_FILE: secrets, ...FAST });
    expect(limited.code, limited.stderr).toBe(0);
    const answers = (await receiver.received()).map((r) => `${r.key}:${r.answer?.errcode}`);
    expect(answers.filter((a) => a.startsWith('ding-office'))).toEqual(['ding-office:130101', 'ding-office:0']);
    expect(answers.filter((a) => a.startsWith('wecom-finance'))).toEqual(['wecom-finance:45009', 'wecom-finance:0']);

    // The next day: the finance robot's key was revoked (93000), the office robot's secret is wrong (310000),
    // the 系部 robot hangs; each is reported in Chinese, the e-mail channel is unaffected.
    const reg2 = await reminderRegistry();
    const secrets2 = writeSecrets(reg2.dir, receiver);
    await receiver.configure({ 'ding-office': { type: 'dingtalk', secret: 'SECanother' }, 'wecom-cnc': { type: 'wecom', mode: 'hang' } });
    const failed = reg2.run(['remind', ...robots], { COOP_SECRETS_FILE: secrets2, ...FAST, COOP_ROBOT_TIMEOUT_MS: '1500' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('✘ 发送给「计财处」失败（机器人「计财企业微信」）：渠道「计财企业微信」的 Webhook 地址或密钥无效（93000');
    expect(failed.stderr).toContain('渠道「办公室钉钉」的钉钉加签校验失败');
    expect(failed.stderr).toContain('渠道「数控组企业微信」无法连接或超时（1500 毫秒无应答）');
    const got = await receiver.received();
    // Bad keys and signatures are not retried; a robot that never answers is, up to the limit.
    expect(got.filter((r) => r.key === 'wecom-finance')).toHaveLength(1);
    expect(got.filter((r) => r.key === 'ding-office')).toHaveLength(1);
    expect(got.filter((r) => r.key === 'wecom-cnc')).toHaveLength(4);
    // Failed deliveries are not marked sent: a later run the same day tries them again.
    await receiver.configure(ROBOTS as never);
    writeSecrets(reg2.dir, receiver);
    const retry = reg2.run(['remind', ...robots], { COOP_SECRETS_FILE: secrets2, ...FAST });
    expect(retry.code, retry.stderr).toBe(0);
    expect((await receiver.received()).map((r) => r.key).sort()).toEqual(['ding-office', 'wecom-cnc', 'wecom-finance']);
  });

  it("tells the office of a break in 审批记录's chain (a log row edited by hand)", async () => {
    const reg = await reminderRegistry();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(reg.path);
    const log = workbook.getWorksheet('审批记录')!;
    let remarkCol = 0;
    log.getRow(1).eachCell((cell, col) => {
      if (cell.value === '备注') remarkCol = col;
    });
    log.getRow(3).getCell(remarkCol).value = '手工改过';
    await workbook.xlsx.writeFile(reg.path);
    const r = reg.run(['remind', '--dry-run'], { COOP_SECRETS_FILE: writeSecrets(reg.dir, receiver) });
    const office = r.stdout.split('【合作交流】每日提醒 2026-11-24 · ')[1]!;
    expect(office).toMatch(/^合作交流处\n\n审批记录校验异常（1）：\n· 第 3 行：/);
  });

  it('refuses a secrets file others can read, naming the fix', async () => {
    const reg = await reminderRegistry();
    const secrets = writeSecrets(reg.dir, receiver);
    chmodSync(secrets, 0o644);
    const r = reg.run(['remind'], { COOP_SECRETS_FILE: secrets });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`密钥文件 ${secrets} 的权限为 0644，其他用户也能读取；请运行 chmod 600 ${secrets}`);
    expect(r.stderr).not.toContain('SECtest');
  });
});

describe('coop remind → e-mail over SMTP', { timeout: 120_000 }, () => {
  it('sends each e-mail recipient its digest through the SMTP server in the secrets, password from the environment', async () => {
    const mails: { from: string; to: string[]; data: string; user?: string; pass?: string }[] = [];
    const logins: { user: string; pass: string }[] = [];
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _session, cb) {
        logins.push({ user: auth.username ?? '', pass: auth.password ?? '' });
        if (auth.password !== 'smtp-pass-123') return cb(new Error('535 Authentication failed'));
        cb(null, { user: auth.username });
      },
      onData(stream, session, cb) {
        let data = '';
        stream.setEncoding('utf8');
        stream.on('data', (c: string) => (data += c));
        stream.on('end', () => {
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as { port: number }).port;
    try {
      const reg = await reminderRegistry();
      const secrets = writeSecrets(reg.dir, receiver, {
        smtp: { host: '127.0.0.1', port, secure: false, user: 'coop@zqlg.example.edu.cn', from: 'coop@zqlg.example.edu.cn' },
      });
      const r = await coopAsync(['remind', '--channel', '邮件', '--registry', reg.path], {
        env: { COOP_SECRETS_FILE: secrets, COOP_SMTP_PASSWORD: 'smtp-pass-123', ...FAST },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(logins[0]).toEqual({ user: 'coop@zqlg.example.edu.cn', pass: 'smtp-pass-123' });
      expect(r.stdout + r.stderr).not.toContain('smtp-pass-123');
      // The office and the three review departments that name no robot (e-mail by default); 计财处 uses its robot only.
      expect(mails.map((m) => m.to[0]).sort()).toEqual(
        ['hezuo@zqlg.example.edu.cn', 'keyan@zqlg.example.edu.cn', 'xuegong@zqlg.example.edu.cn', 'zhaojiu@zqlg.example.edu.cn'].sort(),
      );
      const office = mails.find((m) => m.to[0] === SAMPLE_OFFICE)!;
      const decoded = decodeMail(office.data);
      expect(decoded).toContain('招就处审查，已等待 23 天');
      expect(decoded).toContain('续签：运行 coop renew HZ2026-001');
      expect(office.data).toMatch(/^Subject: =\?UTF-8\?/m);
      // A wrong password the next day: each mail reported in Chinese, exit 1, the password never shown.
      const bad = await coopAsync(['remind', '--channel', '邮件', '--registry', reg.path], {
        env: { COOP_SECRETS_FILE: secrets, COOP_SMTP_PASSWORD: 'wrong-pass-456', COOP_NOW: '2026-11-25T02:00:00Z', ...FAST },
      });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain(`✘ 发送给「合作交流处」失败（邮件 ${SAMPLE_OFFICE}）：发送邮件到 ${SAMPLE_OFFICE} 失败（`);
      expect(bad.stdout + bad.stderr).not.toContain('wrong-pass-456');
      expect(mails).toHaveLength(4);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

/** The text part of a nodemailer message, decoded from quoted-printable or base64. */
function decodeMail(raw: string): string {
  const [, body = ''] = raw.split(/\r?\n\r?\n/, 2).length ? raw.split(/\r?\n\r?\n([\s\S]*)/) : [];
  if (/Content-Transfer-Encoding: base64/i.test(raw)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  const soft = body.replace(/=\r?\n/g, '');
  return Buffer.from(
    soft.replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');
}

describe.skipIf(!OPENPYXL_PYTHON)('coop remind and a broken 审批记录', { timeout: 120_000 }, () => {
  it('tells the office the row where the chain breaks after someone edits the log with another program', async () => {
    const reg = await reminderRegistry();
    // A remark rewritten in 审批记录 by openpyxl: the row no longer matches its 校验值.
    runOpenpyxl(
      String.raw`
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
log = wb['审批记录']
headers = [c.value for c in log[1]]
log.cell(3, headers.index('备注') + 1).value = '已同意（补记）'
wb.save(sys.argv[1])
`,
      [reg.path],
    );
    const r = reg.run(['remind', '--dry-run']);
    expect(r.stdout).toContain('审批记录校验异常');
    expect(r.stdout).toMatch(/第 3 行：/);
  });
});
