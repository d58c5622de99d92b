/** The agreement field map (project + partner + settings → placeholder values), template groups, amounts in capital numerals, and fill checks. */
import { AGREEMENT_TEXT_EN as EN, IP_CLAUSES, IP_CLAUSES_EN, IP_OWNERSHIP_EN, AGREEMENT_TEXT as T } from './agreement-text.js';
import { chineseDate, isCalendarDate } from './dates.js';
import { CoopError } from './errors.js';
import { FOREIGN_PARTNER_KIND, IP_OWNERSHIP, type Category, type IpOwnership, type Status } from './enums.js';
import { agreementNumberFor, projectYear } from './ids.js';
import type { PartnerRow, ProjectRow } from './schema.js';
import { GENERAL_TEMPLATE_KEY, type Settings } from './settings.js';
import { cellText as text } from './cell-text.js';

/**
 * Every placeholder a template may use, with its meaning: the single list that the README of
 * templates/, the fill checks and both renderers (Word, Google Docs) read.
 */
export const AGREEMENT_PLACEHOLDERS = {
  协议编号: '协议编号，由设置中的协议编号前缀与项目编号生成（如 ZQLG-HZ-2024-001）；草稿不编号，为「（草稿，批准后编号）」',
  草稿标记: '草稿时为「（草稿，仅供审阅，不得作为签署文本）」，正式文本为空',
  学校名称: '甲方：设置中的学校名称',
  学校住所: '甲方住所：设置中的「学校住所」（未填为留待手填的横线）',
  学校法定代表人: '甲方法定代表人：设置中的「学校法定代表人」（未填为横线）',
  合作单位名称: '乙方：合作单位表中的单位名称',
  统一社会信用代码: '乙方的统一社会信用代码（境外机构为「不适用（境外机构）」）',
  单位类型: '乙方的单位类型（企业、事业单位、院校等）',
  合作单位住所: '乙方住所（合作单位表「住所」，未填为横线）',
  合作单位法定代表人: '乙方法定代表人（合作单位表「法定代表人」，未填为横线）',
  合作单位联系人: '乙方联系人',
  合作单位联系电话: '乙方联系电话（未填为「—」）',
  合作单位电子邮箱: '乙方电子邮箱（未填为「—」）',
  项目编号: '合作项目表中的项目编号',
  项目名称: '项目名称',
  合作类别: '合作类别（第七至十二条）',
  承办系部: '甲方承办系部',
  项目负责人: '甲方项目负责人',
  合作内容: '合作内容及双方权责（第五条（二））',
  开始日期: '合作开始日期，如 2024年3月1日',
  结束日期: '合作结束日期，如 2027年2月28日',
  合作期限: '合作期限，如 2024年3月1日至2027年2月28日',
  经费条款: '合作经费条款：只写登记表中填了的金额（阿拉伯数字和中文大写）；都未填时写明不约定具体金额，不写「零元」',
  预计收入: '预计收入（元），阿拉伯数字，如 12,345.60（未填按 0 计；建议改用 {{经费条款}}）',
  预计收入大写: '预计收入的中文大写金额，如 壹万贰仟叁佰肆拾伍元陆角整',
  预计支出: '预计支出（元），阿拉伯数字（未填按 0 计）',
  预计支出大写: '预计支出的中文大写金额',
  成果权属: '成果权属：学校所有、合作单位所有、双方共有或另行约定（第十七条）',
  知识产权条款: '按成果权属选定的成果与知识产权条款全文',
  签署日期: '签署日期（已登记签署时如 2024年3月1日，否则为「　　　　年　　月　　日」留待手填）',
  英文开始日期: '中英文协议（境外机构）：开始日期的英文写法，如 1 March 2024',
  英文结束日期: '中英文协议（境外机构）：结束日期的英文写法',
  英文成果权属: '中英文协议（境外机构）：成果权属的英文说法',
  英文知识产权条款: '中英文协议（境外机构）：知识产权条款的英文文本（以中文为准）',
  英文经费条款: '中英文协议（境外机构）：经费条款的英文文本（以中文为准）',
} as const;

export type AgreementPlaceholder = keyof typeof AGREEMENT_PLACEHOLDERS;
export type AgreementFields = Record<AgreementPlaceholder, string>;

/** Placeholders that must never be blank in an agreement: the parties, the project, its term and the IP choice. */
export const REQUIRED_PLACEHOLDERS: readonly AgreementPlaceholder[] = [
  '协议编号',
  '学校名称',
  '合作单位名称',
  '统一社会信用代码',
  '合作单位联系人',
  '项目编号',
  '项目名称',
  '承办系部',
  '项目负责人',
  '合作内容',
  '开始日期',
  '结束日期',
  '成果权属',
  '知识产权条款',
];

/** The bilingual (中文 / English) template every agreement with a 境外机构 uses, whatever its category. */
export const BILINGUAL_TEMPLATE = '境外机构（中英文）';

