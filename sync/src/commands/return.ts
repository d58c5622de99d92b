/** `coop return ID --reason …`: sends a project under review back to the applicant; every tick is cleared. */
import { BY_FLAG, BY_OPTION, OPTION_TEXT, requiredOption, singleProject } from './options.js';
import { runWorkflow } from './workflow-command.js';
import type { Command } from './command.js';

const usage = 'coop return 项目编号 --reason 原因 [--by EMAIL] [--registry PATH]';

export const command: Command = {
  usage,
  description:
    '退回修改：审查中或待审议的项目退回申请人（状态变为「草稿」），全部审查勾选清除，原因写入「审查意见」和审批记录。合作交流处工作人员或任一审查部门的审查人可以退回。',
  flags: BY_FLAG,
  options: { ...BY_OPTION, reason: { type: 'string' } },
  optionHelp: ['  --reason 原因   退回原因（必填）', OPTION_TEXT.byOption],
  allowPositionals: true,
  async run(ctx) {
    const projectId = singleProject(ctx, usage);
    return runWorkflow(ctx, [projectId], { type: 'return', reason: requiredOption(ctx, 'reason', usage) });
  },
};
