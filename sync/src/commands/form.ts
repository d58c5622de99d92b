/** `coop form`: writes the blank application workbook departments fill in and send back for `coop import`. */
import { DEFAULT_FORM, writeRegistryForm } from '../ops/form.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop form [--out 合作项目申请表.xlsx] [--registry PATH]',
  description:
    '生成供各系部填写的空白申请表：填表说明、「合作单位」和「合作项目」两张填写表（表头与登记表一致，含下拉列表、日期和金额校验、灰色示例行，表头受保护）。' +
    '若登记表存在，下拉列表取自其「设置」；否则用学校默认设置。',
  flags: { out: '--out' },
  options: { out: { type: 'string', default: DEFAULT_FORM } },
  optionHelp: [`  --out FILE   输出文件（默认 ./${DEFAULT_FORM}）`],
  async run({ values, output }) {
    const path = await writeRegistryForm(values.out as string, values.registry as string);
    output.out(`已生成申请表 ${path}`);
    output.out('请发给各系部填写，收回后运行 coop import 文件名.xlsx 导入。');
    return 'ok';
  },
};