/** Template groups: one template per group of categories, `通用` for the rest, and the bilingual one for foreign partners. */
export const TEMPLATE_GROUPS = [
  '订单式人才培养',
  '实践教学基地共建',
  '科研与教学科研基地',
  '联合办学与升学',
  '培训服务',
  '国际交流合作',
  '合作办园与文化产业',
  GENERAL_TEMPLATE_KEY,
  BILINGUAL_TEMPLATE,
] as const;
export type TemplateGroup = (typeof TEMPLATE_GROUPS)[number];

const GROUP_OF: Record<Category, TemplateGroup> = {
  订单式人才培养: '订单式人才培养',
  升学合作: '联合办学与升学',
  '联合办学（应用型本科自考）': '联合办学与升学',
  '联合办学（三二分段）': '联合办学与升学',
  '联合办学（成教/自考专科）': '联合办学与升学',
  '联合办学（出国留学）': '联合办学与升学',
  培训服务: '培训服务',
  教学科研基地: '科研与教学科研基地',
  科研合作: '科研与教学科研基地',
  实践教学基地: '实践教学基地共建',
  合作办园: '合作办园与文化产业',
  国际交流合作: '国际交流合作',
  文化产业合作: '合作办园与文化产业',
};

/** The template group of a category; an unknown or blank category falls back to the general template. */
export function templateKeyFor(category: string | null | undefined): TemplateGroup {
  return (category && GROUP_OF[category as Category]) || GENERAL_TEMPLATE_KEY;
}

/** The template for a project: a 境外机构 partner signs the bilingual text (Chinese prevailing); others by category. */
export function templateFor(category: string | null | undefined, partnerKind: string | null | undefined): TemplateGroup {
  return partnerKind === FOREIGN_PARTNER_KIND ? BILINGUAL_TEMPLATE : templateKeyFor(category);
}

/** Statuses an agreement may be generated in: approved, or already in force. */
export const AGREEMENT_STATUSES: readonly Status[] = ['已批准', '已生效'];

export function agreementAllowed(status: string | null | undefined, draft: boolean): boolean {
  return draft || AGREEMENT_STATUSES.includes(status as Status);
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const PLACE_UNITS = ['', '拾', '佰', '仟'];
const GROUP_UNITS = ['', '万', '亿'];
/** Below 一万亿: the largest group unit is 亿, so 9999亿 is the ceiling. */
const MAX_CENTS = 1e14;

function groupWords(group: number): string {
  let out = '';
  let zero = false;
  let started = false;
  for (let place = 3; place >= 0; place--) {
    const digit = Math.floor(group / 10 ** place) % 10;
    if (digit === 0) {
      if (started) zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    started = true;
    out += DIGITS[digit]! + PLACE_UNITS[place]!;
  }
  return out;
}

function integerWords(n: number): string {
  const groups: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 10_000)) groups.push(rest % 10_000);
  let out = '';
  let zero = false;
  let started = false;
  for (let i = groups.length - 1; i >= 0; i--) {
    const group = groups[i]!;
    if (group === 0) {
      if (started) zero = true;
      continue;
    }
    // A gap of zeros before this group (a zero group, or leading zeros in it) is read as one 零.
    if (started && group < 1000) zero = true;
    if (zero) out += '零';
    zero = false;
    started = true;
    out += groupWords(group) + GROUP_UNITS[i]!;
  }
  return out;
}

function toCents(value: number, name: string): number {
  const cents = Math.round(value * 100);
  if (!Number.isFinite(value) || value < 0 || Math.abs(cents / 100 - value) > 4 * Number.EPSILON * Math.max(1, value) || cents >= MAX_CENTS) {
    throw new CoopError('VALIDATION', T.badAmount(name, value));
  }
  return cents;
}

/**
 * An amount in Chinese capital numerals as bills and contracts write it
 * (中国人民银行《支付结算办法》附件 rules): `壹万贰仟叁佰肆拾伍元陆角整`, `壹元零伍分`, `零元整`.
 * 整 follows 元 or 角 when there are no 分; 零 stands for each run of zeros inside the number,
 * and after 元 when 角 is zero but 分 is not.
 */
export function amountInWords(value: number, label = '金额'): string {
  const cents = toCents(value, label);
  if (cents === 0) return '零元整';
  const yuan = Math.floor(cents / 100);
  const jiao = Math.floor(cents / 10) % 10;
  const fen = cents % 10;
  let out = yuan > 0 ? `${integerWords(yuan)}元` : '';
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (fen > 0 && yuan > 0) out += '零';
  out += fen > 0 ? `${DIGITS[fen]}分` : '整';
  return out;
}

