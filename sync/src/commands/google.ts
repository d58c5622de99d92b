/**
 * `coop google login`: the OAuth desktop login whose refresh token is cached, readable only by its owner;
 * `coop google setup`: lays the registry out on a shared spreadsheet through the Sheets API.
 */
import { CoopError } from '../../../core/index.js';
import { createGoogleClients } from '../google/clients.js';
import { desktopLogin } from '../google/login.js';
import { setupSpreadsheet } from '../google/sheets-setup.js';
import { GSHEET_PREFIX } from '../stores/open.js';
import { GOOGLE_TEXT as T } from '../google/text.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop google login --client CLIENT_SECRET.json | coop google setup --registry gsheet:表格ID',
  description: [
    'login：用学校 Google 账号登录（OAuth 桌面应用方式）：在浏览器中授权后，刷新令牌保存在本机用户目录的令牌缓存中（权限 600，仅本人可读），之后的 Google 命令自动使用。已设置 GOOGLE_APPLICATION_CREDENTIALS（服务账号）时无需登录。',
    'setup：在共享的 Google 表格上建立登记表：补齐六个工作表和表头，设置表头样式、列宽、日期/金额格式和下拉校验；「设置」为空时填入学校默认值。已有数据和自建列不受影响，可重复运行。',
  ].join('\n'),
  options: { client: { type: 'string' } },
  optionHelp: ['  --client FILE   从 Google Cloud 控制台下载的「桌面应用」OAuth 客户端 JSON（或环境变量 COOP_GOOGLE_OAUTH_CLIENT）'],
  allowPositionals: true,
  async run({ values, positionals, output }) {
    if (positionals.length === 1 && positionals[0] === 'setup') {
      const registry = values.registry as string;
      if (!registry.startsWith(GSHEET_PREFIX)) throw new CoopError('USAGE', `coop google setup 需要 --registry gsheet:表格ID（现为「${registry}」）`);
      const id = registry.slice(GSHEET_PREFIX.length);
      const result = await setupSpreadsheet(await createGoogleClients(), id);
      output.out(`已在 Google 表格 ${id} 上建立登记表布局。`);
      if (result.addedSheets.length) output.out(`  新增工作表：${result.addedSheets.join('、')}`);
      if (result.addedHeaders.length) output.out(`  新增列：${result.addedHeaders.join('、')}`);
      if (result.settingsFilled) output.out('  「设置」已填入学校默认值；请填写各审查部门审查人和合作交流处工作人员的邮箱。');
      return 0;
    }
    if (positionals.length !== 1 || positionals[0] !== 'login') throw new CoopError('USAGE', `用法：${command.usage}`);
    const clientFile = (values.client as string | undefined) ?? process.env.COOP_GOOGLE_OAUTH_CLIENT;
    if (!clientFile) throw new CoopError('USAGE', `请用 --client 指定 OAuth 客户端 JSON 文件。用法：${command.usage}`);
    const path = await desktopLogin({ clientFile, onUrl: (url) => output.out(T.loginOpen(url)) });
    output.out(T.loginDone(path));
    return 0;
  },
};
