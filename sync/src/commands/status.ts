/** `coop status`: counts by status, category and department; reviews waiting; evaluations overdue. */
import { printStatus } from '../views/status-view.js';
import { registrySummary } from '../ops/registry-ops.js';
import { openStore } from '../stores/open.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop status [--registry PATH] [--json]',
  description: '统计各状态、类别、系部的项目数，各审查部门待审查的项目，以及逾期未填报的年度评价。',
  options: { json: { type: 'boolean' } },
  optionHelp: ['  --json   以 JSON 输出，便于其他程序读取'],
  async run({ values, output, now }) {
    const summary = await registrySummary(openStore(values.registry as string), now);
    if (values.json) output.out(JSON.stringify(summary, null, 2));
    else printStatus(output, summary);
    return 'ok';
  },
};
