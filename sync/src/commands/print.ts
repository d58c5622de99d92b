/** `coop print approval|agenda|annual`: the printed documents drawn from the registry and its review log. */
import { CoopError } from '../../../core/index.js';
import { PRINT_TEXT as T } from '../excel/text.js';
import { defaultPrintName, printDocument, type PrintRequest } from '../ops/print.js';
import type { Command } from './command.js';

function requestOf(positionals: string[], meeting: unknown): PrintRequest {
  const [kind = '', arg = ''] = positionals;
  if (kind === 'approval') return { kind, projectId: arg };
  if (kind === 'agenda') return { kind, meeting: typeof meeting === 'string' ? meeting : '' };
  if (kind === 'annual') return { kind, year: arg };
  throw new CoopError('USAGE', T.errors.badKind(kind));
}

export const command: Command = {
  usage: 'coop print approval 项目编号 | agenda --meeting 校长办公会|党委会 | annual 年度  [--out FILE.xlsx] [--pdf] [--registry PATH]',
  description:
    '打印文件（Excel，A4，宋体不小于 10 磅，页脚「第 N 页 共 M 页」；加 --pdf 同时用 LibreOffice 转为 PDF）：' +
    'approval 合作项目审批表——项目概况、合作单位、各职能部门审查结论（✓ / 不涉及 / —）、审查人和日期、会议审议及纪要号、协议签署，随协议归档；' +
    'agenda 会议议题材料——等待该会议审议的全部项目，按提交先后，每个项目一页，附各部门审查意见（没有待审议项目时不生成文件，退出码为 1）；' +
    'annual 年度合作报告——该年度在期项目的年度效益评价（第十六条）、成果登记（第十七条）、合计和逾期未填报的年度评价。',
  allowPositionals: true,
  flags: { meeting: '--meeting', out: '--out' },
  options: { out: { type: 'string' }, pdf: { type: 'boolean' }, meeting: { type: 'string' } },
  optionHelp: [
    '  approval 项目编号     合作项目审批表，如 coop print approval HZ2026-001',
    '  agenda --meeting M    M 为 校长办公会 或 党委会（党委会议题为校长办公会已通过的项目）',
    '  annual 年度           年度合作报告，如 coop print annual 2025',
    '  --out FILE            输出文件（默认：合作项目审批表-编号.xlsx、校长办公会议题材料-日期.xlsx、年度合作报告-年度.xlsx）',
    '  --pdf                 同时转为 PDF（与 .xlsx 同名，需已安装 LibreOffice）',
  ],
  async run({ values, positionals, output, now }) {
    const request = requestOf(positionals, values.meeting);
    const out = typeof values.out === 'string' ? values.out : defaultPrintName(request, now);
    const result = await printDocument(values.registry as string, request, out, now, { pdf: values.pdf === true });
    output.out(`已生成 ${result.path}`);
    if (result.pdfPath) output.out(`  PDF：${result.pdfPath}`);
    if (request.kind === 'agenda') output.out(`  议题 ${result.items.length} 项：${result.items.join('、')}`);
    return 'ok';
  },
};
