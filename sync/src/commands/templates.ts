/** `coop templates upload`: turns templates/*.docx into Google Docs and records their IDs in 设置 (协议模板). */
import { CoopError } from '../../../core/index.js';
import { loadConfig } from '../config.js';
import { createGoogleClients } from '../google/clients.js';
import { GOOGLE_TEXT as T } from '../google/text.js';
import { uploadTemplates } from '../google/templates-upload.js';
import { openStore } from '../stores/open.js';
import { progressRenderer } from '../views/progress-view.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop templates upload [--dir templates] [--folder FOLDER_ID] [--registry R]',
  description:
    '把 templates/ 目录中的 .docx 协议模板上传到 Google 云端硬盘并转换为 Google 文档，再把各模板的文档 ID 记入登记表「设置」的「协议模板」分组（设置项为模板名，即文件名去掉 .docx）。',
  options: { dir: { type: 'string', default: 'templates' }, folder: { type: 'string' } },
  optionHelp: [
    '  --dir DIR         模板目录（默认 ./templates）',
    '  --folder ID       存放模板的 Google 云端硬盘文件夹 ID（或 coop.config.json 的 google.templatesFolder）',
  ],
  allowPositionals: true,
  flags: { dir: '--dir' },
  async run({ values, positionals, output }) {
    if (positionals.length !== 1 || positionals[0] !== 'upload') throw new CoopError('USAGE', `用法：${command.usage}`);
    const folderId = (values.folder as string | undefined) ?? loadConfig().google?.templatesFolder;
    if (!folderId) throw new CoopError('USAGE', T.folderRequired);
    const progress = progressRenderer(output);
    const clients = await createGoogleClients({ retry: { onRetry: (e) => progress.onProgress({ step: 'retry', ...e }) } });
    const store = openStore(values.registry as string);
    const uploaded = await uploadTemplates(clients, store, { dir: values.dir as string, folderId }, progress.onProgress);
    output.out(`共上传 ${uploaded.length} 个协议模板。`);
    return 'ok';
  },
};
