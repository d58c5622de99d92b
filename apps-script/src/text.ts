/** Chinese text of the Google Sheets adapter: menu, dialogs, toasts, mails. Domain text stays in core/messages.ts. */

export const MENU_TEXT = {
  title: '合作交流',
  setup: '初始化/修复登记表',
  newProject: '新建合作项目',
  validateAll: '校验全部',
  repairLog: '审批记录更正',
  submit: '提交审查',
  return: '退回修改',
  meeting: '记录会议审议',
  sign: '登记签署',
  agreement: '生成合作协议',
  renew: '续签项目',
  reminderChannels: '提醒渠道密钥',
  evaluations: '年度评价',
  evaluationsOverdue: '检查逾期',
  evaluationsRemind: '发送提醒',
  installTriggers: '安装触发器',
  approveMine: '本部门审查通过',
  returnMine: '本部门退回',
  help: '帮助',
  dashboard: '刷新统计看板',
  sidebar: '合作交流助手',
} as const;

/** Reviews from the menu, for personal Google accounts (the edit trigger cannot tell who ticked). */
export const IDENTITY_TEXT = {
  tickUnverifiedToast:
    '无法确认勾选人的身份（使用个人 Google 账号时，表格不会告诉系统是谁勾选的），勾选已撤销。请选中项目所在行，用菜单「合作交流 ▸ 本部门审查通过 / 本部门退回」办理。',
  noIdentity: 'Google 没有提供您的账号邮箱，无法记录审查。请先登录 Google 账号，并在弹出的授权窗口中允许本脚本查看您的邮箱后再试。',
  notApprover: (actor: string) => `${actor} 不在「设置 › 审查人」中，不能办理部门审查。`,
  notApproverOf: (actor: string, department: string) => `${actor} 不是「${department}」的审查人。`,
  noProject: (id: string) => `「合作项目」中没有编号为 ${id || '（空）'} 的项目。`,
  chooseDepartmentLead: '您是多个部门的审查人',
  chooseDepartment: (departments: readonly string[]) => `您是多个部门的审查人（${departments.join('、')}），请输入本次审查的部门名称。`,
  promptDepartmentTitle: '本部门审查通过',
  promptReturnTitle: '本部门退回',
  promptReturn: (id: string) => `请填写退回项目 ${id} 的原因（将记入「审批记录」并写入「审查意见」）：`,
  queued: (id: string) => `已受理项目 ${id} 的审查，约 1 分钟内由系统记入登记表（勾选、签章、状态与审批记录）。`,
  recorded: (id: string) => `已记录项目 ${id} 的审查。`,
  installedByOther: (by: string) =>
    `触发器已由 ${by} 安装，无需重复安装（重复安装会使每次勾选被记录两次）。如需改由本人安装，请由表格所有者点击「安装触发器」。`,
} as const;

