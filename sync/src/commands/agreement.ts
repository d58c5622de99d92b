/** `coop agreement`: fills the category's agreement template for approved projects and records 协议编号 and 协议文件. */
import { dirname, join, resolve } from 'node:path';
import { generateAgreements } from '../agreements/generate.js';
import { defaultTemplatesDir } from '../agreements/paths.js';
import { DocxRenderer } from '../agreements/renderers/docx.js';
import { openStore } from '../stores/open.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop agreement [项目编号…] [--all-approved] [--out DIR] [--pdf] [--force] [--draft] [--templates DIR] [--registry PATH]',
  description:
    '按合作类别选用协议模板，用登记表中的项目、合作单位和设置填写，生成「协议编号_合作单位_项目名称.docx」，并把协议编号和文件路径写回登记表。只为「已批准」或「已生效」的项目生成；有任何问题时不生成任何文件。',
  allowPositionals: true,
  options: {
    'all-approved': { type: 'boolean' },
    out: { type: 'string' },
    pdf: { type: 'boolean' },
    force: { type: 'boolean' },
    draft: { type: 'boolean' },
    templates: { type: 'string' },
  },
  optionHelp: [
    '  项目编号…          要生成协议的项目（如 HZ2026-001），可列多个',
    '  --all-approved     为全部「已批准」「已生效」的项目生成',
    '  --out DIR          协议输出目录（默认：登记表所在目录下的「协议」）',
    '  --pdf              同时用 LibreOffice 转出 PDF（需已安装 LibreOffice）',
    '  --force            已有协议文件的项目也重新生成（默认跳过）',
    '  --draft            生成送审草稿：任何状态均可，文中标明「草稿」，文件名带「草稿」，不写回登记表',
    '  --templates DIR    协议模板目录（默认：随程序提供的 templates/）',
  ],
  async run({ values, positionals, output, now }) {
    const registry = values.registry as string;
    const baseDir = dirname(resolve(registry));
    const renderer = new DocxRenderer({
      templatesDir: (values.templates as string | undefined) ?? defaultTemplatesDir(),
      outDir: resolve((values.out as string | undefined) ?? join(baseDir, '协议')),
      baseDir,
      pdf: Boolean(values.pdf),
    });
    try {
      const result = await generateAgreements(
        openStore(registry),
        renderer,
        { projectIds: positionals, allApproved: Boolean(values['all-approved']), force: Boolean(values.force), draft: Boolean(values.draft) },
        now,
        (e) => {
          if (e.type === 'generated') {
            const pdf = e.agreement.pdfLink ? `，PDF：${e.agreement.pdfLink}` : '';
            output.out(`✔ ${e.agreement.projectId} ${e.agreement.draft ? '草稿' : `协议 ${e.agreement.agreementNo}`} → ${e.agreement.link}${pdf}`);
          } else output.out(`· ${e.projectId} 已有协议 ${e.link}，跳过（如需重新生成请加 --force）`);
        },
      );
      const drafts = result.generated.filter((a) => a.draft).length;
      output.out(
        `共生成 ${result.generated.length} 份${drafts ? '草稿' : '协议'}，跳过 ${result.skipped.length} 项` +
          (result.generated.length && !drafts ? '；协议编号和文件路径已写入登记表。' : '。'),
      );
      return 0;
    } finally {
      await renderer.close();
    }
  },
};
