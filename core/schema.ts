/**
 * The registry schema: one declarative description of every sheet and column of SPEC.md.
 * Headers, row types, zod schemas, validations, protections and layouts are all derived from it.
 */
import {
  CATEGORIES,
  EVALUATION_GRADES,
  FOREIGN_PARTNER_KIND,
  INTEGRITY_LEVELS,
  IP_OWNERSHIP,
  LOG_ACTIONS,
  PARTNER_KINDS,
  RIGHT_HOLDERS,
  RIGHT_TYPES,
  STATUSES,
  YES_NO,
  type MeetingBody,
  type ReviewDepartment,
} from './enums.js';
import type { CellValue } from './rows.js';

export type ColumnType =
  | 'id'
  | 'text'
  | 'longText'
  | 'enum'
  | 'list'
  | 'date'
  | 'timestamp'
  | 'money'
  | 'integer'
  | 'year'
  | 'checkbox'
  | 'email'
  | 'phone'
  | 'creditCode'
  | 'link';

/** Who may set a column: anyone editing, the system alone, or only a workflow step. */
export type ColumnSetter = 'user' | 'system' | 'workflow';

/** Settings lists that feed dropdowns. */
export type SettingsList = 'departments' | 'majors';

export interface ColumnSpec {
  readonly key: string;
  readonly header: string;
  readonly type: ColumnType;
  readonly enum?: readonly string[];
  readonly list?: SettingsList;
  readonly required?: boolean;
  /** Required except when another column holds this value (e.g. credit code for 境外机构). */
  readonly requiredUnless?: { readonly key: string; readonly equals: string };
  readonly setBy?: ColumnSetter;
  /** Editing it after submission sends the project back to review (SPEC.md workflow). */
  readonly content?: boolean;
  /** No two rows hold the same value; `normalized`: not even after normalizeName (SPEC: 单位名称). */
  readonly unique?: boolean | 'normalized';
  /** The value names a row of another sheet; `or`: a row of a second sheet may be named instead. */
  readonly ref?: { readonly sheet: SheetKey; readonly key: string; readonly or?: { readonly sheet: SheetKey; readonly key: string } };
  readonly reviewDepartment?: ReviewDepartment;
  readonly meetingBody?: MeetingBody;
  /** Column width in characters. */
  readonly width: number;
  /** Input hint shown to whoever types in the column. */
  readonly hint?: string;
  /** Other headers that mean this column in files typed by hand (imports). */
  readonly synonyms?: readonly string[];
  /** A system column that forms and imports may fill to look a reference up (the partner's name beside its ID). */
  readonly lookup?: boolean;
}

export type SheetKey = 'partners' | 'projects' | 'reviewLog' | 'evaluations' | 'outcomes' | 'settings';

export interface SheetSpec {
  readonly key: SheetKey;
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  /** The column holding the row's system-assigned ID, if the sheet has one. */
  readonly idColumn?: string;
  /**
   * The columns a row is recognised by without its ID (imports match rows by it; text compared after normalizeName).
   * `unique`: the registry holds at most one row per key (SPEC: one evaluation per project per year).
   */
  readonly naturalKey?: { readonly columns: readonly string[]; readonly unique?: boolean };
  /** Rows are only ever appended (the review log). */
  readonly appendOnly?: boolean;
}

function defineSheet<const S extends SheetSpec>(sheet: S): S {
  return sheet;
}

function reviewColumn<const K extends string, const H extends ReviewDepartment>(key: K, header: H) {
  return {
    key: `review_${key}`,
    header,
    type: 'checkbox',
    setBy: 'workflow',
    reviewDepartment: header,
    width: 10,
    hint: `仅${header}审查人可勾选`,
  } as const;
}

