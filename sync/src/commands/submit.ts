/** `coop submit ID…`: submits draft projects for review after checking every rule and the partner's 诚信状况. */
import { CoopError } from '../../../core/index.js';
import { BY_FLAG, BY_OPTION, OPTION_TEXT } from './options.js';
import { runWorkflow } from './workflow-command.js';
import type { Command } from './command.js';

const usage = 'coop submit 项目编号… [--by EMAIL] [--registry PATH]';

export const command: Command = {
  usage,
  description:
    '提交审查（第十五条）：逐项检查项目信息完整、符合全部规则，且合作单位诚信状况不是「不良」；通过后状态变为「待审查」并记入审批记录。' +
    '一次提交多个项目时，只要有一个不能提交，全部不提交，并列出每个项目的原因。',
  flags: BY_FLAG,
  options: BY_OPTION,
  optionHelp: [OPTION_TEXT.byOption],
  allowPositionals: true,
  async run(ctx) {
    if (!ctx.positionals.length) throw new CoopError('USAGE', OPTION_TEXT.oneProject(usage));
    return runWorkflow(ctx, ctx.positionals, { type: 'submit' });
  },
};
