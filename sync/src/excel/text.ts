/** Chinese text that workbooks show: validation errors, header notes. */
import type { ColumnSpec } from '../../../core/index.js';
import { RULE_TEXT, STATUSES } from '../../../core/index.js';

export const EXCEL_TEXT = {
  invalidTitle: '输入不符合要求',
  invalidMessage: (column: ColumnSpec): string => {
    switch (column.type) {
      case 'enum':
        return `「${column.header}」${RULE_TEXT.enum(column.enum ?? [])}`;
      case 'list':
        return `「${column.header}」请从下拉列表中选择（列表在「设置」中维护）`;
      case 'checkbox':
        return `「${column.header}」只能为 TRUE 或 FALSE`;
      case 'date':
        return `「${column.header}」${RULE_TEXT.date}`;
      case 'money':
        return `「${column.header}」${RULE_TEXT.money}`;
      case 'integer':
        return `「${column.header}」${RULE_TEXT.integer}`;
      case 'year':
        return `「${column.header}」${RULE_TEXT.year}`;
      default:
        return `「${column.header}」格式不正确`;
    }
  },
  systemColumn: '由系统填写，请勿手工修改',
} as const;

/** Messages of reading department forms, archives and hand-typed registers. */
export const IMPORT_TEXT = {
  notFound: (file: string) => `找不到文件 ${file}，请检查路径`,
  empty: (file: string) => `文件 ${file} 是空文件（0 字节），请确认保存完整后再导入`,
  encrypted: (file: string) => `文件 ${file} 设置了打开密码（已加密），无法读取。请在 Excel 或 WPS 中打开，取消「用密码进行加密」后另存为 .xlsx 再导入`,
  notWorkbookZip: (file: string) =>
    `文件 ${file} 不是电子表格（可能是 Word 文档或压缩包）。请在 Excel、WPS 或 LibreOffice 中打开表格，「另存为」.xlsx 后再导入`,
  notXlsx: (file: string) => `文件 ${file} 不是 Excel 工作簿（.xlsx/.xls）、OpenDocument 表格（.ods）或 CSV 文件。请在 Excel 或 WPS 中「另存为」.xlsx 后再导入`,
  corrupt: (file: string, reason: string) => `文件 ${file} 已损坏或不是有效的 .xlsx（${reason}）。请在 Excel 或 WPS 中打开并重新「另存为」.xlsx 后再导入`,
  emptyWorkbook: (file: string) => `文件 ${file} 中没有任何数据（所有工作表都是空的）`,
  noHeader: (file: string, expected: string) =>
    `文件 ${file} 中找不到可识别的表头。导入需要一行表头，列名如：${expected}。请对照 coop form 生成的申请表，或在数据上方加一行表头后再导入`,
  partnerUnknown: (name: string) => `合作单位「${name}」尚未登记：请在「合作单位」表中一并填写该单位，或填写已登记单位的编号`,
  partnerMissing: '请填写合作单位编号或合作单位名称',
  integrityLevel: (level: string, allowed: readonly string[], hint?: string) =>
    `诚信状况「${level}」无效，应为 ${allowed.join('、')} 之一${hint ? `；您是否指「${hint}」` : ''}`,
  partnerNotFound: (ref: string) => `登记表中没有单位编号或名称为「${ref}」的合作单位`,
  historicalHint: '；系统启用前已签署的协议，请由合作交流处用 coop import --historical 登记',
  historicalNeedsBoth: '历史登记须同时填写「协议编号」和「签署日期」',
  historicalOfficeOnly: (actor: string) => (flag?: string) =>
    `${actor} 不是「设置」中的合作交流处工作人员：只有合作交流处可以${flag ? `用 ${flag} ` : '作历史登记、'}登记已签署的协议`,
  errorCell: (error: string) => `单元格是错误值 ${error}（公式出错或引用失效），请改为实际内容`,
  digitsCut: (header: string) =>
    `「${header}」被 Excel 当作数字保存，超过 15 位的数字已被截断，无法还原原来的号码。请把该列设为「文本」格式（或在号码前加英文单引号 '）后重新输入完整号码`,
  partnerRefused: (name: string, where: string, why: string) => `合作单位「${name}」在本文件${where}，但该行未能导入（${why}）：请先改正该单位的信息`,
  integrityAssumed: (level: string) => `文件未填写诚信状况，新登记的合作单位按「${level}」登记，请合作交流处核实`,
  integrityKept: (current: string) =>
    `已登记合作单位的诚信状况只能由合作交流处变更（coop partner integrity），导入不予修改，仍为「${current}」；本行其余内容已导入`,
  practicePending: '实践教学基地的第九条两项条件（具备实践教学场所、具备合格指导教师）尚未填写为「是」：已作为草稿登记，提交审查前须补填',
  idNotKept: (id: string) => `文件中的编号「${id}」不是登记表中的编号：编号由系统分配，已按新记录分配新编号`,
  sheetNotRecognised: (sheet: string, expected: string) => `工作表「${sheet}」有数据，但找不到可识别的表头（需要如：${expected}），该表未导入`,
  partnersFromRows: (n: number) => `从合作项目行中的单位信息新登记合作单位 ${n} 个`,
  protectedColumn: (header: string) => `导入不能设置「${header}」：审查、会议、签署和状态只能通过审批流程办理，请清空该列后再导入`,
  submittedContent: (projectId: string, status: string) => `项目 ${projectId} 已「${status}」，导入不能修改其合作内容；如需变更请通过审批流程办理`,
  duplicateInImport: (where: string) => `与本次导入中的 ${where} 是同一条记录，重复填写`,
  projectMissing: (id: string) => `项目编号「${id}」在登记表中不存在`,
  strictAborted: (n: number) => `严格模式：有 ${n} 行被拒绝，本次导入未写入任何内容`,
  sheetSkipped: (sheet: string, why: string) => `工作表「${sheet}」${why}`,
  reviewLogSkipped: '是审批记录，只能由审批流程写入，已跳过',
  problemColumn: '问题',
  rejectsTitle: '导入问题',
} as const;

