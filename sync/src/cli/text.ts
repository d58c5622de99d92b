/** Chinese text of the command line: help, labels, summaries. */
export const CLI_TEXT = {
  usageHeader: '用法：coop <命令> [选项]',
  intro: '合作交流登记系统（肇庆理工中等职业学校 合作交流处）',
  commandsHeader: '命令：',
  commonOptions: [
    '通用选项：',
    '  --registry PATH   登记表：.xlsx 文件（默认 ./registry.xlsx）或共享表格 gsheet:表格ID；也可写在 coop.config.json 的 registry 中',
    '  -h, --help        显示帮助',
    '  -v, --version     显示版本',
  ],
  helpHint: '运行 coop <命令> --help 查看该命令的选项。',
  unknownCommand: (name: string) => `未知命令「${name}」。运行 coop --help 查看全部命令`,
  badNow: (value: string) => `环境变量 COOP_NOW 的值「${value}」不是有效的时刻，应为 ISO 格式（如 2026-11-24T02:00:00Z）；未作任何修改`,
  badOption: (detail: string) => `命令行选项有误：${detail}`,
  unexpectedError: (message: string) => `发生意外错误：${message}（设置环境变量 COOP_DEBUG=1 可查看详细信息）`,
} as const;
