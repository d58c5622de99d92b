/** Chinese text of `coop remind` and `coop renew`: secrets problems, what was sent, dry-run output. */

export const NOTIFY_CLI_TEXT = {
  secretsTooOpen: (path: string, mode: string) => `密钥文件 ${path} 的权限为 ${mode}，其他用户也能读取；请运行 chmod 600 ${path} 后重试`,
  secretsNotJson: (where: string, detail: string) => `密钥配置（${where}）不是有效的 JSON：${detail}`,
  badSmtp: (where: string) => `密钥配置（${where}）中的 smtp 须包含 host 和 from`,
  noSmtp: (recipient: string) => `接收方「${recipient}」使用邮件渠道，但密钥配置中没有 smtp 服务器，邮件已跳过`,
  header: (today: string, dryRun: boolean, count: number) =>
    dryRun ? `${today} 每日提醒（预演，不发送）：${count} 份摘要` : `${today} 每日提醒：${count} 份摘要`,
  nothing: (today: string) => `${today} 没有需要提醒的事项。`,
  target: (t: { type: 'email'; to: string[] } | { type: 'robot'; name: string }) => (t.type === 'email' ? `邮件 ${t.to.join(', ')}` : `机器人「${t.name}」`),
  wouldSend: (recipient: string, target: string) => `→ 将发送给「${recipient}」：${target}`,
  sent: (recipient: string, target: string) => `✔ 已发送给「${recipient}」：${target}`,
  already: (recipient: string, target: string) => `· 今天已发送给「${recipient}」：${target}（不再重复）`,
  failed: (recipient: string, target: string, error: string) => `✘ 发送给「${recipient}」失败（${target}）：${error}`,
  problems: '以下渠道未能发送（其他渠道不受影响）：',
  summary: (sent: number, failed: number) => `共发送 ${sent} 份，失败 ${failed} 份。`,
  channelUnused: (name: string) => `--channel「${name}」没有出现在今天任何接收方的提醒渠道中（见「设置 › 提醒渠道」），未发送`,
  channelOption: '  --channel 名称   只使用这些渠道（可重复；「邮件」表示电子邮件，其余为机器人名称）',
  dryRunOption: '  --dry-run        只显示将要发送的内容，不发送，也不记录为已发送',
} as const;
