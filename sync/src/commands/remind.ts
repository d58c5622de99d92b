/** `coop remind [--dry-run] [--channel …]`: the daily digests to 企业微信 / 钉钉 robots and e-mail, for a scheduler. */
import { printRemind } from '../views/remind-view.js';
import { loadSecrets } from '../notify/secrets.js';
import { NOTIFY_CLI_TEXT as T } from '../notify/text.js';
import { remind } from '../ops/remind.js';
import { openStore } from '../stores/open.js';
import type { Command } from './command.js';

const numberFromEnv = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n >= 0 && process.env[name] !== '' && process.env[name] !== undefined ? n : fallback;
};

export const command: Command = {
  usage: 'coop remind [--dry-run] [--channel 名称…] [--registry PATH]',
  description:
    '每日提醒：审查超时催办（按审批记录计算等待天数）、待校长办公会/党委会审议、协议即将到期（附续签办法）、年度评价待填报或逾期，' +
    '按接收方（合作交流处、审查部门、系部）各汇总一份，发到「设置 › 提醒渠道」中指定的企业微信、钉钉机器人和邮件。' +
    '同一天再次运行不会重复发送。Webhook 地址和 SMTP 密码放在本人的密钥文件（权限 600）或环境变量中，不会显示。' +
    '适合用 Windows 任务计划程序或 cron 每天运行一次。',
  options: { 'dry-run': { type: 'boolean' }, channel: { type: 'string', multiple: true } },
  optionHelp: [T.dryRunOption, T.channelOption],
  async run({ values, output, now }) {
    const dryRun = values['dry-run'] === true;
    const channels = Array.isArray(values.channel) ? values.channel : undefined;
    const result = await remind(openStore(values.registry as string), {
      dryRun,
      ...(channels ? { channels } : {}),
      secrets: loadSecrets(),
      now,
      timeoutMs: numberFromEnv('COOP_ROBOT_TIMEOUT_MS', 10_000),
      backoffMs: numberFromEnv('COOP_ROBOT_BACKOFF_MS', 2_000),
    });
    printRemind(output, result, dryRun);
    // A dry run is for checking the set-up: it lists problems but only a real run fails on them.
    return !dryRun && result.deliveries.some((d) => d.status === 'failed') ? 'problems' : 'ok';
  },
};
