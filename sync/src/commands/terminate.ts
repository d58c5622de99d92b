/** `coop terminate ID --reason …`: ends an approved or signed project early (office staff only). */
import { requiredOption } from './options.js';
import { workflowCommand } from './workflow-command.js';

const usage = 'coop terminate 项目编号 --reason 原因 [--by EMAIL] [--registry PATH]';

export const command = workflowCommand({
  usage,
  description: '终止项目：已批准或已生效的项目提前终止，状态变为「已终止」，原因记入审批记录。只有合作交流处工作人员可以终止。',
  options: { reason: { type: 'string' } },
  optionHelp: ['  --reason 原因   终止原因（必填）'],
  request: (ctx) => ({ type: 'terminate', reason: requiredOption(ctx, 'reason', usage) }),
});
