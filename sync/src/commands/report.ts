/** `coop report --html FILE`: the office's statistics as one HTML page with charts, for any browser and A4 printing. */
import { CoopError } from '../../../core/index.js';
import { DEFAULT_REPORT_NAME, writeHtmlReport } from '../ops/report.js';
import { openStore } from '../stores/open.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop report --html 合作交流报告.html [--registry PATH]',
  description:
    '生成统计报告网页：各类别项目状态、按状态/系部/年度的项目数、各部门待审查及最久等待天数、即将到期的协议、逾期未填报的年度评价、收支合计，附图表。' +
    '单个文件，不需联网，可用任何浏览器打开，按 A4 打印；数字与 coop status 一致。',
  options: { html: { type: 'string' } },
  optionHelp: ['  --html FILE   输出的网页文件，如 合作交流报告.html'],
  async run({ values, output, now }) {
    if (typeof values.html !== 'string' || !values.html)
      throw new CoopError('USAGE', `请用 --html 指定报告文件，例如：coop report --html ${DEFAULT_REPORT_NAME}`);
    const out = values.html;
    const result = await writeHtmlReport(openStore(values.registry as string), out, now);
    output.out(`已生成统计报告 ${result.path}（项目 ${result.total} 项）`);
    return 'ok';
  },
};
