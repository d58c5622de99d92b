/** `coop sign ID --date YYYY-MM-DD [--agreement-no …]`: records the signing of an approved project's agreement. */
import { dateOption } from './options.js';
import { workflowCommand } from './workflow-command.js';

const usage = 'coop sign 项目编号 --date YYYY-MM-DD [--agreement-no 协议编号] [--allow-expired] [--by EMAIL] [--registry PATH]';

export const command = workflowCommand({
  usage,
  description:
    '登记签署：已批准的项目签署协议后状态变为「已生效」。协议编号默认按「设置」中的前缀生成（如 ZQLG-HZ-2026-001）。只有合作交流处工作人员可以登记。',
  options: { date: { type: 'string' }, 'agreement-no': { type: 'string' }, 'allow-expired': { type: 'boolean' } },
  optionHelp: [
    '  --date 日期             签署日期，YYYY-MM-DD（必填；不得晚于今天、早于党委会批准日期）',
    '  --agreement-no 编号     协议编号（不填则自动生成；在登记表中必须唯一）',
    '  --allow-expired         补登合作期限已结束的协议（记入审批记录）',
  ],
  request(ctx) {
    const date = dateOption(ctx, 'date', usage);
    const agreementNo = typeof ctx.values['agreement-no'] === 'string' ? ctx.values['agreement-no'].trim() : '';
    const allowExpired = ctx.values['allow-expired'] === true;
    return { type: 'sign', date, ...(agreementNo ? { agreementNo } : {}), ...(allowExpired ? { allowExpired } : {}) };
  },
});
