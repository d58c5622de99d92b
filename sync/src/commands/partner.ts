/** `coop partner integrity 单位编号 等级 --reason …`: the office changes a partner's 诚信状况, logged as 诚信状况变更. */
import { CoopError } from '../../../core/index.js';
import { BY_FLAG, BY_OPTION, OPTION_TEXT, requiredOption } from './options.js';
import { WORKFLOW_VIEW_TEXT } from '../views/workflow-view.js';
import { actingUser, loadConfig } from '../config.js';
import { changeIntegrity } from '../ops/partner-integrity.js';
import { openStore } from '../stores/open.js';
import type { Command } from './command.js';

const usage = 'coop partner integrity 单位编号 良好|一般|不良 --reason 原因 [--by EMAIL] [--registry PATH]';

export const command: Command = {
  usage,
  description:
    '变更合作单位的诚信状况（第六条（一）：「不良」的单位不得新立项目）。只有合作交流处工作人员可以变更，须写原因；变更记入「审批记录」（操作「诚信状况变更」）。导入不会改动已登记单位的诚信状况。',
  flags: BY_FLAG,
  options: { ...BY_OPTION, reason: { type: 'string' } },
  optionHelp: ['  --reason 原因   变更原因（必填）', OPTION_TEXT.byOption],
  allowPositionals: true,
  async run(ctx) {
    const [sub, partner, level, ...rest] = ctx.positionals;
    if (sub !== 'integrity' || !partner || !level || rest.length) throw new CoopError('USAGE', `用法：${usage}`);
    const reason = requiredOption(ctx, 'reason', usage);
    const r = await changeIntegrity(openStore(ctx.values.registry as string), partner, level, reason, actingUser(ctx.values.by, loadConfig()), ctx.now);
    ctx.output.out(`✔ ${r.partnerId} ${r.name}：诚信状况 ${r.from || '（空）'} → ${r.to}`);
    ctx.output.out(WORKFLOW_VIEW_TEXT.logLine(r.log));
    return 'ok';
  },
};
