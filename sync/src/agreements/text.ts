/** Chinese messages of agreement generation (local files and the renderer seam). */
export const AGREEMENT_OP_TEXT = {
  googleFolderMissing: (flag?: string) =>
    `生成 Google 文档协议需要指定 Drive 文件夹：${flag ? `${flag} 文件夹ID，或` : ''}在 coop.config.json 中设置 google.agreementsFolder`,
  noSelection: (flag?: string) => `请指定要生成协议的项目编号，或${flag ? `使用 ${flag} ` : '选择'}为全部已批准的项目生成协议`,
  notFound: (ids: readonly string[]) => `登记表中没有以下项目：${ids.join('、')}`,
  wrongState: (projectId: string, status: string) =>
    `项目 ${projectId} 当前状态为「${status || '空'}」，只有「已批准」或「已生效」的项目才能生成正式协议；如需送审稿，请加 --draft 生成草稿`,
  partnerMissing: (projectId: string, partnerId: string) => `项目 ${projectId} 的合作单位「${partnerId || '空'}」在合作单位表中不存在，无法生成协议`,
  recordLost: (projectId: string, link: string) => `项目 ${projectId} 在生成协议期间已从登记表中删除，协议 ${link} 未能登记；请核对后手工处理该文件`,
  refused: (count: number) => `有 ${count} 个问题，未生成任何协议文件，登记表未修改：`,
  templateMissing: (template: string, path: string) => `找不到协议模板「${template}」（${path}）；请确认模板文件存在，或用 --templates 指定模板目录`,
  forProject: (message: string, projectId: string) => (message.includes(projectId) ? message : `${message}（项目 ${projectId}）`),
  templateUnreadable: (template: string, path: string, reason: string) =>
    `协议模板「${template}」（${path}）无法读取：${reason}。请用 Word、WPS 或 LibreOffice 另存为 .docx`,
  templateSyntax: (template: string, detail: string) => `协议模板「${template}」的占位符写法有误：${detail}（占位符应写作 {{占位符}}）`,
  leftover: (template: string, text: string) =>
    `协议模板「${template}」中的「${text}」无法填写（可能位于批注或文本框中）；请把占位符移到正文、表格或页眉页脚中`,
  templateLogic: (template: string, tag: string) => `协议模板「${template}」含有条件或循环「{{${tag}}}」；模板只能使用简单占位符 {{占位符}}`,
  sofficeMissing: [
    '生成 PDF 需要 LibreOffice，但本机未找到（soffice）。安装方法：',
    '  Windows / macOS：从 https://zh-cn.libreoffice.org/download/ 下载安装 LibreOffice（安装后重新打开命令行窗口）',
    '  Ubuntu / Debian：sudo apt-get install libreoffice-writer fonts-noto-cjk',
    '  或设置环境变量 COOP_SOFFICE 为 soffice 程序的完整路径。',
    '也可以不加 --pdf，只生成 .docx 后在 Word/WPS 中「另存为 PDF」。',
  ],
  pdfFailed: (file: string, reason: string) => `LibreOffice 转换 PDF 失败（${file}）：${reason}`,
} as const;
