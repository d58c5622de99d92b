/** `coop renew ID`: 续签 — a new draft project linked to the old one, partner, category, content and leader copied. */
import { RENEWAL_TEXT } from '../../../core/index.js';
import { singleProject } from './options.js';
import { renewProject } from '../ops/renew.js';
import { openStore } from '../stores/open.js';
import type { Command } from './command.js';

const usage = 'coop renew 项目编号 [--registry PATH]';

export const command: Command = {
  usage,
  description:
    '续签：为「已生效」或「已到期」的项目新建一个「草稿」项目，复制合作单位、类别、合作内容、负责人等，' +
    '期限从原协议结束的次日起、与原期限等长，「前序项目」记为原项目编号。新项目仍须提交审查、会议审议和签署。',
  options: {},
  optionHelp: [],
  allowPositionals: true,
  async run(ctx) {
    const r = await renewProject(openStore(ctx.values.registry as string), singleProject(ctx, usage).trim().toUpperCase(), ctx.now);
    ctx.output.out(`✔ ${RENEWAL_TEXT.renewed(r.from, r.projectId, r.startDate, r.endDate)}`);
    return 'ok';
  },
};
