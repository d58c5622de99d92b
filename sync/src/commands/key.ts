/** `coop key new [--rotate]`: creates the acting person's Ed25519 key pair and prints the public key for 设置. */
import { CoopError } from '../../../core/index.js';
import { BY_FLAG, BY_OPTION, OPTION_TEXT } from './options.js';
import { actingUser, loadConfig } from '../config.js';
import { createKey } from '../ops/keys.js';
import { KEY_TEXT as T } from '../ops/keys-text.js';
import { requireActor } from '../ops/workflow.js';
import type { Command } from './command.js';

const usage = 'coop key new [--rotate] [--by EMAIL]';

export const command: Command = {
  usage,
  description:
    '生成个人签名密钥（Ed25519）。私钥保存在本机用户配置目录（仅本人可读）；公钥由合作交流处登记到「设置」的「公钥」分组后，此人的审查、会议记录和签署须带其签名才计入。',
  flags: { ...BY_FLAG, rotate: '--rotate' },
  options: { ...BY_OPTION, rotate: { type: 'boolean' } },
  optionHelp: ['  --rotate   换钥：旧私钥改名保留，生成新密钥', OPTION_TEXT.byOption],
  allowPositionals: true,
  async run({ values, positionals, output, now }) {
    if (positionals.length !== 1 || positionals[0] !== 'new') throw new CoopError('USAGE', `用法：${usage}`);
    const email = requireActor(actingUser(values.by, loadConfig()));
    const key = await createKey(email, values.rotate === true, now);
    output.out(T.created(key.path));
    if (key.retired) output.out(T.retired(key.retired));
    output.out(T.listHint(email, key.listed));
    return 'ok';
  },
};
