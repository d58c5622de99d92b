/** Chinese text of the sidebar 合作交流助手 that the server side writes (the page's own labels live in sidebar-client.ts). */
export const SIDEBAR_TEXT = {
  title: '合作交流助手',
  noProject: (id: string) => `找不到项目 ${id}，可能已被删除或修改了编号，请刷新后再试。`,
  selectRow: '请在「合作项目」工作表中选中一个项目所在的行，再点「刷新」。',
  saved: (id: string) => `已登记合作项目 ${id}，状态为「草稿」。填写完整后可由合作交流处「提交审查」。`,
  savedPartner: (id: string, name: string) => `已登记合作单位 ${id}「${name}」。`,
  partnerMissing: (id: string) => `合作单位 ${id} 不存在，请从列表中选择或新登记合作单位。`,
  partnerDuplicate: (name: string, id: string) => `合作单位「${name}」已登记（${id}），请直接选择，不要重复登记。`,
  partnerRequired: '请选择合作单位，或新登记一个合作单位。',
  chainUnavailable: '未启用审批记录校验',
  chainOk: '审批记录校验通过',
  chainBroken: (message: string) => `审批记录校验未通过：${message}`,
  chainExcluded: (n: number) => `本项目有 ${n} 条审批记录未通过校验，不计入流程（已标出）。`,
  untrusted: '未通过校验，不计入',
  queuedProject: (id: string) => `已预留项目编号 ${id}，已提交，约 1 分钟内由系统写入「合作项目」（状态「草稿」）。填写完整后可由合作交流处「提交审查」。`,
  queuedPartner: (id: string, name: string) => `已预留合作单位编号 ${id}「${name}」，将与项目一并写入「合作单位」。`,
  decisionQueued: (id: string) => `已提交，稍后记录：项目 ${id} 的审查约 1 分钟内由系统记入登记表（勾选、签章、状态与审批记录）。`,
} as const;