export const partnersSheet = defineSheet({
  key: 'partners',
  name: '合作单位',
  idColumn: 'partnerId',
  naturalKey: { columns: ['name'] },
  columns: [
    { key: 'partnerId', header: '单位编号', type: 'id', setBy: 'system', unique: true, width: 10, synonyms: ['合作单位编号'] },
    {
      key: 'name',
      header: '单位名称',
      type: 'text',
      required: true,
      unique: 'normalized',
      width: 30,
      synonyms: ['企业名称', '合作单位', '合作单位名称', '单位全称'],
    },
    { key: 'kind', header: '单位类型', type: 'enum', enum: PARTNER_KINDS, required: true, width: 12, synonyms: ['单位性质'] },
    {
      key: 'creditCode',
      header: '统一社会信用代码',
      type: 'creditCode',
      requiredUnless: { key: 'kind', equals: FOREIGN_PARTNER_KIND },
      width: 22,
      hint: '18位，境外机构可不填',
      synonyms: ['信用代码', '社会信用代码'],
    },
    { key: 'industry', header: '所属行业', type: 'text', width: 14, synonyms: ['行业'] },
    { key: 'industryLeader', header: '行业领军企业', type: 'enum', enum: YES_NO, width: 12, hint: '是/否（第六条（二））' },
    { key: 'matchedMajor', header: '对接专业', type: 'list', list: 'majors', width: 16 },
    { key: 'contactName', header: '联系人', type: 'text', required: true, width: 10, synonyms: ['联系人姓名'] },
    { key: 'contactPhone', header: '联系电话', type: 'phone', width: 16, hint: '手机或带区号的固定电话', synonyms: ['电话', '手机', '联系方式'] },
    { key: 'contactEmail', header: '电子邮箱', type: 'email', width: 24, synonyms: ['邮箱', 'Email', 'E-mail'] },
    { key: 'integrity', header: '诚信状况', type: 'enum', enum: INTEGRITY_LEVELS, required: true, width: 10, hint: '不良者不得新立项目（第六条（一））' },
    {
      key: 'address',
      header: '住所',
      type: 'text',
      width: 30,
      hint: '营业执照或登记证书上的住所，印入协议',
      synonyms: ['地址', '单位地址', '注册地址', '住所地'],
    },
    { key: 'legalRep', header: '法定代表人', type: 'text', width: 12, hint: '印入协议的当事人信息', synonyms: ['法人代表', '法定代表人（负责人）'] },
    { key: 'notes', header: '备注', type: 'longText', width: 24 },
  ],
});

export const projectsSheet = defineSheet({
  key: 'projects',
  name: '合作项目',
  idColumn: 'projectId',
  naturalKey: { columns: ['partnerId', 'title'] },
  columns: [
    { key: 'projectId', header: '项目编号', type: 'id', setBy: 'system', unique: true, width: 12, synonyms: ['项目代码'] },
    { key: 'title', header: '项目名称', type: 'text', required: true, content: true, width: 30, synonyms: ['合作项目', '合作项目名称'] },
    {
      key: 'department',
      header: '承办系部',
      type: 'list',
      list: 'departments',
      required: true,
      content: true,
      width: 22,
      synonyms: ['系部', '承办单位', '申报系部'],
    },
    {
      key: 'partnerId',
      header: '合作单位编号',
      type: 'id',
      required: true,
      content: true,
      ref: { sheet: 'partners', key: 'partnerId' },
      width: 12,
      hint: '填写合作单位表中的单位编号',
    },
    {
      key: 'partnerName',
      header: '合作单位名称',
      type: 'text',
      setBy: 'system',
      lookup: true,
      width: 28,
      synonyms: ['合作单位', '企业名称', '合作企业', '单位名称'],
    },
    { key: 'category', header: '合作类别', type: 'enum', enum: CATEGORIES, required: true, content: true, width: 24, synonyms: ['合作类型', '项目类别'] },
    { key: 'content', header: '合作内容及双方权责', type: 'longText', required: true, content: true, width: 40, synonyms: ['合作内容', '主要内容'] },
    { key: 'startDate', header: '开始日期', type: 'date', required: true, content: true, width: 12, synonyms: ['起始日期', '开始时间', '合作开始日期'] },
    { key: 'endDate', header: '结束日期', type: 'date', required: true, content: true, width: 12, synonyms: ['终止日期', '结束时间', '合作结束日期'] },
    { key: 'ipOwnership', header: '成果权属', type: 'enum', enum: IP_OWNERSHIP, required: true, content: true, width: 12, hint: '第十七条' },
    { key: 'income', header: '预计收入（元）', type: 'money', content: true, width: 14, synonyms: ['预计收入', '收入'] },
    { key: 'expense', header: '预计支出（元）', type: 'money', content: true, width: 14, synonyms: ['预计支出', '支出'] },
    { key: 'leader', header: '项目负责人', type: 'text', required: true, content: true, width: 10, synonyms: ['负责人'] },
    { key: 'practiceSite', header: '具备实践教学场所', type: 'enum', enum: YES_NO, content: true, width: 12, hint: '实践教学基地必填（第九条第1项）' },
    { key: 'qualifiedInstructors', header: '具备合格指导教师', type: 'enum', enum: YES_NO, content: true, width: 12, hint: '实践教学基地必填（第九条第2项）' },
    { key: 'applicant', header: '申请人', type: 'email', setBy: 'workflow', width: 22 },
    { key: 'appliedAt', header: '申请日期', type: 'date', setBy: 'workflow', width: 12 },
    reviewColumn('academic', '教务处'),
    reviewColumn('personnel', '组织部（人事处）'),
    reviewColumn('finance', '计财处'),
    reviewColumn('assets', '国资处'),
    reviewColumn('research', '科研处'),
    reviewColumn('students', '学生（学工）处'),
    reviewColumn('admissions', '招就处'),
    { key: 'reviewRemarks', header: '审查意见', type: 'longText', setBy: 'workflow', width: 24 },
    { key: 'presidentMeeting', header: '校长办公会', type: 'checkbox', setBy: 'workflow', meetingBody: '校长办公会', width: 10 },
    { key: 'presidentMinutes', header: '校长办公会纪要号', type: 'text', setBy: 'workflow', width: 14 },
    { key: 'partyCommittee', header: '党委会', type: 'checkbox', setBy: 'workflow', meetingBody: '党委会', width: 10 },
    { key: 'partyMinutes', header: '党委会纪要号', type: 'text', setBy: 'workflow', width: 14 },
    { key: 'agreementNo', header: '协议编号', type: 'text', setBy: 'workflow', unique: true, width: 18 },
    { key: 'signedAt', header: '签署日期', type: 'date', setBy: 'workflow', width: 12 },
    { key: 'agreementLink', header: '协议文件', type: 'link', setBy: 'workflow', width: 30 },
    { key: 'status', header: '状态', type: 'enum', enum: STATUSES, setBy: 'system', width: 10 },
    { key: 'predecessor', header: '前序项目', type: 'id', setBy: 'system', width: 12, hint: '本项目续签的原项目编号，由系统填写' },
    { key: 'updatedAt', header: '更新时间', type: 'timestamp', setBy: 'system', width: 19 },
  ],
});