/** An amount in figures with thousands separators and two decimals, independent of any locale: `12,345.60`. */
export function amountInFigures(value: number, label = '金额'): string {
  const cents = toCents(value, label);
  const yuan = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${yuan}.${String(cents % 100).padStart(2, '0')}`;
}

/** `1 March 2024`: the day-month-year order English contracts use, unambiguous on both sides. */
function englishDate(value: string | null): string {
  if (!value || !isCalendarDate(value)) return '';
  const [y, m, d] = value.split('-').map(Number);
  return `${d} ${EN.months[m! - 1]} ${y}`;
}

function moneyClauseEn(income: number | null, expense: number | null): string {
  const parts: string[] = [];
  if (income) parts.push(EN.money.income(amountInFigures(income, '预计收入')));
  if (expense) parts.push(EN.money.expense(amountInFigures(expense, '预计支出')));
  return parts.length ? EN.money.stated(parts) : EN.money.none;
}

function date(value: string | null): string {
  return value && isCalendarDate(value) ? chineseDate(value) : '';
}

export interface AgreementOptions {
  /** Marks the text as a draft (for projects not yet approved). */
  draft?: boolean;
}

/**
 * The value of every placeholder for one project. Required values may come back blank:
 * `agreementFieldErrors` reports them, so the caller can refuse before anything is written.
 */
export function agreementFields(project: ProjectRow, partner: PartnerRow, settings: Settings, options: AgreementOptions = {}): AgreementFields {
  const projectId = text(project.projectId);
  const foreign = partner.kind === FOREIGN_PARTNER_KIND;
  const optional = (value: unknown) => text(value) || T.notStated;
  const ownership = text(project.ipOwnership);
  const start = date(project.startDate);
  const end = date(project.endDate);
  const income = project.income ?? 0;
  const expense = project.expense ?? 0;
  const orLine = (value: unknown) => text(value) || T.blankLine;
  return {
    协议编号: options.draft
      ? T.draftNumber
      : text(project.agreementNo) || (projectYear(projectId) === undefined ? '' : agreementNumberFor(settings, projectId)),
    草稿标记: options.draft ? T.draftMark : '',
    学校名称: text(settings.schoolName),
    学校住所: orLine(settings.schoolAddress),
    学校法定代表人: orLine(settings.schoolLegalRep),
    合作单位名称: text(partner.name),
    统一社会信用代码: text(partner.creditCode) || (foreign ? T.foreignCreditCode : ''),
    单位类型: optional(partner.kind),
    合作单位住所: orLine(partner.address),
    合作单位法定代表人: orLine(partner.legalRep),
    合作单位联系人: text(partner.contactName),
    合作单位联系电话: optional(partner.contactPhone),
    合作单位电子邮箱: optional(partner.contactEmail),
    项目编号: projectId,
    项目名称: text(project.title),
    合作类别: optional(project.category),
    承办系部: text(project.department),
    项目负责人: text(project.leader),
    合作内容: text(project.content),
    开始日期: start,
    结束日期: end,
    合作期限: start && end ? T.term(start, end) : '',
    经费条款: moneyClause(project.income, project.expense),
    预计收入: amountInFigures(income, '预计收入'),
    预计收入大写: amountInWords(income, '预计收入'),
    预计支出: amountInFigures(expense, '预计支出'),
    预计支出大写: amountInWords(expense, '预计支出'),
    成果权属: (IP_OWNERSHIP as readonly string[]).includes(ownership) ? ownership : '',
    知识产权条款: IP_CLAUSES[ownership as IpOwnership] ?? '',
    签署日期: date(project.signedAt) || T.blankDate,
    英文开始日期: englishDate(project.startDate),
    英文结束日期: englishDate(project.endDate),
    英文成果权属: IP_OWNERSHIP_EN[ownership as IpOwnership] ?? '',
    英文知识产权条款: IP_CLAUSES_EN[ownership as IpOwnership] ?? '',
    英文经费条款: moneyClauseEn(project.income, project.expense),
  };
}

/** Zero or blank amounts are not stated: a contract saying 人民币零元 reads as a promise to pay nothing. */
function moneyClause(income: number | null, expense: number | null): string {
  const parts: string[] = [];
  if (income) parts.push(T.money.income(amountInFigures(income, '预计收入'), amountInWords(income, '预计收入')));
  if (expense) parts.push(T.money.expense(amountInFigures(expense, '预计支出'), amountInWords(expense, '预计支出')));
  return parts.length ? T.money.stated(parts) : T.money.none;
}

export function isAgreementPlaceholder(name: string): name is AgreementPlaceholder {
  return Object.hasOwn(AGREEMENT_PLACEHOLDERS, name);
}

/**
 * Everything that forbids filling a template for a project, in Chinese, each naming template,
 * field and project: placeholders the template uses that do not exist, and required fields left blank.
 */
export function agreementFieldErrors(template: string, projectId: string, fields: AgreementFields, used: Iterable<string>): string[] {
  const errors: string[] = [];
  for (const name of new Set(used)) if (!isAgreementPlaceholder(name)) errors.push(T.unknownPlaceholder(template, name, projectId));
  for (const name of REQUIRED_PLACEHOLDERS) {
    if (!fields[name]?.trim()) errors.push(T.blankField(template, name, AGREEMENT_PLACEHOLDERS[name], projectId));
  }
  return errors;
}
