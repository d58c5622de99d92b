/** `coop review ID --dept 部门`: records (or with --undo withdraws) one department's review of a project. */
import { REVIEW_DEPARTMENT_NAMES } from '../../../core/index.js';
import { choiceOption } from './options.js';
import { workflowCommand } from './workflow-command.js';

const usage = 'coop review 项目编号 --dept 部门 [--undo] [--remark 意见] [--by EMAIL] [--registry PATH]';

export const command = workflowCommand({
  usage,
  description:
    '记录职能部门审查通过（第十五条（二））：只有「设置」中列为该部门审查人的人可以操作，其他人的尝试被拒绝并记为「越权尝试」。' +
    '所需部门全部审查通过后，项目进入「待审议」。--undo 撤销本部门的审查（校长办公会审议前）。',
  options: { dept: { type: 'string' }, undo: { type: 'boolean' }, remark: { type: 'string' } },
  optionHelp: [
    `  --dept 部门     审查部门：${REVIEW_DEPARTMENT_NAMES.join('、')}`,
    '  --undo          撤销本部门的审查',
    '  --remark 意见   审查意见，记入审批记录的备注',
  ],
  request(ctx) {
    const department = choiceOption(ctx, 'dept', REVIEW_DEPARTMENT_NAMES, usage);
    const remark = typeof ctx.values.remark === 'string' && ctx.values.remark.trim() ? ctx.values.remark.trim() : undefined;
    return { type: ctx.values.undo ? 'untick' : 'tick', department, ...(remark ? { remark } : {}) };
  },
});
