/** `coop google setup`: applies the registry layout to the shared Google spreadsheet (run through `coop google`). */
import { CoopError } from '../../../core/errors.js';
import { spreadsheetIdOf } from '../stores/open.js';
import { GSHEET_TEXT as T } from '../gsheet/text.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop google setup [--spreadsheet ID]',
  description:
    'setup：按登记表规范设置共享 Google 表格——补齐工作表和表头、冻结表头、列宽、日期与金额格式、下拉列表（含设置中的系部/专业）、审查列勾选框，' +
    '并保护状态等系统列与审批记录（仅合作交流处可编辑），各审查列仅该部门审查人可勾选。可重复运行：不改动数据和自建列。',
  options: { spreadsheet: { type: 'string' } },
  optionHelp: [
    '  --spreadsheet ID   Google 表格 ID（表格网址中 /d/ 与 /edit 之间的部分）；省略时用 --registry gsheet:ID 或 coop.config.json 中的 registry',
    '  凭据：环境变量 GOOGLE_APPLICATION_CREDENTIALS 指向服务账号密钥文件，或 OAuth 桌面登录（见 docs/部署指南.md）',
  ],
  allowPositionals: true,
  async run({ values, positionals, output }) {
    if (positionals.length !== 1 || positionals[0] !== 'setup') throw new CoopError('USAGE', `用法：${command.usage}`);
    const flag = typeof values.spreadsheet === 'string' ? values.spreadsheet : undefined;
    const id = flag ? spreadsheetIdOf(`gsheet:${flag}`) : spreadsheetIdOf(String(values.registry ?? ''));
    if (!id) throw new CoopError('USAGE', T.setupNeedsId);
    const { setupSpreadsheet } = await import('../ops/google-setup.js');
    const result = await setupSpreadsheet(id);
    output.out(`已按登记表规范设置共享表格 gsheet:${id}`);
    if (result.addedSheets.length) output.out(`  新增工作表：${result.addedSheets.join('、')}`);
    if (result.addedHeaders.length) output.out(`  新增列：${result.addedHeaders.join('、')}`);
    output.out(`  保护范围：新建 ${result.protectionsAdded} 个（已有且无变化的保持不变）`);
    if (!result.changed) output.out('  表格已符合登记表规范，本次没有写入任何改动。');
    if (result.addedSheets.includes('设置'))
      output.out('下一步：在「设置」工作表中填写各审查部门审查人和合作交流处工作人员的邮箱，然后再运行一次本命令以更新保护范围。');
    return 'ok';
  },
};
