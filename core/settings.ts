/** The 设置 sheet as a typed model: defaults for a new registry, parsing and writing back its rows. */
import { CATEGORIES, REVIEW_DEPARTMENT_NAMES, type Category, type ReviewDepartment } from './enums.js';
import type { CellsOf, SettingsRow, settingsSheet } from './schema.js';
import { SETTINGS_TEXT as T } from './messages.js';
import { NOTIFY_TEXT } from './notify-text.js';
import { cellText as text } from './cell-text.js';

export interface Settings {
  schoolName: string;
  agreementPrefix: string;
  /** 甲方 details printed in agreements; optional (blank lines to fill by hand when empty). */
  schoolAddress: string;
  schoolLegalRep: string;
  departments: string[];
  majors: string[];
  /** Approvers' e-mails (lower case) per review department. */
  approvers: Record<ReviewDepartment, string[]>;
  /** 合作交流处 staff e-mails (lower case). */
  officeStaff: string[];
  /** Review departments marked 不涉及 for a category. */
  notInvolved: Partial<Record<Category, ReviewDepartment[]>>;
  reminders: {
    expiryLeadDays: number;
    reviewPendingDays: number;
    /** `MM-DD`: from this day of December on, that year's evaluations are chased. */
    evaluationDueFrom: string;
  };
  /** Reminder channels per recipient (合作交流处, a review department or a 系部): 邮件, addresses, robot names. */
  channels: Record<string, string[]>;
  /** Agreement template per category; key `通用` is the fallback. */
  templates: Record<string, string>;
  /** High-water marks of assigned IDs, so an ID is never reused even after its row is deleted. */
  counters: { partners: number; projects: Record<string, number> };
  /** Personal public keys per e-mail (lower case), as listed by the office (see core/log-keys.ts). */
  publicKeys?: Record<string, string[]>;
}

export const GENERAL_TEMPLATE_KEY = '通用';

/**
 * The 协议模板 item naming the Drive folder (ID or link) generated agreement Docs go into; under 协议模板 because it
 * belongs with the templates and that group already takes any item, so older 设置 sheets need no change.
 */
export const AGREEMENT_FOLDER_ITEM = '协议文件夹';

/** The Drive folder of generated agreements named in 设置, or '' when none is. */
export function agreementFolderOf(settings: Pick<Settings, 'templates'>): string {
  return (settings.templates[AGREEMENT_FOLDER_ITEM] ?? '').trim();
}

export function defaultSettings(): Settings {
  return {
    schoolName: '肇庆理工中等职业学校',
    agreementPrefix: 'ZQLG-HZ',
    schoolAddress: '',
    schoolLegalRep: '',
    departments: ['数控技术应用专业教学团队', '机电技术应用专业', '工业机器人技术应用专业', '汽车运用与维修专业', '计算机应用专业', '学前教育专业', '基础部'],
    majors: ['数控技术应用', '机电技术应用', '工业机器人技术应用', '汽车运用与维修', '计算机应用', '学前教育'],
    approvers: Object.fromEntries(REVIEW_DEPARTMENT_NAMES.map((d) => [d, [] as string[]])) as Record<ReviewDepartment, string[]>,
    officeStaff: [],
    notInvolved: {},
    reminders: { expiryLeadDays: 60, reviewPendingDays: 7, evaluationDueFrom: '12-01' },
    channels: {},
    templates: {},
    counters: { partners: 0, projects: {} },
  };
}

/** Review departments a category needs: all seven, less those the office marked 不涉及. */
export function requiredDepartments(settings: Settings, category: string | null): ReviewDepartment[] {
  const skipped = new Set(category ? (settings.notInvolved[category as Category] ?? []) : []);
  return REVIEW_DEPARTMENT_NAMES.filter((d) => !skipped.has(d));
}

export function isApprover(settings: Settings, department: ReviewDepartment, email: string): boolean {
  return settings.approvers[department].includes(email.trim().toLowerCase());
}

