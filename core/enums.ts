/** The fixed vocabularies of the policy and SPEC.md: statuses, categories, departments, actions. */

export const PARTNER_KINDS = ['政府组织', '企业', '事业单位', '社会团体', '行业协会', '院校', '境外机构'] as const;
export const FOREIGN_PARTNER_KIND = '境外机构';

export const INTEGRITY_LEVELS = ['良好', '一般', '不良'] as const;
export const BAD_INTEGRITY = '不良';

export const YES_NO = ['是', '否'] as const;

/** 第七至十二条. */
export const CATEGORIES = [
  '订单式人才培养',
  '升学合作',
  '联合办学（应用型本科自考）',
  '联合办学（三二分段）',
  '联合办学（成教/自考专科）',
  '联合办学（出国留学）',
  '培训服务',
  '教学科研基地',
  '科研合作',
  '实践教学基地',
  '合作办园',
  '国际交流合作',
  '文化产业合作',
] as const;
export type Category = (typeof CATEGORIES)[number];
/** 第九条: this category needs its two site conditions recorded before submission. */
export const PRACTICE_BASE_CATEGORY: Category = '实践教学基地';

export const IP_OWNERSHIP = ['学校所有', '合作单位所有', '双方共有', '另行约定'] as const;
export type IpOwnership = (typeof IP_OWNERSHIP)[number];

/** 第十五条(二): the seven reviewing departments, with stable keys for code. */
export const REVIEW_DEPARTMENTS = [
  { key: 'academic', name: '教务处' },
  { key: 'personnel', name: '组织部（人事处）' },
  { key: 'finance', name: '计财处' },
  { key: 'assets', name: '国资处' },
  { key: 'research', name: '科研处' },
  { key: 'students', name: '学生（学工）处' },
  { key: 'admissions', name: '招就处' },
] as const;
export type ReviewDepartment = (typeof REVIEW_DEPARTMENTS)[number]['name'];
export const REVIEW_DEPARTMENT_NAMES = REVIEW_DEPARTMENTS.map((d) => d.name) as ReviewDepartment[];

/** 第十五条(三): the two bodies that deliberate, in the order they sit. */
export const MEETING_BODIES = ['校长办公会', '党委会'] as const;
export type MeetingBody = (typeof MEETING_BODIES)[number];
export const MEETING_DECISIONS = ['通过', '未通过'] as const;
export type MeetingDecision = (typeof MEETING_DECISIONS)[number];

export const STATUSES = ['草稿', '待审查', '审查中', '待审议', '已批准', '未批准', '已生效', '已到期', '已终止'] as const;
export type Status = (typeof STATUSES)[number];

export const LOG_ACTIONS = [
  '提交',
  '审查通过',
  '撤销审查',
  '退回',
  '会议通过',
  '会议未通过',
  '签署',
  '终止',
  '内容变更重审',
  '越权尝试',
  '日志更正',
  '历史登记',
  '诚信状况变更',
] as const;
export type LogAction = (typeof LOG_ACTIONS)[number];

export const EVALUATION_GRADES = ['优秀', '良好', '合格', '不合格'] as const;
export const RIGHT_TYPES = ['物权', '著作权', '专利权', '商标权', '发现权', '发明权', '其他科技成果权'] as const;
export const RIGHT_HOLDERS = ['学校', '合作单位', '共有'] as const;