export const reviewLogSheet = defineSheet({
  key: 'reviewLog',
  name: '审批记录',
  appendOnly: true,
  columns: [
    { key: 'time', header: '时间', type: 'timestamp', setBy: 'system', required: true, width: 19 },
    // A 诚信状况变更 entry names a partner where other entries name a project (SPEC: project or partner).
    {
      key: 'projectId',
      header: '项目编号',
      type: 'id',
      setBy: 'system',
      required: true,
      ref: { sheet: 'projects', key: 'projectId', or: { sheet: 'partners', key: 'partnerId' } },
      width: 12,
    },
    { key: 'body', header: '部门或机构', type: 'text', setBy: 'system', width: 18 },
    { key: 'actor', header: '操作人', type: 'text', setBy: 'system', required: true, width: 26 },
    { key: 'action', header: '操作', type: 'enum', enum: LOG_ACTIONS, setBy: 'system', required: true, width: 12 },
    { key: 'fromStatus', header: '原状态', type: 'enum', enum: STATUSES, setBy: 'system', width: 10 },
    { key: 'toStatus', header: '新状态', type: 'enum', enum: STATUSES, setBy: 'system', width: 10 },
    { key: 'remark', header: '备注', type: 'longText', setBy: 'system', width: 30 },
    // Who ran the program (OS account@host, or the Google session) beside the person the row names.
    { key: 'operator', header: '执行账户', type: 'text', setBy: 'system', width: 26 },
    // `ed25519:指纹:签名` when the person's key signed the row, `代录` when recorded on their behalf.
    { key: 'signature', header: '签名', type: 'text', setBy: 'system', width: 20 },
    // SHA-256 chaining the row to the one before (core/log-chain.ts).
    { key: 'hash', header: '校验值', type: 'text', setBy: 'system', width: 20 },
  ],
});

export const evaluationsSheet = defineSheet({
  key: 'evaluations',
  name: '年度评价',
  naturalKey: { columns: ['projectId', 'year'], unique: true },
  columns: [
    { key: 'projectId', header: '项目编号', type: 'id', required: true, ref: { sheet: 'projects', key: 'projectId' }, width: 12 },
    { key: 'year', header: '年度', type: 'year', required: true, width: 8 },
    { key: 'timing', header: '时机把握', type: 'longText', width: 20 },
    { key: 'teacherPractice', header: '教师实践锻炼（人次）', type: 'integer', width: 12 },
    { key: 'studentsTrained', header: '人才培养（人数）', type: 'integer', width: 12 },
    { key: 'baseBuilding', header: '实习基地建设', type: 'longText', width: 20 },
    { key: 'labBuilding', header: '实验室建设', type: 'longText', width: 20 },
    { key: 'researchResults', header: '科研成果', type: 'longText', width: 20 },
    { key: 'serviceIncome', header: '服务收益（元）', type: 'money', width: 14 },
    { key: 'grade', header: '综合评价', type: 'enum', enum: EVALUATION_GRADES, required: true, width: 10 },
    { key: 'reporter', header: '填报人', type: 'text', required: true, width: 10 },
    { key: 'reportedAt', header: '填报日期', type: 'date', required: true, width: 12 },
  ],
});