/** Text of the blank application form departments fill in. */
export const FORM_TEXT = {
  guideSheet: '填表说明',
  title: (school: string) => `${school} 对外交流合作项目申请表`,
  intro: [
    '本工作簿由合作交流登记系统生成，表头与学校登记表一致，请勿修改、删除或调整表头行。',
    '第 2 行灰色斜体为填写示例，导入时自动跳过；请从第 3 行起逐行填写，一行一条记录。',
    '带下拉箭头的列请从列表中选择；日期请按 2024-03-01 的格式填写；金额填写数字（单位：元），不要加“元”字。',
    '新合作单位：在「合作单位」表填写一行，「合作项目」表的「合作单位编号」留空，「合作单位名称」填写与之完全相同的名称。',
    '已登记的合作单位：在「合作项目」表填写其「合作单位编号」（如 P0001）即可，不必重复填写「合作单位」表。',
    '审查、会议、签署和状态由合作交流处在系统中办理，本表不含这些列。',
    '填好后交合作交流处，由其运行 coop import 导入；有问题的行会退回并注明原因，改正后再交即可。',
  ],
  columnsHeader: ['工作表', '列名', '是否必填', '填写要求'],
  required: '必填',
  optional: '选填',
  lookup: '新单位填写名称；已登记单位可只填编号',
  rules: {
    enum: (values: readonly string[]) => `从下拉列表选择：${values.join('、')}`,
    list: (values: readonly string[]) => `从下拉列表选择：${values.join('、')}`,
    date: '日期，如 2024-03-01',
    money: '金额（元），不小于 0，最多两位小数',
    integer: '不小于 0 的整数',
    year: '四位年份，如 2024',
    email: '电子邮箱，如 name@example.com',
    phone: '手机号（11 位）或带区号的固定电话（如 0758-2345678）',
    creditCode: '统一社会信用代码（末位为校验码）',
    id: '编号，如 P0001',
    text: '文字',
  } as Record<string, string | ((v: readonly string[]) => string)>,
  datePrompt: '请输入日期，如 2024-03-01',
  moneyPrompt: '请输入金额（元），如 15000 或 15000.50',
  integerPrompt: '请输入不小于 0 的整数',
} as const;

/** Text of the archive workbook. */
export const ARCHIVE_TEXT = {
  badYear: (flag?: string) => `${flag ? `${flag} ` : '导出年度'}应为四位年份，如 2024`,
  badStatus: (flag?: string) => `${flag ? `${flag} ` : '导出的项目状态'}应为以下之一：${STATUSES.join('、')}`,
  cover: '封面',
  stats: '统计',
  title: (school: string) => `${school} 对外交流合作档案`,
  labels: {
    school: '学校',
    exportedAt: '导出时间',
    filters: '筛选条件',
    noFilter: '全部（未筛选）',
    year: (y: number) => `合作期限与 ${y} 年有交集的项目`,
    status: (s: string) => `状态为「${s}」的项目`,
    archiveNo: '档号',
    handler: '经办人',
    checker: '审核人',
    archivedOn: '归档日期',
    archiveBlanks: '归档信息（由档案室填写）',
    printNote:
      '打印内容：封面、登记簿、审查与审议、统计。明细工作表（合作单位、合作项目、审批记录、年度评价、成果登记）保存全部字段供核对和再导入，已隐藏、不打印；右键工作表标签选「取消隐藏」可查看。',
    counts: '各工作表行数',
    sheet: '工作表',
    rows: '行数',
    digest: '数据校验值（SHA-256）',
    digestNote: '按各工作表数据计算；数据被改动后校验值将不同',
    generator: '生成程序',
  },
  statsTitles: {
    categoryStatus: '合作类别 × 状态（项目数）',
    department: '按承办系部',
    year: '按申请年度',
    money: '金额合计（元）',
    overdue: '逾期未填报的年度评价',
  },
  category: '合作类别',
  department: '承办系部',
  year: '申请年度',
  total: '合计',
  projects: '项目数',
  income: '预计收入合计',
  expense: '预计支出合计',
  noOverdue: '（无）',
  overdueHeaders: ['项目编号', '项目名称', '承办系部', '年度'],
  footer: '第 &P 页 共 &N 页',
  register: '登记簿',
  registerTitle: (school: string) => `${school} 对外合作项目登记簿`,
  registerHeaders: ['编号', '名称', '合作单位', '类别', '承办系部', '期限', '状态', '协议编号', '签署日期'],
  term: (start: string, end: string) => `${start}\n至${end}`,
  reviews: '审查与审议',
  reviewsTitle: '职能部门审查与会议审议（据审批记录）',
  reviewHeaders: ['项目编号', '项目名称', '环节', '结论', '审查人 / 经办人', '日期', '意见 / 纪要号'],
  signing: '协议签署',
  signed: '已签署',
  empty: (filters: string) => `没有符合筛选条件的项目（${filters}），未生成档案`,
} as const;

