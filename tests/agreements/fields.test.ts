// The agreement field map: every placeholder filled from project, partner and settings; template groups; fill checks.
import { describe, expect, it } from 'vitest';
import {
  AGREEMENT_PLACEHOLDERS,
  CATEGORIES,
  IP_CLAUSES,
  IP_OWNERSHIP,
  TEMPLATE_GROUPS,
  agreementAllowed,
  agreementFieldErrors,
  agreementFields,
  defaultSettings,
  emptyRow,
  partnersSheet,
  projectsSheet,
  templateKeyFor,
  type PartnerRow,
  type ProjectRow,
} from '../../core/index.js';

function partner(over: Partial<PartnerRow> = {}): PartnerRow {
  return {
    ...emptyRow(partnersSheet),
    partnerId: 'P0001',
    name: '肇庆星湖数控机械有限公司',
    kind: '企业',
    creditCode: '91441200MA4UXK3A2J',
    contactName: '李明',
    contactPhone: '13826612345',
    integrity: '良好',
    ...over,
  };
}

function project(over: Partial<ProjectRow> = {}): ProjectRow {
  return {
    ...emptyRow(projectsSheet),
    projectId: 'HZ2024-007',
    title: '数控订单班',
    department: '数控技术应用专业教学团队',
    partnerId: 'P0001',
    category: '订单式人才培养',
    content: '共同培养数控专业学生 40 名',
    startDate: '2024-03-01',
    endDate: '2027-02-28',
    ipOwnership: '双方共有',
    income: 12345.6,
    expense: null,
    leader: '张老师',
    status: '已批准',
    ...over,
  };
}

describe('agreementFields', () => {
  const settings = defaultSettings();

  it('fills every placeholder, required ones non-blank', () => {
    const fields = agreementFields(project(), partner(), settings);
    expect(Object.keys(fields).sort()).toEqual(Object.keys(AGREEMENT_PLACEHOLDERS).sort());
    expect(fields).toMatchObject({
      协议编号: 'ZQLG-HZ-2024-007',
      学校名称: '肇庆理工中等职业学校',
      合作单位名称: '肇庆星湖数控机械有限公司',
      统一社会信用代码: '91441200MA4UXK3A2J',
      开始日期: '2024年3月1日',
      结束日期: '2027年2月28日',
      合作期限: '2024年3月1日至2027年2月28日',
      预计收入: '12,345.60',
      预计收入大写: '壹万贰仟叁佰肆拾伍元陆角整',
      预计支出: '0.00',
      预计支出大写: '零元整',
      合作单位电子邮箱: '—',
      草稿标记: '',
      签署日期: '　　　　年　　月　　日',
    });
    expect(agreementFieldErrors('订单式人才培养', 'HZ2024-007', fields, Object.keys(fields))).toEqual([]);
  });

  it('keeps an agreement number already recorded, and uses the prefix from 设置', () => {
    expect(agreementFields(project({ agreementNo: 'ZQLG-2023-X' }), partner(), settings).协议编号).toBe('ZQLG-2023-X');
    expect(agreementFields(project(), partner(), { ...settings, agreementPrefix: 'ABC' }).协议编号).toBe('ABC-2024-007');
  });

  it.each(IP_OWNERSHIP)('chooses the IP clause for 成果权属 %s in code', (ownership) => {
    const fields = agreementFields(project({ ipOwnership: ownership }), partner(), settings);
    expect(fields.知识产权条款).toBe(IP_CLAUSES[ownership]);
    expect(fields.成果权属).toBe(ownership);
  });

  it('the four IP clauses differ', () => {
    expect(new Set(Object.values(IP_CLAUSES)).size).toBe(IP_OWNERSHIP.length);
  });

  it('a foreign partner has no credit code but the field is not blank', () => {
    const fields = agreementFields(project(), partner({ kind: '境外机构', creditCode: null }), settings);
    expect(fields.统一社会信用代码).toBe('不适用（境外机构）');
  });

  it('marks drafts', () => {
    expect(agreementFields(project(), partner(), settings, { draft: true }).草稿标记).toContain('草稿');
  });

  it('reports blank required fields naming template, field and project', () => {
    const fields = agreementFields(project({ content: '  ', startDate: null }), partner({ creditCode: null }), settings);
    const errors = agreementFieldErrors('通用', 'HZ2024-007', fields, []);
    expect(errors).toHaveLength(3);
    for (const name of ['合作内容', '开始日期', '统一社会信用代码']) {
      expect(errors.some((e) => e.includes(`「${name}」`) && e.includes('通用') && e.includes('HZ2024-007'))).toBe(true);
    }
  });

  it('reports placeholders unknown to core', () => {
    const fields = agreementFields(project(), partner(), settings);
    const errors = agreementFieldErrors('培训服务', 'HZ2024-007', fields, ['项目名称', '甲方地址']);
    expect(errors).toEqual([expect.stringContaining('{{甲方地址}}')]);
    expect(errors[0]).toContain('培训服务');
    expect(errors[0]).toContain('HZ2024-007');
  });
});

describe('templateKeyFor', () => {
  it('maps every category to a group, and unknowns to 通用', () => {
    for (const c of CATEGORIES) expect(TEMPLATE_GROUPS).toContain(templateKeyFor(c));
    expect(templateKeyFor('科研合作')).toBe('科研与教学科研基地');
    expect(templateKeyFor('教学科研基地')).toBe('科研与教学科研基地');
    expect(templateKeyFor('文化产业合作')).toBe('合作办园与文化产业');
    expect(templateKeyFor(null)).toBe('通用');
    expect(templateKeyFor('不存在的类别')).toBe('通用');
  });

  it('every group but 通用 has a category', () => {
    const used = new Set(CATEGORIES.map(templateKeyFor));
    // 通用 is the fallback; the bilingual template is chosen by the partner (境外机构), not by category.
    expect(TEMPLATE_GROUPS.filter((g) => !used.has(g))).toEqual(['通用', '境外机构（中英文）']);
  });
});

describe('agreementAllowed', () => {
  it('allows approved and effective projects, anything as a draft', () => {
    expect(agreementAllowed('已批准', false)).toBe(true);
    expect(agreementAllowed('已生效', false)).toBe(true);
    expect(agreementAllowed('审查中', false)).toBe(false);
    expect(agreementAllowed('草稿', true)).toBe(true);
  });
});
