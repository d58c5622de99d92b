/** `coop submit ID…`: submits draft projects for review after checking every rule and the partner's 诚信状况. */
import { workflowCommand } from './workflow-command.js';

export const command = workflowCommand({
  usage: 'coop submit 项目编号… [--by EMAIL] [--registry PATH]',
  description:
    '提交审查（第十五条）：逐项检查项目信息完整、符合全部规则，且合作单位诚信状况不是「不良」；通过后状态变为「待审查」并记入审批记录。' +
    '一次提交多个项目时，只要有一个不能提交，全部不提交，并列出每个项目的原因。',
  projects: 'many',
  request: () => ({ type: 'submit' }),
});