export function isOfficeStaff(settings: Settings, email: string): boolean {
  return settings.officeStaff.includes(email.trim().toLowerCase());
}

/**
 * Whether a 审批记录 row's actor holds the role its action needs under these settings, and the row claims no status
 * its action cannot lead to. Asked of rows no verification has vouched for (the CLI's rows on the shared sheet
 * until the sheet anchors them): a row anyone could have added counts only when the person it names could have.
 */
export function mayRecord(settings: Settings, cells: { action?: unknown; body?: unknown; actor?: unknown; toStatus?: unknown }): boolean {
  const actor = String(cells.actor ?? '');
  const body = String(cells.body ?? '');
  const approverOfBody = (REVIEW_DEPARTMENT_NAMES as readonly string[]).includes(body) && isApprover(settings, body as ReviewDepartment, actor);
  switch (String(cells.action ?? '')) {
    case '审查通过':
    case '撤销审查':
      return approverOfBody;
    case '退回':
      return body === '合作交流处' ? isOfficeStaff(settings, actor) : approverOfBody;
    case '提交':
    case '内容变更重审':
      return cells.toStatus === '待审查';
    case '越权尝试':
      return true;
    default:
      return isOfficeStaff(settings, actor);
  }
}

const LIST_SEPARATOR = /[,，;；、\s]+/;

function splitList(value: string | null): string[] {
  return (value ?? '')
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface SettingsProblem {
  index: number;
  message: string;
}

/** Reads 设置 rows; unknown items are reported, never fatal, so a typo cannot lock the office out. */
export function parseSettings(rows: readonly CellsOf<typeof settingsSheet>[]): { settings: Settings; problems: SettingsProblem[] } {
  const s = defaultSettings();
  const problems: SettingsProblem[] = [];
  const seenLists = { departments: false, majors: false };
  // A list in 设置 replaces the default list as a whole, from its first row on.
  const listItem = (list: keyof typeof seenLists, value: string) => {
    if (!seenLists[list]) {
      s[list] = [];
      seenLists[list] = true;
    }
    if (value) s[list].push(value);
  };
  rows.forEach((row, index) => {
    const group = text(row.group);
    const item = text(row.item);
    const value = text(row.value);
    if (!group && !item && !value) return;
    const bad = (message: string) => problems.push({ index, message });
    switch (group) {
      case T.groups.school:
        if (item === T.items.schoolName) s.schoolName = value || s.schoolName;
        else if (item === T.items.agreementPrefix) s.agreementPrefix = value || s.agreementPrefix;
        else if (item === T.items.schoolAddress) s.schoolAddress = value;
        else if (item === T.items.schoolLegalRep) s.schoolLegalRep = value;
        else bad(T.unknownItem(group, item));
        break;
      case T.groups.departments:
        listItem('departments', value);
        break;
      case T.groups.majors:
        listItem('majors', value);
        break;
      case T.groups.approvers:
        if ((REVIEW_DEPARTMENT_NAMES as string[]).includes(item)) {
          s.approvers[item as ReviewDepartment].push(...splitList(value).map((e) => e.toLowerCase()));
        } else bad(T.unknownDepartment(item));
        break;
      case T.groups.office:
        s.officeStaff.push(...splitList(value).map((e) => e.toLowerCase()));
        break;
      case T.groups.notInvolved: {
        if (!(CATEGORIES as readonly string[]).includes(item)) {
          bad(T.unknownCategory(item));
          break;
        }
        const departments = splitList(value);
        const unknown = departments.filter((d) => !(REVIEW_DEPARTMENT_NAMES as string[]).includes(d));
        if (unknown.length) bad(T.unknownDepartment(unknown.join('、')));
        s.notInvolved[item as Category] = departments.filter((d): d is ReviewDepartment => (REVIEW_DEPARTMENT_NAMES as string[]).includes(d));
        break;
      }
      case T.groups.reminders: {
        if (item === T.items.evaluationDueFrom) {
          if (/^\d{2}-\d{2}$/.test(value)) s.reminders.evaluationDueFrom = value;
          else bad(T.badMonthDay(item, value));
          break;
        }
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) bad(T.badNumber(item, value));
        else if (item === T.items.expiryLeadDays) s.reminders.expiryLeadDays = n;
        else if (item === T.items.reviewPendingDays) s.reminders.reviewPendingDays = n;
        else bad(T.unknownItem(group, item));
        break;
      }
      case T.groups.templates:
        if (item && value) s.templates[item] = value;
        break;
      case NOTIFY_TEXT.channelsGroup:
        if (item && value) s.channels[item] = splitList(value);
        break;
      case T.groups.counters: {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) bad(T.badNumber(item, value));
        else if (item === T.items.partnerCounter) s.counters.partners = n;
        else if (item.startsWith(T.items.projectCounterPrefix)) s.counters.projects[item.slice(T.items.projectCounterPrefix.length)] = n;
        else bad(T.unknownItem(group, item));
        break;
      }
      case T.groups.keys:
        if (item && value) (s.publicKeys ??= {})[item.toLowerCase()] = [...(s.publicKeys?.[item.toLowerCase()] ?? []), value];
        break;
      default:
        bad(T.unknownGroup(group));
    }
  });
  return { settings: s, problems };
}

