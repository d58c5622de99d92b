/** `coop agreement`: fills the category's agreement template for approved projects and records 协议编号 and 协议文件. */
import { dirname, join, resolve } from 'node:path';
import { agreementFolderOf, readSettings } from '../../../core/index.js';
import { generateAgreements } from '../agreements/generate.js';
import { defaultTemplatesDir } from '../agreements/paths.js';
import type { AgreementRenderer } from '../agreements/renderer.js';
import { DocxRenderer } from '../agreements/renderers/docx.js';
import { loadConfig } from '../config.js';
import { openStore, spreadsheetIdOf } from '../stores/open.js';
import type { RegistryStore } from '../stores/store.js';
import { progressRenderer } from '../views/progress-view.js';
import type { Command, CommandContext } from './command.js';

/** Word files beside the registry, or — with the registry on Google, or --google — Google Docs in Drive. */
async function rendererFor(values: CommandContext['values'], store: RegistryStore): Promise<AgreementRenderer & { close(): Promise<void> }> {
  const registry = values.registry as string;
  const pdf = Boolean(values.pdf);
  if (values.google || spreadsheetIdOf(registry)) {
    // Loaded only here, so local agreements never load a Google client.
    const [{ createGoogleClients }, { GoogleDocsRenderer }] = await Promise.all([
      import('../google/clients.js'),
      import('../agreements/renderers/google-docs.js'),
    ]);
    const { settings } = readSettings(await store.read());
    return new GoogleDocsRenderer({
      clients: await createGoogleClients(),
      folderId: (values.folder as string | undefined) ?? (agreementFolderOf(settings) || loadConfig().google?.agreementsFolder) ?? '',
      templates: settings.templates,
      ...(pdf ? { pdfDir: resolve((values.out as string | undefined) ?? '协议') } : {}),
    });
  }
  const baseDir = dirname(resolve(registry));
  return new DocxRenderer({
    templatesDir: (values.templates as string | undefined) ?? defaultTemplatesDir(),
    outDir: resolve((values.out as string | undefined) ?? join(baseDir, '协议')),
    baseDir,
    pdf,
  });
}

export const command: Command = {
  usage: 'coop agreement [项目编号…] [--all-approved] [--out DIR] [--pdf] [--force] [--draft] [--templates DIR] [--google] [--folder ID] [--registry PATH]',
  description:
    '按合作类别选用协议模板，用登记表中的项目、合作单位和设置填写，生成「协议编号_合作单位_项目名称.docx」，并把协议编号和文件路径写回登记表。只为「已批准」或「已生效」的项目生成；有任何问题时不生成任何文件。',
  allowPositionals: true,
  flags: { selection: '--all-approved', folder: '--folder' },
  options: {
    'all-approved': { type: 'boolean' },
    out: { type: 'string' },
    pdf: { type: 'boolean' },
    force: { type: 'boolean' },
    draft: { type: 'boolean' },
    templates: { type: 'string' },
    google: { type: 'boolean' },
    folder: { type: 'string' },
  },
  optionHelp: [
    '  项目编号…          要生成协议的项目（如 HZ2026-001），可列多个',
    '  --all-approved     为全部「已批准」「已生效」的项目生成',
    '  --out DIR          协议输出目录（默认：登记表所在目录下的「协议」）',
    '  --pdf              同时用 LibreOffice 转出 PDF（需已安装 LibreOffice）',
    '  --force            已有协议文件的项目也重新生成（默认跳过）',
    '  --draft            生成送审草稿：任何状态均可，文中标明「草稿」，文件名带「草稿」，不写回登记表',
    '  --templates DIR    协议模板目录（默认：随程序提供的 templates/）',
    '  --google           生成 Google 文档（登记表为 gsheet:表格ID 时自动如此）：复制设置中记录的模板文档并填写，链接写回登记表',
    '  --folder ID        Google 文档协议存放的 Drive 文件夹（默认 coop.config.json 的 google.agreementsFolder）；--pdf 时 PDF 存到 --out（默认 ./协议）',
  ],
  async run({ values, positionals, output, now }) {
    const store = openStore(values.registry as string);
    const renderer = await rendererFor(values, store);
    try {
      const result = await generateAgreements(
        store,
        renderer,
        { projectIds: positionals, allApproved: Boolean(values['all-approved']), force: Boolean(values.force), draft: Boolean(values.draft) },
        now,
        progressRenderer(output).onProgress,
      );
      const drafts = result.generated.filter((a) => a.draft).length;
      output.out(
        `共生成 ${result.generated.length} 份${drafts ? '草稿' : '协议'}，跳过 ${result.skipped.length} 项` +
          (result.generated.length && !drafts ? '；协议编号和文件路径已写入登记表。' : '。'),
      );
      return 'ok';
    } finally {
      await renderer.close();
    }
  },
};
