/** `coop export`: writes the print-ready archive workbook of the registry, optionally for one year or status. */
import { defaultArchiveName, exportArchive } from '../ops/export.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop export [--registry PATH] [--out 合作交流档案-2024.xlsx] [--year Y] [--status S]',
  description:
    '导出归档工作簿：封面（学校、导出时间、筛选条件、各表行数、SHA-256 校验值）、合作单位、合作项目（含状态）、审批记录、年度评价、成果登记、统计。' +
    '日期为真实日期，金额带 ¥ 格式，表头冻结并可筛选，A4 横向打印、每页重复表头、页脚「第 N 页 共 M 页」。',
  options: { out: { type: 'string' }, year: { type: 'string' }, status: { type: 'string' } },
  optionHelp: [
    '  --out FILE    输出文件（默认 ./合作交流档案-<年份>.xlsx）',
    '  --year Y      只导出该申请年度的项目（按项目编号中的年份）及其合作单位、记录',
    '  --status S    只导出该状态的项目，如 已生效',
  ],
  async run({ values, output, now }) {
    const year = typeof values.year === 'string' ? Number(values.year) : undefined;
    const status = typeof values.status === 'string' ? values.status : undefined;
    const out = typeof values.out === 'string' ? values.out : defaultArchiveName(now, year);
    const result = await exportArchive(values.registry as string, out, now, { ...(year === undefined ? {} : { year }), ...(status === undefined ? {} : { status }) });
    output.out(`已导出档案 ${result.path}`);
    for (const [sheet, n] of Object.entries(result.counts)) output.out(`  ${sheet}：${n} 行`);
    output.out(`  数据校验值（SHA-256）：${result.digest}`);
    return 0;
  },
};
