/** `coop return ID --reason …`: sends a project under review back to the applicant; every tick is cleared. */
import { requiredOption } from './options.js';
import { workflowCommand } from './workflow-command.js';

const usage = 'coop return 项目编号 --reason 原因 [--by EMAIL] [--registry PATH]';

export const command = workflowCommand({
  usage,
  description:
    '退回修改：审查中或待审议的项目退回申请人（状态变为「草稿」），全部审查勾选清除，原因写入「审查意见」和审批记录。合作交流处工作人员或任一审查部门的审查人可以退回。',
  options: { reason: { type: 'string' } },
  optionHelp: ['  --reason 原因   退回原因（必填）'],
  request: (ctx) => ({ type: 'return', reason: requiredOption(ctx, 'reason', usage) }),
});
