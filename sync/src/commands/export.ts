/** `coop export`: writes the print-ready archive workbook of the registry, optionally for one year or status. */
import { defaultArchiveName, exportArchive } from '../ops/export.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop export [--registry PATH] [--out 合作交流档案-2024.xlsx] [--year Y] [--status S] [--pdf]',
  description:
    '导出归档工作簿：封面（学校、导出时间、筛选条件、档号/经办人/审核人/归档日期空栏、各表行数、SHA-256 校验值）、' +
    '登记簿（编号、名称、合作单位、类别、承办系部、期限、状态、协议编号、签署日期，A4 横向、不小于 9 磅、每页重复表头、页脚「第 N 页 共 M 页」）、' +
    '审查与审议（各部门 ✓ / 不涉及 / —，审查人和日期取自审批记录；会议纪要号；签署）、统计；' +
    '合作单位、合作项目、审批记录、年度评价、成果登记的全部字段保存在隐藏的明细工作表中（不打印，可再导入）。',
  flags: { year: '--year', status: '--status', out: '--out' },
  options: { out: { type: 'string' }, year: { type: 'string' }, status: { type: 'string' }, pdf: { type: 'boolean' } },
  optionHelp: [
    '  --out FILE    输出文件（默认 ./合作交流档案-<年份>.xlsx）',
    '  --year Y      只导出合作期限（开始日期至结束日期）与 Y 年有交集的项目及其合作单位、记录；',
    '                未填完整期限的项目按项目编号中的申请年度。没有符合条件的项目时不生成文件，退出码为 1',
    '  --status S    只导出该状态的项目，如 已生效',
    '  --pdf         同时用 LibreOffice 转换为 PDF（与 .xlsx 同名）',
  ],
  async run({ values, output, now }) {
    const year = typeof values.year === 'string' ? Number(values.year) : undefined;
    const status = typeof values.status === 'string' ? values.status : undefined;
    const out = typeof values.out === 'string' ? values.out : defaultArchiveName(now, year);
    const result = await exportArchive(
      values.registry as string,
      out,
      now,
      { ...(year === undefined ? {} : { year }), ...(status === undefined ? {} : { status }) },
      { pdf: values.pdf === true },
    );
    output.out(`已导出档案 ${result.path}`);
    if (result.pdfPath) output.out(`  PDF：${result.pdfPath}`);
    for (const [sheet, n] of Object.entries(result.counts)) output.out(`  ${sheet}：${n} 行`);
    output.out(`  数据校验值（SHA-256）：${result.digest}`);
    return 'ok';
  },
};
