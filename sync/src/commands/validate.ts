/** `coop validate`: checks every rule of SPEC.md and lists each problem with its sheet, row, column and rule. */
import { formatProblem } from '../io/problems.js';
import { validateStore } from '../ops/registry-ops.js';
import { openStore } from '../stores/open.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop validate [--registry PATH]',
  description: '按全部规则校验登记表，逐条列出问题（文件、工作表、行、列、规则）；只读，不修改登记表。',
  options: {},
  optionHelp: [],
  async run({ values, output, now }) {
    const store = openStore(values.registry as string);
    const report = await validateStore(store, now);
    for (const p of report.problems) output.out(formatProblem(store.location, p));
    if (report.problems.length) {
      output.out(`共检查 ${report.rowsChecked} 行，发现 ${report.problems.length} 个问题。`);
      return 'problems';
    }
    output.out(`共检查 ${report.rowsChecked} 行，未发现问题。`);
    return 'ok';
  },
};
