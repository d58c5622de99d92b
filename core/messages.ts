/** Every user-facing Chinese text of the domain, in one place: rule failures, workflow refusals, settings. */
import type { Status } from './enums.js';

export const SETTINGS_TEXT = {
  groups: {
    school: '学校',
    departments: '系部',
    majors: '专业',
    approvers: '审查人',
    office: '合作交流处',
    notInvolved: '不涉及',
    reminders: '提醒',
    templates: '协议模板',
    counters: '编号计数',
    keys: '公钥',
  },
  items: {
    schoolName: '学校名称',
    agreementPrefix: '协议编号前缀',
    department: '系部名称',
    major: '专业名称',
    officeStaff: '工作人员邮箱',
    expiryLeadDays: '协议到期提前提醒（天）',
    reviewPendingDays: '审查超时提醒（天）',
    evaluationDueFrom: '年度评价提醒开始（月-日）',
    partnerCounter: '合作单位',
    projectCounterPrefix: '合作项目',
  },
  notes: {
    schoolName: '协议甲方名称',
    agreementPrefix: '协议编号形如 ZQLG-HZ-2024-001',
    list: '每行一项，可增删；下拉列表随之更新（重新运行初始化/修复）',
    approvers: '该部门审查人的邮箱，多个用逗号分隔；只有这里列出的人可以勾选该部门的审查列',
    office: '合作交流处工作人员邮箱，多个用逗号分隔；可记录会议审议、登记签署、终止',
    notInvolved: '该类别不需要审查的部门，多个用顿号分隔；留空表示七个部门都要审查',
    expiryLeadDays: '协议在该天数内到期时提醒',
    reviewPendingDays: '提交后超过该天数仍未审查完毕时提醒',
    evaluationDueFrom: '每年从该日起提醒填报当年年度评价，12月31日截止',
    counters: '系统记录的已分配编号最大值，请勿修改',
    keys: '设置项填邮箱，值填 coop key new 输出的公钥（ed25519:…）；换钥时新旧并列，撤销时在公钥后加「 撤销于 YYYY-MM-DD」',
  },
  unknownGroup: (group: string) => `设置中的分组「${group}」无法识别`,
  unknownItem: (group: string, item: string) => `设置「${group}」中的「${item}」无法识别`,
  unknownDepartment: (name: string) => `「${name}」不是审查部门（应为：教务处、组织部（人事处）、计财处、国资处、科研处、学生（学工）处、招就处）`,
  unknownCategory: (name: string) => `「${name}」不是合作类别`,
  badNumber: (item: string, value: string) => `设置「${item}」应为非负整数，现为「${value}」`,
  badMonthDay: (item: string, value: string) => `设置「${item}」应为「月-日」格式（如 12-01），现为「${value}」`,
} as const;

/** Rule names as printed in validation reports. */
export const RULE_TEXT = {
  required: '必填',
  requiredUnless: (header: string, value: string) => `必填（${header}为「${value}」时可不填）`,
  enum: (allowed: readonly string[]) => `应为以下之一：${allowed.join('、')}`,
  list: (name: string, allowed: readonly string[]) => `应为设置中的${name}之一：${allowed.join('、')}`,
  date: '应为日期，格式 YYYY-MM-DD（如 2024-03-01）',
  timestamp: '应为时间，格式 YYYY-MM-DD HH:mm:ss',
  money: '应为不小于 0 的金额，最多两位小数',
  integer: '应为不小于 0 的整数',
  year: '应为四位年份',
  checkbox: '应为勾选框（TRUE/FALSE）',
  email: '电子邮箱格式不正确',
  phone: '应为大陆手机号（11位）、带区号的固定电话（如 0758-2345678）或国际号码（如 +49 30 12345678）',
  foreignPhone: '境外机构的联系电话请写成国际格式「+国家代码 号码」（如 +49 30 12345678）',
  dateRange: (min: string, max: string) => `日期应在 ${min} 至 ${max} 之间`,
  tooLong: (length: number, limit: number) => `文字过长（${length} 个字符），一个单元格最多 ${limit} 个字符`,
  didYouMean: (option: string) => `；您是否指「${option}」`,
  creditCodeLength: '统一社会信用代码应为 18 位',
  creditCodeCharset: '统一社会信用代码含非法字符（不使用 I、O、Z、S、V）',
  creditCodeCheck: (expected: string) => `统一社会信用代码校验位错误（按 GB 32100-2015 应为「${expected}」）`,
  id: '编号格式不正确',
  partnerIdFormat: '单位编号应形如 P0001',
  projectIdFormat: '项目编号应形如 HZ2024-001',
  text: '应为文本',
  link: '应为链接',
  unique: '与其他行重复',
  uniqueName: (otherRow: string) => `单位名称与${otherRow}重复（忽略空格与全角/半角括号）`,
  uniqueId: (otherRow: string) => `编号与${otherRow}重复`,
  ref: (sheet: string, id: string) => `${sheet}中没有编号为「${id}」的记录`,
  endBeforeStart: '结束日期不能早于开始日期',
  practiceBase: '实践教学基地须具备实践教学场所和合格指导教师（第九条），两项均应为「是」',
  evaluationDuplicate: (projectId: string, year: number) => `项目 ${projectId} 的 ${year} 年度评价重复`,
  unregisteredTick: '未登记的审查：该勾选没有对应的审批记录，不计入审查',
  row: (n: number | undefined) => (n === undefined ? '新行' : `第 ${n} 行`),
} as const;

