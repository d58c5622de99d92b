// The generic validators read the column declarations of core/schema.ts: a sheet declared here, not in the schema,
// gets the same required-unless, ID, unique and natural-key rules; and the registry's declared rules hold across rows.
import { describe, expect, it } from 'vitest';
import { ID_PATTERNS, crossRowProblems, naturalKeyOf, outcomesSheet, parseRow, partnersSheet, projectsSheet, type SheetSpec } from '../../core/index.js';
import { demoSettings, partner, project, registry } from './fixtures.js';

/** A sheet the validators have never been told about: only its declarations can drive them. */
const visits = {
  key: 'outcomes',
  name: '来访登记',
  idColumn: 'visitId',
  naturalKey: { columns: ['host', 'day'], unique: true },
  columns: [
    { key: 'visitId', header: '来访编号', type: 'id', width: 10 },
    { key: 'host', header: '接待单位', type: 'text', width: 10 },
    { key: 'day', header: '日期', type: 'date', width: 10 },
    { key: 'kind', header: '来访类型', type: 'enum', enum: ['国内', '境外'], width: 10 },
    { key: 'permit', header: '批件号', type: 'text', requiredUnless: { key: 'kind', equals: '国内' }, width: 10 },
    { key: 'partnerId', header: '单位编号', type: 'id', ref: { sheet: 'partners', key: 'partnerId' }, width: 10 },
  ],
} as const satisfies SheetSpec;

describe('row rules from the declarations', () => {
  it('requiredUnless: needed unless the other column holds the value, named in the message', () => {
    const settings = demoSettings();
    const row = { visitId: 'V1', host: '甲', day: '2026-03-01', kind: '境外', permit: null, partnerId: null };
    const r = parseRow(visits, row, settings, 4);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([{ sheet: '来访登记', row: 4, column: '批件号', value: null, rule: '必填', message: '必填（来访类型为「国内」时可不填）' }]);
    expect(parseRow(visits, { ...row, kind: '国内' }, settings).ok).toBe(true);
    expect(parseRow(visits, { ...row, permit: '外事〔2026〕3号' }, settings).ok).toBe(true);
  });

  it('a reference column takes the ID pattern of the sheet it names', () => {
    const settings = demoSettings();
    const base = { visitId: 'V1', host: '甲', day: '2026-03-01', kind: '国内', permit: null };
    const bad = parseRow(visits, { ...base, partnerId: 'HZ2026-001' }, settings);
    expect(!bad.ok && bad.problems.map((p) => [p.column, p.rule, p.message])).toEqual([['单位编号', '编号', '单位编号应形如 P0001']]);
    expect(parseRow(visits, { ...base, partnerId: 'P0012' }, settings).ok).toBe(true);
  });

  it('the credit code of SPEC: required unless 境外机构, declared once in the schema', () => {
    const settings = demoSettings();
    const r = parseRow(partnersSheet, { ...partner(), creditCode: '  ' } as never, settings);
    expect(!r.ok && r.problems.map((p) => [p.column, p.rule, p.message])).toEqual([['统一社会信用代码', '必填', '必填（单位类型为「境外机构」时可不填）']]);
  });

  it('ID patterns: one per sheet with IDs, the shapes SPEC gives', () => {
    expect(ID_PATTERNS.partners!.test('P0001')).toBe(true);
    expect(ID_PATTERNS.partners!.test('P001')).toBe(false);
    expect(ID_PATTERNS.projects!.test('HZ2024-001')).toBe(true);
    expect(ID_PATTERNS.projects!.test('HZ24-001')).toBe(false);
    expect(ID_PATTERNS.outcomes).toBeUndefined();
  });
});

describe('natural keys', () => {
  it('compare text after normalisation, and a blank part never matches', () => {
    expect(naturalKeyOf(visits, { host: ' 甲（分部） ', day: '2026-03-01' })).toBe(naturalKeyOf(visits, { host: '甲(分部)', day: '2026-03-01' }));
    expect(naturalKeyOf(visits, { host: '甲', day: null })).toBe('');
    expect(naturalKeyOf(projectsSheet, { partnerId: 'P0001', title: '订单班' })).not.toBe(naturalKeyOf(projectsSheet, { partnerId: 'P0002', title: '订单班' }));
  });
});

describe('cross-row rules from the declarations', () => {
  const rules = (data: ReturnType<typeof registry>) => crossRowProblems(data).map((p) => [p.sheet, p.row, p.column, p.rule]);

  it('unique columns: IDs, names after normalisation, agreement numbers', () => {
    const data = registry(
      [
        partner(),
        partner({ partnerId: 'P0001', name: '另一家公司' }),
        partner({ partnerId: 'P0003', name: ` ${partner().name!.replace('数控', '数控\u3000')} ` }),
      ],
      [project({ agreementNo: 'ZQLG-HZ-2026-001' }), project({ projectId: 'HZ2026-002', agreementNo: ' ZQLG-HZ-2026-001 ' })],
    );
    expect(rules(data)).toEqual(
      expect.arrayContaining([
        ['合作单位', 3, '单位编号', '唯一'],
        ['合作单位', 4, '单位名称', '唯一'],
        ['合作项目', 3, '协议编号', '唯一'],
      ]),
    );
  });

  it('references, where 审批记录 may name a partner instead of a project', () => {
    const data = registry([partner()], [project(), project({ projectId: 'HZ2026-002', partnerId: 'P0404' })]);
    data.reviewLog = ['HZ2026-001', 'P0001', 'HZ2026-404'].map((id, i) => ({ cells: { projectId: id, action: '提交' }, sheetRow: i + 2 }));
    data.outcomes = [{ cells: { projectId: 'P0001', title: '专利' }, sheetRow: 2 }];
    expect(rules(data)).toEqual([
      ['合作项目', 3, '合作单位编号', '引用'],
      ['审批记录', 4, '项目编号', '引用'],
      ['成果登记', 2, '项目编号', '引用'],
    ]);
  });

  it('a natural key declared unique: one evaluation per project and year', () => {
    const data = registry([partner()], [project()]);
    data.evaluations = [2025, 2026, 2025].map((year, i) => ({ cells: { projectId: 'HZ2026-001', year }, sheetRow: i + 2 }));
    data.outcomes = [1, 2].map((n) => ({ cells: { projectId: 'HZ2026-001', title: '同名成果' }, sheetRow: n + 1 }));
    const problems = crossRowProblems(data);
    expect(problems.map((p) => [p.sheet, p.row, p.column, p.rule])).toEqual([['年度评价', 4, '年度', '唯一']]);
    expect(problems[0]!.message).toContain('2025 年度评价重复');
    // Outcomes are matched by their natural key on import but may repeat (SPEC does not forbid it).
    expect((outcomesSheet as SheetSpec).naturalKey?.unique).toBeUndefined();
  });
});
