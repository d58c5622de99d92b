/** `coop init`: creates a registry with the school's defaults, or repairs the layout of an existing one. */
import { createRegistry, repairRegistry } from '../ops/registry-ops.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop init [--registry PATH] [--repair]',
  description: '新建登记表：按规范建立全部工作表、表头、下拉列表，设置页填入学校默认值。',
  options: { repair: { type: 'boolean' } },
  optionHelp: ['  --repair   修复已有登记表：补齐缺失的工作表和列、刷新下拉列表，不改动数据和自建列'],
  async run({ values, output }) {
    const path = values.registry as string;
    if (values.repair) {
      const { addedSheets, addedHeaders } = await repairRegistry(path);
      output.out(`已修复登记表 ${path}`);
      if (addedSheets.length) output.out(`  新增工作表：${addedSheets.join('、')}`);
      if (addedHeaders.length) output.out(`  新增列：${addedHeaders.join('、')}`);
      return 'ok';
    }
    await createRegistry(path);
    output.out(`已创建登记表 ${path}`);
    output.out('下一步：在「设置」工作表中填写各审查部门审查人和合作交流处工作人员的邮箱。');
    return 'ok';
  },
};