export const UI_TEXT = {
  busy: '其他人正在修改登记表，请几秒钟后再试。',
  setupDone: (sheets: number, added: number) => `登记表已就绪：检查了 ${sheets} 个工作表，补充了 ${added} 个缺失的列。数据未被改动。`,
  selectProjectRow: '请先在「合作项目」工作表中选中要操作的项目所在的行（第 2 行起）。',
  noProjectId: (row: number) => `第 ${row} 行没有项目编号，请先用「新建合作项目」登记。`,
  newProjectByTyping: '请在「合作项目」工作表最后一行之后的新行中填写「项目名称」，系统会自动分配项目编号（状态为「草稿」）。',
  newProjectCreated: (id: string, row: number) => `已新建合作项目 ${id}（第 ${row} 行），状态为「草稿」。请填写项目信息后「提交审查」。`,
  officeOnly: (actor: string, action: string) => `${actor || '当前用户'} 不是合作交流处工作人员，不能${action}。如需提交或变更，请联系合作交流处。`,
  promptReturnTitle: '退回修改',
  promptReturn: (id: string) => `请填写项目 ${id} 的退回原因（将写入「审查意见」并通知申请人）：`,
  promptMeetingDecision: (id: string, body: string) => `项目 ${id}：${body}是否审议通过？\n选「是」为通过，选「否」为未通过。`,
  promptMinutes: (id: string, body: string) => `请填写项目 ${id} 的${body}纪要编号：`,
  promptSignTitle: '登记签署',
  promptSign: (id: string, today: string) => `项目 ${id} 的签署日期（YYYY-MM-DD，留空为今天 ${today}）；如协议编号不是系统生成的，可在日期后空一格填写：`,
  cancelled: '已取消，未做任何修改。',
  done: (id: string, status: string) => `项目 ${id} 已更新，当前状态「${status}」。`,
  refusedTitle: '无法执行',
  validateAllDone: (rows: number, problems: number) =>
    problems === 0 ? `已校验 ${rows} 行，没有发现问题。` : `已校验 ${rows} 行，发现 ${problems} 处问题，已在单元格上标注（批注说明原因，底色标红）：`,
  moreProblems: (n: number) => `……另有 ${n} 处，请查看标红的单元格。`,
  validateScope: '（已校验全部工作表：合作单位、合作项目、年度评价、成果登记逐格标记；审查勾选以「审批记录」为准，审批记录本身只核对不标记。）',
  settingsProblems: '「设置」工作表有问题：',
  trespassToast: (message: string) => `已撤销勾选：${message}`,
  refusedToast: (message: string) => `已撤销修改：${message}`,
  systemColumn: (header: string) => `「${header}」由系统按流程填写，不能手工修改；已恢复原值。`,
  logHandEdit:
    '「审批记录」只能由系统写入：手工录入、修改或删除的行不计入，并会使校验链断开、审批操作暂停。如有错误，请由合作交流处核实后用「审批记录更正」处理。',
  loggedColumn: (header: string) => `「${header}」由系统按流程填写，以审批记录为准，不能手工修改或粘贴；已恢复为审批记录记载的值。`,
  systemColumnPaste: (header: string) => `「${header}」由系统按流程填写，粘贴的内容不计入流程；请撤销（Ctrl+Z）。`,
  cannotRevertPaste: (message: string) => `${message}。请撤销这次粘贴（Ctrl+Z）。`,
  unknownUser: '（无法识别的用户）',
  reviewRecorded: (id: string, department: string, status: string) => `已记录 ${department} 对项目 ${id} 的审查，状态「${status}」。`,
  contentChangedToast: (id: string) => `项目 ${id} 的合作内容已修改，全部审查勾选已清除，回到「待审查」，已通知审查人。`,
  triggersInstalled: (created: number, kept: number) =>
    `触发器已安装：新建 ${created} 个，保留 ${kept} 个（编辑时自动审批与校验、每天 7 点发送提醒并更新统计看板、每分钟记录菜单办理的审查、打开表格时为有待审查项目的审查人打开合作交流助手）。`,
  evaluationsNone: '没有逾期或待填报的年度评价。',
  evaluationsList: (overdue: string[], due: string[]) =>
    [overdue.length ? `逾期未填报（${overdue.length}）：\n${overdue.join('\n')}` : '', due.length ? `本年度待填报（${due.length}）：\n${due.join('\n')}` : '']
      .filter(Boolean)
      .join('\n\n'),
  remindersSent: (n: number) => (n ? `已发送 ${n} 封提醒邮件。` : '今天没有需要发送的提醒（或今天已发送过）。'),
  noRecipients: '「设置」中没有填写合作交流处工作人员邮箱，无法发送提醒。',
  quotaLow: (left: number, wanted: number) => `今日邮件配额仅剩 ${left} 封，需要 ${wanted} 封；已优先发给合作交流处，其余明天补发。`,
  agreementNoTemplate: (group: string) =>
    `「设置」的「协议模板」中没有「${group}」或「通用」模板；请把模板 Google 文档的 ID 填到「协议模板」分组中（设置项为模板名称，值为文档 ID）。`,
  agreementNotAllowed: (id: string, status: string) => `项目 ${id} 当前状态为「${status}」，只有「已批准」或「已生效」的项目可以生成正式协议。`,
  agreementDraftConfirm: (id: string, status: string) => `项目 ${id} 尚未批准（当前「${status}」）。是否生成带「草稿」标记的协议供审阅？`,
  agreementErrors: '不能生成协议：',
  agreementDone: (id: string, url: string) => `已生成项目 ${id} 的合作协议：\n${url}\n链接已写入「协议文件」列。`,
  agreementTitle: (id: string, title: string) => `合作协议 ${id} ${title}`,
  partnerNotFound: (id: string, partnerId: string) => `项目 ${id} 的合作单位 ${partnerId || '（未填）'} 在「合作单位」中不存在。`,
  help: [
    '合作交流登记表使用说明',
    '',
    '· 系部工作人员：在「合作单位」「合作项目」中登记；编号由「新建合作项目」分配；填写有误的单元格会标红并在批注中说明原因。',
    '· 审查部门：只有「设置 › 审查人」中列出的人可以勾选本部门的审查列；勾选后系统自动签章（批注）、记入「审批记录」并推进状态。',
    '· 使用个人 Google 账号时系统无法识别勾选人，请选中项目行后用「本部门审查通过」「本部门退回」办理。',
    '· 合作交流处：选中项目所在行后，用「提交审查」「退回修改」「记录会议审议」「登记签署」办理流程。',
    '· 已提交的项目如果修改了合作内容，全部审查勾选会被清除，回到「待审查」，审查人会收到邮件。',
    '· 「状态」「更新时间」、审查与会议列、签署信息由系统填写，请勿手工修改。',
    '· 每天 7 点系统发送提醒：协议即将到期、审查超时、年度评价待填报或逾期。',
    '· 管理员首次使用：先运行「初始化/修复登记表」，在「设置」中填好审查人和合作交流处邮箱，再运行「安装触发器」。',
  ].join('\n'),
  dashboardDone: (charts: number) => `「统计看板」已更新（${charts} 个图表），数字与命令行 coop status 一致。`,
} as const;