/** Text of the printed documents drawn from the log: 合作项目审批表, 议题材料, 年度合作报告. */
export const PRINT_TEXT = {
  approvalTitle: (school: string) => `${school}合作项目审批表`,
  agendaTitle: (school: string, meeting: string) => `${school}${meeting}议题材料`,
  agendaItem: (meeting: string, n: number, total: number) => `${meeting}议题 ${n} / ${total}`,
  annualTitle: (school: string, year: number) => `${school} ${year} 年度对外合作报告`,
  sections: {
    project: '一、项目概况',
    partner: '二、合作单位',
    reviews: '三、职能部门审查意见（第十五条）',
    meetings: '四、会议审议',
    signing: '五、协议签署',
    office: '六、合作交流处意见',
    agendaDecision: '四、审议意见',
  },
  labels: {
    projectId: '项目编号',
    title: '项目名称',
    department: '承办系部',
    leader: '项目负责人',
    category: '合作类别',
    ipOwnership: '成果权属',
    term: '合作期限',
    status: '当前状态',
    income: '预计收入（元）',
    expense: '预计支出（元）',
    applicant: '申请人',
    appliedAt: '申请日期',
    content: '合作内容及双方权责',
    partnerName: '单位名称',
    kind: '单位类型',
    creditCode: '统一社会信用代码',
    address: '住所',
    legalRep: '法定代表人',
    contact: '联系人',
    phone: '联系电话',
    email: '电子邮箱',
    integrity: '诚信状况',
    leaderFirm: '行业领军企业',
    agreementNo: '协议编号',
    signedAt: '签署日期',
    handler: '经办人（签字）：',
    date: '日期：',
    decisionBlank: '审议结论：□ 通过　□ 未通过　　纪要号：',
  },
  reviewHeaders: ['审查部门', '结论', '审查人', '日期', '审查意见'],
  meetingHeaders: ['会议', '结论', '经办人', '日期', '纪要号'],
  notSigned: '（尚未签署）',
  termText: (start: string, end: string) => `${start} 至 ${end}`,
  none: '—',
  annual: {
    effects: '项目年度效益（第十六条）',
    effectsHeaders: ['项目编号', '项目名称', '承办系部', '教师实践锻炼（人次）', '人才培养（人数）', '服务收益（元）', '综合评价', '成果（项）'],
    total: '合计',
    notFiled: '未填报',
    outcomes: '成果登记（第十七条）',
    outcomesHeaders: ['项目编号', '成果名称', '权利类型', '权属', '登记号', '日期'],
    overdue: '逾期未填报的年度评价',
    overdueHeaders: ['项目编号', '项目名称', '承办系部', '年度'],
    noRows: '（无）',
    summary: (projects: number, filed: number, outcomes: number) => `在期项目 ${projects} 个，已填报年度评价 ${filed} 个，登记成果 ${outcomes} 项`,
  },
  errors: {
    notFound: (id: string) => `登记表中没有项目 ${id}`,
    noProject: '请指定项目编号，如 coop print approval HZ2026-001',
    badMeeting: (value: string) => (flag?: string) => `${flag ? `${flag} ` : '议题材料的会议'}应为「校长办公会」或「党委会」，而不是「${value || '空'}」`,
    emptyAgenda: (meeting: string) => `没有等待${meeting}审议的项目，未生成议题材料`,
    badYear: (value: string) => `年度应为四位年份，如 coop print annual 2025，而不是「${value || '空'}」`,
    emptyAnnual: (year: number) => `${year} 年没有在期项目、年度评价或成果登记，未生成年度报告`,
    badKind: (kind: string) => `未知的打印文件「${kind || '空'}」；可用：approval（合作项目审批表）、agenda（会议议题材料）、annual（年度合作报告）`,
  },
} as const;
