/** `coop meeting ID --body 校长办公会|党委会 --decision 通过|未通过 --minutes NO`: records a deliberation (office staff only). */
import { MEETING_BODIES, MEETING_DECISIONS } from '../../../core/index.js';
import { DECISION_WORDS, choiceOption, requiredOption } from './options.js';
import { workflowCommand } from './workflow-command.js';

const usage = 'coop meeting 项目编号 --body 校长办公会|党委会 --decision 通过|未通过 --minutes 纪要号 [--by EMAIL] [--registry PATH]';

export const command = workflowCommand({
  usage,
  description:
    '记录会议审议结果（第十五条（三））：先校长办公会、后党委会；两次都通过后项目为「已批准」，任一未通过为「未批准」。只有合作交流处工作人员可以记录。',
  options: { body: { type: 'string' }, decision: { type: 'string' }, minutes: { type: 'string' } },
  optionHelp: ['  --body 会议        校长办公会 或 党委会', '  --decision 结果    通过 或 未通过', '  --minutes 纪要号   会议纪要编号（必填）'],
  request: (ctx) => ({
    type: 'meeting',
    body: choiceOption(ctx, 'body', MEETING_BODIES, usage),
    decision: choiceOption(ctx, 'decision', MEETING_DECISIONS, usage, DECISION_WORDS),
    minutes: requiredOption(ctx, 'minutes', usage),
  }),
});
