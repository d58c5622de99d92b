/** `coop review ID --dept 部门`: records (or with --undo withdraws) one department's review of a project. */
import { REVIEW_DEPARTMENT_NAMES } from '../../../core/index.js';
import { BY_FLAG, BY_OPTION, OPTION_TEXT, choiceOption, singleProject } from './options.js';
import { runWorkflow } from './workflow-command.js';
import type { Command } from './command.js';

const usage = 'coop review 项目编号 --dept 部门 [--undo] [--remark 意见] [--by EMAIL] [--registry PATH]';

export const command: Command = {
  usage,
  description:
    '记录职能部门审查通过（第十五条（二））：只有「设置」中列为该部门审查人的人可以操作，其他人的尝试被拒绝并记为「越权尝试」。' +
    '所需部门全部审查通过后，项目进入「待审议」。--undo 撤销本部门的审查（校长办公会审议前）。',
  flags: BY_FLAG,
  options: { ...BY_OPTION, dept: { type: 'string' }, undo: { type: 'boolean' }, remark: { type: 'string' } },
  optionHelp: [
    `  --dept 部门     审查部门：${REVIEW_DEPARTMENT_NAMES.join('、')}`,
    '  --undo          撤销本部门的审查',
    '  --remark 意见   审查意见，记入审批记录的备注',
    OPTION_TEXT.byOption,
  ],
  allowPositionals: true,
  async run(ctx) {
    const projectId = singleProject(ctx, usage);
    const department = choiceOption(ctx, 'dept', REVIEW_DEPARTMENT_NAMES, usage);
    const remark = typeof ctx.values.remark === 'string' && ctx.values.remark.trim() ? ctx.values.remark.trim() : undefined;
    const type = ctx.values.undo ? 'untick' : 'tick';
    return runWorkflow(ctx, [projectId], { type, department, ...(remark ? { remark } : {}) });
  },
};