export const outcomesSheet = defineSheet({
  key: 'outcomes',
  name: '成果登记',
  naturalKey: { columns: ['projectId', 'title'] },
  columns: [
    { key: 'projectId', header: '项目编号', type: 'id', required: true, ref: { sheet: 'projects', key: 'projectId' }, width: 12 },
    { key: 'title', header: '成果名称', type: 'text', required: true, width: 30 },
    { key: 'rightType', header: '权利类型', type: 'enum', enum: RIGHT_TYPES, required: true, width: 14 },
    { key: 'holder', header: '权属', type: 'enum', enum: RIGHT_HOLDERS, required: true, width: 10 },
    { key: 'registrationNo', header: '登记号', type: 'text', width: 20 },
    { key: 'date', header: '日期', type: 'date', width: 12 },
  ],
});

export const settingsSheet = defineSheet({
  key: 'settings',
  name: '设置',
  columns: [
    { key: 'group', header: '分组', type: 'text', required: true, width: 12 },
    { key: 'item', header: '设置项', type: 'text', required: true, width: 26 },
    { key: 'value', header: '值', type: 'text', width: 36 },
    { key: 'note', header: '说明', type: 'longText', width: 40 },
  ],
});

export const REGISTRY_SHEETS = [partnersSheet, projectsSheet, reviewLogSheet, evaluationsSheet, outcomesSheet, settingsSheet] as const;

export type RegistrySheet = (typeof REGISTRY_SHEETS)[number];

export function sheetSpec<K extends SheetKey>(key: K): Extract<RegistrySheet, { key: K }> {
  return REGISTRY_SHEETS.find((s) => s.key === key) as Extract<RegistrySheet, { key: K }>;
}

export function headersOf(sheet: SheetSpec): string[] {
  return sheet.columns.map((c) => c.header);
}

export function columnOf(sheet: SheetSpec, key: string): ColumnSpec {
  const column = sheet.columns.find((c) => c.key === key);
  if (!column) throw new Error(`unknown column ${sheet.key}.${key}`);
  return column;
}

/** The domain value a column holds: dates as `YYYY-MM-DD` strings, blanks as null. */
type ValueFor<T extends ColumnType> = T extends 'checkbox' ? boolean : T extends 'money' | 'integer' | 'year' ? number | null : string | null;

export type RowOf<S extends SheetSpec> = {
  -readonly [C in S['columns'][number] as C['key']]: ValueFor<C['type']>;
};

/**
 * A row's cells as an adapter read them, keyed by the sheet's columns: until parsed, any cell may hold any value.
 * Functions that read untrusted cells take this, so raw registry rows and typed rows both pass without a cast.
 */
export type CellsOf<S extends SheetSpec> = {
  readonly [C in S['columns'][number] as C['key']]?: CellValue;
};

export type PartnerRow = RowOf<typeof partnersSheet>;
export type ProjectRow = RowOf<typeof projectsSheet>;
export type ReviewLogRow = RowOf<typeof reviewLogSheet>;
export type EvaluationRow = RowOf<typeof evaluationsSheet>;
export type OutcomeRow = RowOf<typeof outcomesSheet>;
export type SettingsRow = RowOf<typeof settingsSheet>;

export type ProjectKey = keyof ProjectRow;
export type ReviewColumnKey = Extract<ProjectKey, `review_${string}`>;

export const REVIEW_COLUMNS = projectsSheet.columns.filter(
  (c): c is Extract<(typeof projectsSheet.columns)[number], { reviewDepartment: ReviewDepartment }> => 'reviewDepartment' in c,
);

export function reviewColumnFor(department: ReviewDepartment): ReviewColumnKey {
  const column = REVIEW_COLUMNS.find((c) => c.reviewDepartment === department);
  if (!column) throw new Error(`no review column for ${department}`);
  return column.key;
}

export const CONTENT_COLUMNS = projectsSheet.columns.filter((c) => 'content' in c && c.content).map((c) => c.key as ProjectKey);

/** An empty row of a sheet: nulls, and false for checkboxes. */
export function emptyRow<S extends SheetSpec>(sheet: S): RowOf<S> {
  const row: Record<string, unknown> = {};
  for (const c of sheet.columns) row[c.key] = c.type === 'checkbox' ? false : null;
  return row as RowOf<S>;
}
