/** `coop log verify` and `coop log repair --reason …`: check 审批记录's hash chain; the office re-anchors it with a 日志更正 entry. */
import { CoopError, LOG_CHAIN_TEXT } from '../../../core/index.js';
import { BY_FLAG, BY_OPTION, OPTION_TEXT } from './options.js';
import { WORKFLOW_VIEW_TEXT } from '../views/workflow-view.js';
import { actingUser, loadConfig } from '../config.js';
import { repairLog, verifyLog } from '../ops/log.js';
import { openStore } from '../stores/open.js';
import type { Command } from './command.js';

const usage = 'coop log verify | coop log repair --reason 核实情况 [--keep] [--by EMAIL] [--registry PATH]';

export const command: Command = {
  usage,
  description:
    'verify：逐行核对「审批记录」的校验链和保存在登记表之外的校验锚点，报告第一处断裂（手工录入、修改、删除、调换或整体改写的记录）。\n' +
    'repair：合作交流处核实后记录一条「日志更正」，重新计算校验链并锚定；不删除任何记录。断链处的记录此后不再计入，除非加 --keep 表示已核实无误。',
  flags: BY_FLAG,
  options: { ...BY_OPTION, reason: { type: 'string' }, keep: { type: 'boolean' } },
  optionHelp: ['  --reason 说明   核实了什么、为何更正（repair 必填）', '  --keep          断链处的记录经核实无误，继续计入', OPTION_TEXT.byOption],
  allowPositionals: true,
  async run(ctx) {
    const { values, positionals, output, now } = ctx;
    const store = openStore(values.registry as string);
    if (positionals.length === 1 && positionals[0] === 'verify') {
      const report = await verifyLog(store);
      if (report.ok) {
        output.out(LOG_CHAIN_TEXT.verified(report.count));
        return 'ok';
      }
      output.out(`${store.location}：${report.break?.message ?? ''}`);
      output.out(LOG_CHAIN_TEXT.brokenAdvice);
      return 'problems';
    }
    if (positionals.length === 1 && positionals[0] === 'repair') {
      const reason = typeof values.reason === 'string' ? values.reason : '';
      const result = await repairLog(store, reason, actingUser(values.by, loadConfig()), now, values.keep === true);
      output.out(LOG_CHAIN_TEXT.repaired(result.found, result.excluded));
      output.out(WORKFLOW_VIEW_TEXT.logLine(result.entry));
      return 'ok';
    }
    throw new CoopError('USAGE', `用法：${usage}`);
  },
};
