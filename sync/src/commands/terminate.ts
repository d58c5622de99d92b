/** `coop terminate ID --reason …`: ends an approved or signed project early (office staff only). */
import { BY_FLAG, BY_OPTION, OPTION_TEXT, requiredOption, singleProject } from './options.js';
import { runWorkflow } from './workflow-command.js';
import type { Command } from './command.js';

const usage = 'coop terminate 项目编号 --reason 原因 [--by EMAIL] [--registry PATH]';

export const command: Command = {
  usage,
  description: '终止项目：已批准或已生效的项目提前终止，状态变为「已终止」，原因记入审批记录。只有合作交流处工作人员可以终止。',
  flags: BY_FLAG,
  options: { ...BY_OPTION, reason: { type: 'string' } },
  optionHelp: ['  --reason 原因   终止原因（必填）', OPTION_TEXT.byOption],
  allowPositionals: true,
  async run(ctx) {
    const projectId = singleProject(ctx, usage);
    return runWorkflow(ctx, [projectId], { type: 'terminate', reason: requiredOption(ctx, 'reason', usage) });
  },
};
