/** The command table: names, one-line summaries for help, and lazy loaders so `coop --help` loads nothing heavy. */
import type { Command } from './command.js';

interface CommandEntry {
  summary: string;
  load: () => Promise<{ command: Command }>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  init: { summary: '新建登记表（设置页填入学校默认值）；--repair 补齐缺失的工作表和列', load: () => import('./init.js') },
  validate: { summary: '按全部规则校验登记表，逐条列出问题（有问题时退出码为 1）', load: () => import('./validate.js') },
  status: { summary: '统计：各状态/类别/系部项目数，各部门待审查项目，逾期未填的年度评价', load: () => import('./status.js') },
  google: { summary: 'Google：login 用 OAuth 桌面方式登录（令牌仅本人可读）；setup 在共享表格上建立登记表', load: () => import('./google.js') },
  templates: { summary: '协议模板：upload 把 templates/*.docx 转为 Google 文档并把 ID 记入设置', load: () => import('./templates.js') },
  demo: { summary: '用内置样例数据演示完整流程（npm start 运行的就是它）', load: () => import('./demo.js') },
};