export const MAIL_TEXT = {
  subjectReady: (id: string, title: string) => `【合作交流】项目 ${id}「${title}」已完成职能部门审查，待提交会议审议`,
  bodyReady: (id: string, title: string, url: string) =>
    `项目 ${id}「${title}」已由全部相关职能部门审查通过，状态为「待审议」。\n请安排校长办公会、党委会审议。\n\n登记表：${url}`,
  subjectRecheck: (id: string, title: string) => `【合作交流】项目 ${id}「${title}」的合作内容已修改，请重新审查`,
  bodyRecheck: (id: string, title: string, columns: string, url: string) =>
    `项目 ${id}「${title}」在审查过程中修改了：${columns}。\n根据第十五条，全部审查勾选已清除，项目回到「待审查」，请重新审查并勾选。\n\n登记表：${url}`,
  subjectDaily: (date: string) => `【合作交流】每日提醒 ${date}`,
  bodyDaily: (sections: string[], url: string) => `${sections.join('\n\n')}\n\n登记表：${url}\n（本邮件由合作交流登记表每天自动发送，每人每天一封。）`,
  expiring: (lines: string[]) => `以下协议即将到期（${lines.length}）：\n${lines.join('\n')}`,
  expiringLine: (id: string, title: string, end: string) => `· ${id}「${title}」${end} 到期`,
  pending: (department: string, days: number, lines: string[]) =>
    `以下项目提交已超过 ${days} 天，仍待${department}审查（${lines.length}）：\n${lines.join('\n')}`,
  pendingLine: (id: string, title: string, appliedAt: string) => `· ${id}「${title}」${appliedAt} 提交`,
  overdueEvaluations: (lines: string[]) => `以下项目的年度评价已逾期未填报（${lines.length}）：\n${lines.join('\n')}`,
  dueEvaluations: (lines: string[]) => `以下项目须在 12 月 31 日前填报本年度评价（${lines.length}）：\n${lines.join('\n')}`,
  evaluationLine: (id: string, title: string, department: string, year: number) => `· ${id}「${title}」（${department}）${year} 年度`,
  subjectEvaluations: (date: string) => `【合作交流】年度评价填报提醒 ${date}`,
} as const;

/** Note texts live in core: the CLI's Sheets store writes the same review stamps. */
export { NOTE_TEXT } from '../../core/index.js';

export const CHANNEL_TEXT = {
  title: '提醒渠道密钥',
  where: '脚本属性',
  askName: (existing: string[]) =>
    `请输入机器人渠道名称（与「设置 › 提醒渠道」中填写的名称一致）。\n已配置：${existing.length ? existing.join('、') : '（无）'}\nWebhook 地址和密钥只保存在脚本属性中，不写入表格，也不会再显示。`,
  askType: (name: string) => `渠道「${name}」的类型：填「企业微信」或「钉钉」；填「删除」则删除该渠道。`,
  remove: '删除',
  askWebhook: (kind: string) => `请粘贴${kind}机器人的 Webhook 地址：`,
  askSecret: '钉钉机器人「加签」密钥（SEC 开头；未启用加签可留空）：',
  askMobiles: '需要 @ 的手机号（多个用逗号分隔，可留空）：',
  badType: (kind: string) => `类型「${kind}」无法识别，应为「企业微信」或「钉钉」。未做修改。`,
  saved: (name: string, all: string[]) => `已保存渠道「${name}」。当前已配置：${all.join('、')}。`,
  removed: (name: string, all: string[]) => `已删除渠道「${name}」。当前已配置：${all.length ? all.join('、') : '（无）'}。`,
  cancelled: '已取消，未做任何修改。',
  network: (name: string, detail: string) => `渠道「${name}」无法连接或超时（${detail}）`,
  lastErrors: (errors: string[]) => (errors.length ? `上次每日提醒的发送问题：\n${errors.map((e) => `· ${e}`).join('\n')}` : ''),
} as const;

/** 审批记录更正: the office's repair of a broken chain on the sheet. */
export const LOG_REPAIR_TEXT = {
  title: '审批记录更正',
  advice: '请合作交流处核实后用菜单「合作交流 › 审批记录更正」写明核实情况，记录「日志更正」并重新锚定；任何记录都不会被删除。',
  promptReason: (found: string) => `审批记录的校验链断开：${found}\n\n请先核实情况，再写明核实结果（将记入「日志更正」，任何记录都不会被删除）：`,
  promptKeep: (rows: readonly number[]) =>
    `断开处的记录：${rows.map((n) => `第 ${n} 行`).join('、')}。\n经核实这些记录属实、应继续计入吗？\n选「是」继续计入；选「否」则它们不再计入（仍保留在表中）。`,
  reasonRequired: '请写明更正原因（核实了什么），未做任何修改。',
  noHashColumn: '「审批记录」缺少「校验值」列，请先运行「初始化/修复登记表」。',
} as const;