/** The 设置 rows for a settings model, each with a note saying how to edit it. */
export function settingsRows(s: Settings): SettingsRow[] {
  const row = (group: string, item: string, value: string | number, note: string | null = null): SettingsRow => ({
    group,
    item,
    value: String(value),
    note,
  });
  const G = T.groups;
  const I = T.items;
  return [
    row(G.school, I.schoolName, s.schoolName, T.notes.schoolName),
    row(G.school, I.agreementPrefix, s.agreementPrefix, T.notes.agreementPrefix),
    // Written only once set, so registries made before these items existed read back unchanged.
    ...(s.schoolAddress ? [row(G.school, I.schoolAddress, s.schoolAddress, T.notes.schoolParty)] : []),
    ...(s.schoolLegalRep ? [row(G.school, I.schoolLegalRep, s.schoolLegalRep, T.notes.schoolParty)] : []),
    ...s.departments.map((d, i) => row(G.departments, I.department, d, i === 0 ? T.notes.list : null)),
    ...s.majors.map((m, i) => row(G.majors, I.major, m, i === 0 ? T.notes.list : null)),
    ...REVIEW_DEPARTMENT_NAMES.map((d, i) => row(G.approvers, d, s.approvers[d].join(', '), i === 0 ? T.notes.approvers : null)),
    row(G.office, I.officeStaff, s.officeStaff.join(', '), T.notes.office),
    ...CATEGORIES.map((c, i) => row(G.notInvolved, c, (s.notInvolved[c] ?? []).join('、'), i === 0 ? T.notes.notInvolved : null)),
    row(G.reminders, I.expiryLeadDays, s.reminders.expiryLeadDays, T.notes.expiryLeadDays),
    row(G.reminders, I.reviewPendingDays, s.reminders.reviewPendingDays, T.notes.reviewPendingDays),
    row(G.reminders, I.evaluationDueFrom, s.reminders.evaluationDueFrom, T.notes.evaluationDueFrom),
    ...Object.entries(s.templates).map(([k, v]) => row(G.templates, k, v, null)),
    ...Object.entries(s.publicKeys ?? {}).flatMap(([email, keys]) => keys.map((k) => row(G.keys, email, k, null))),
    ...Object.entries(s.channels).map(([k, v], i) => row(NOTIFY_TEXT.channelsGroup, k, v.join('、'), i === 0 ? NOTIFY_TEXT.channelsNote : null)),
    row(G.counters, I.partnerCounter, s.counters.partners, T.notes.counters),
    ...Object.entries(s.counters.projects)
      .sort()
      .map(([year, n]) => row(G.counters, `${I.projectCounterPrefix}${year}`, n, null)),
  ];
}