/** Workflow refusals: each names the project, its status and what is allowed. */
export const WORKFLOW_TEXT = {
  notAllowed: (projectId: string, status: Status, action: string, allowed: readonly string[]) =>
    `项目 ${projectId} 当前状态为「${status}」，不能${action}${allowed.length ? `；当前可以：${allowed.join('、')}` : ''}`,
  invalidForSubmit: (projectId: string) => `项目 ${projectId} 的信息不完整或有误，不能提交审查`,
  badIntegrity: (projectId: string, partner: string) => `项目 ${projectId} 的合作单位「${partner}」诚信状况为「不良」，不得新立项目（第六条（一））`,
  partnerMissing: (projectId: string, partnerId: string) => `项目 ${projectId} 的合作单位 ${partnerId} 不存在`,
  notApprover: (actor: string, department: string) => `${actor} 不是${department}的审查人，不能勾选${department}审查列（已记录为越权尝试）`,
  notOffice: (actor: string, action: string) => `${actor} 不是合作交流处工作人员，不能${action}`,
  departmentNotRequired: (projectId: string, department: string, category: string) =>
    `项目 ${projectId} 的类别「${category}」设置为${department}不涉及，无需${department}审查`,
  alreadyTicked: (projectId: string, department: string) => `项目 ${projectId} 已有${department}的审查记录`,
  notTicked: (projectId: string, department: string) => `项目 ${projectId} 没有${department}的审查记录，无法撤销`,
  practiceConditions: (site: string, instructors: string) => `${site}/${instructors}：第九条两项条件均须为「是」`,
  reasonRequired: '请填写退回或终止的原因',
  minutesRequired: '请填写会议纪要编号',
  meetingOrder: (projectId: string) => `项目 ${projectId} 须先经校长办公会审议通过，再提交党委会`,
  meetingRepeated: (projectId: string, body: string) => `项目 ${projectId} 已记录${body}审议结果`,
  signDateRequired: '请填写签署日期（YYYY-MM-DD）',
  agreementNoRequired: '历史登记须填写协议编号',
  contentLocked: (projectId: string, status: Status) => `项目 ${projectId} 已「${status}」，合作内容不能再修改；如需变更请重新立项或终止`,
  actions: {
    submit: '提交审查',
    tick: '勾选审查',
    untick: '撤销审查',
    return: '退回修改',
    edit: '修改合作内容',
    meeting: '记录会议审议',
    sign: '登记签署',
    terminate: '终止项目',
    historical: '历史登记已签协议',
    integrity: '变更合作单位诚信状况',
  },
  integrityReasonRequired: '请用 --reason 写明变更诚信状况的原因',
  integrityUnchanged: (partnerId: string, level: string) => `合作单位 ${partnerId} 的诚信状况已经是「${level}」`,
  remarks: {
    returned: (reason: string) => `退回原因：${reason}`,
    meeting: (body: string, decision: string, minutes: string) => `${body}${decision}，纪要号 ${minutes}`,
    signed: (agreementNo: string, date: string) => `协议编号 ${agreementNo}，签署日期 ${date}`,
    integrity: (from: string, to: string, reason: string) => `诚信状况：${from || '（空）'} → ${to}；原因：${reason}`,
    historical: (agreementNo: string, date: string, source: string) => `系统启用前已签署：协议编号 ${agreementNo}，签署日期 ${date}；来源文件 ${source}`,
    contentChanged: (headers: readonly string[]) => `修改了：${headers.join('、')}；全部审查勾选已清除`,
    trespass: (department: string) => `试图勾选${department}审查列`,
    trespassAction: (action: string) => `试图${action}（无权限）`,
  },
} as const;

/**
 * What the system writes into cell notes, each line behind its mark so a person's own note text survives:
 * the review stamp (written beside every logged tick, by the sheet's edit trigger and by the CLI alike) and validation marks.
 */
export const NOTE_MARKS = { invalid: '【校验】', stamp: '【审查】' } as const;

export const NOTE_TEXT = {
  stamp: (department: string, actor: string, time: string) => `${department}审查通过 · ${actor} · ${time}`,
  problem: (rule: string, message: string) => `${rule}：${message}`,
} as const;

/** The note of a review cell ticked by a logged 审查通过. */
export function reviewStampNote(department: string, actor: string, time: string): string {
  return NOTE_MARKS.stamp + NOTE_TEXT.stamp(department, actor, time);
}

/** Text the registry's layout puts into sheets, the same from every setup (exceljs, Sheets API, Apps Script). */
export const LAYOUT_TEXT = {
  systemColumn: '由系统按流程填写，请勿手工修改',
} as const;
