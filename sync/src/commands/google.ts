/** `coop google login`: the OAuth desktop login whose refresh token is cached for later commands, readable only by its owner; `coop google setup` is handed to google-setup.ts. */
import { CoopError } from '../../../core/index.js';
import { desktopLogin } from '../google/login.js';
import { GOOGLE_TEXT as T } from '../google/text.js';
import type { Command } from './command.js';
import { command as setup } from './google-setup.js';

export const command: Command = {
  usage: 'coop google login --client CLIENT_SECRET.json | coop google setup [--spreadsheet ID]',
  description:
    'login：用学校 Google 账号登录（OAuth 桌面应用方式）：在浏览器中授权后，刷新令牌保存在本机用户目录的令牌缓存中（权限 600，仅本人可读），之后的 Google 命令自动使用。已设置 GOOGLE_APPLICATION_CREDENTIALS（服务账号）时无需登录。\n' +
    setup.description,
  options: { client: { type: 'string' }, ...setup.options },
  optionHelp: ['  --client FILE   从 Google Cloud 控制台下载的「桌面应用」OAuth 客户端 JSON（或环境变量 COOP_GOOGLE_OAUTH_CLIENT）', ...setup.optionHelp],
  allowPositionals: true,
  async run(ctx) {
    const { values, positionals, output } = ctx;
    if (positionals[0] === 'setup') return setup.run(ctx);
    if (positionals.length !== 1 || positionals[0] !== 'login') throw new CoopError('USAGE', `用法：${command.usage}`);
    const clientFile = (values.client as string | undefined) ?? process.env.COOP_GOOGLE_OAUTH_CLIENT;
    if (!clientFile) throw new CoopError('USAGE', `请用 --client 指定 OAuth 客户端 JSON 文件。用法：${command.usage}`);
    const path = await desktopLogin({ clientFile, onUrl: (url) => output.out(T.loginOpen(url)) });
    output.out(T.loginDone(path));
    return 'ok';
  },
};
