// Unit tests of the pure normalisation of imported values: headers, widths, dates in every spelling, numbers as text.
import { describe, expect, it } from 'vitest';
import {
  columnOf,
  dateFromExcelSerial,
  defaultSettings,
  matchHeader,
  normalizeHeader,
  normalizeImported,
  parseDateText,
  parseNumberText,
  partnersSheet,
  projectsSheet,
  evaluationsSheet,
  isSampleText,
} from '../../core/index.js';

const settings = defaultSettings();
const col = (key: string) => columnOf(projectsSheet, key);

describe('header matching', () => {
  it('finds columns by header, synonym, full-width text, stray spaces and required marks', () => {
    expect(matchHeader(projectsSheet, '开始日期')?.key).toBe('startDate');
    expect(matchHeader(projectsSheet, ' 起始日期 ')?.key).toBe('startDate');
    expect(matchHeader(projectsSheet, '开始时间：')?.key).toBe('startDate');
    expect(matchHeader(projectsSheet, '*项目名称')?.key).toBe('title');
    expect(matchHeader(projectsSheet, '预计收入(元)')?.key).toBe('income');
    expect(matchHeader(projectsSheet, '合作单位')?.key).toBe('partnerName');
    expect(matchHeader(partnersSheet, '企业名称')?.key).toBe('name');
    expect(matchHeader(partnersSheet, 'Ｅｍａｉｌ')?.key).toBe('contactEmail');
    expect(matchHeader(partnersSheet, '项目名称')).toBeUndefined();
    expect(normalizeHeader('合作单位\n名称')).toBe('合作单位名称');
  });
});

describe('dates', () => {
  it.each([
    ['2024-03-01', '2024-03-01'],
    ['2024/3/1', '2024-03-01'],
    ['2024.3.1', '2024-03-01'],
    ['2024年3月1日', '2024-03-01'],
    ['２０２４年３月１日', '2024-03-01'],
    [' 2024 - 03 - 01 ', '2024-03-01'],
    ['20240301', '2024-03-01'],
    ['2024-03-01 08:30', '2024-03-01'],
  ])('reads %j as %s', (text, date) => {
    expect(parseDateText(text)).toBe(date);
    expect(normalizeImported(col('startDate'), text, settings)).toBe(date);
  });
  it('rejects impossible dates instead of rolling them over', () => {
    expect(parseDateText('2023-02-29')).toBeUndefined();
    expect(parseDateText('2024/13/1')).toBeUndefined();
    expect(normalizeImported(col('startDate'), '2023-02-29', settings)).toBe('2023-02-29');
    expect(normalizeImported(col('startDate'), '明年三月', settings)).toBe('明年三月');
  });
  it('reads Excel serial numbers, as numbers and as text, in the 1900 date system', () => {
    expect(dateFromExcelSerial(45352)).toBe('2024-03-01');
    expect(dateFromExcelSerial(61)).toBe('1900-03-01');
    expect(dateFromExcelSerial(45352.75)).toBe('2024-03-01');
    expect(normalizeImported(col('startDate'), 45352, settings)).toBe('2024-03-01');
    expect(normalizeImported(col('startDate'), '45352', settings)).toBe('2024-03-01');
    expect(dateFromExcelSerial(-3)).toBeUndefined();
  });
});

describe('numbers', () => {
  it.each([
    ['1,234.50', 1234.5],
    ['¥1234.5', 1234.5],
    ['１２３４元', 1234],
    [' 80 ', 80],
    ['0', 0],
  ])('reads %j as %d', (text, n) => {
    expect(parseNumberText(text)).toBe(n);
    expect(normalizeImported(col('income'), text, settings)).toBe(n);
  });
  it('leaves text that is not a number for the row rules to report', () => {
    expect(parseNumberText('一万')).toBeUndefined();
    expect(parseNumberText('1,23,4')).toBeUndefined();
    expect(normalizeImported(col('income'), '一万', settings)).toBe('一万');
  });
  it('rounds formula noise below a fen and reads years written with 年', () => {
    expect(normalizeImported(col('income'), 0.1 + 0.2, settings)).toBe(0.3);
    expect(normalizeImported(columnOf(evaluationsSheet, 'year'), '2025年', settings)).toBe(2025);
  });
});

describe('text and choices', () => {
  it('folds widths and spaces in codes, IDs and dropdown values to the canonical option', () => {
    expect(normalizeImported(columnOf(partnersSheet, 'creditCode'), ' ９１４４１２００ma4uxk3a2j ', settings)).toBe('91441200MA4UXK3A2J');
    expect(normalizeImported(col('partnerId'), 'Ｐ０００１', settings)).toBe('P0001');
    expect(normalizeImported(col('category'), '联合办学(三二分段)', settings)).toBe('联合办学（三二分段）');
    expect(normalizeImported(col('department'), ' 基础部　', settings)).toBe('基础部');
    expect(normalizeImported(col('category'), '不存在的类别', settings)).toBe('不存在的类别');
  });
  it('tidies free text but keeps its punctuation and line breaks', () => {
    expect(normalizeImported(col('title'), '  数控  “星湖班”\u3000订单培养 ', settings)).toBe('数控 “星湖班” 订单培养');
    expect(normalizeImported(col('content'), '第一条 \n 第二条', settings)).toBe('第一条\n第二条');
    expect(normalizeImported(col('title'), '   ', settings)).toBeNull();
  });
  it('reads ticks written in words and marks', () => {
    const tick = col('review_academic');
    expect(normalizeImported(tick, '是', settings)).toBe(true);
    expect(normalizeImported(tick, '✓', settings)).toBe(true);
    expect(normalizeImported(tick, 'FALSE', settings)).toBe(false);
    expect(normalizeImported(tick, null, settings)).toBe(false);
  });
  it('recognises the example row of a form', () => {
    expect(isSampleText('（示例）数控班')).toBe(true);
    expect(isSampleText('(示例)数控班')).toBe(true);
    expect(isSampleText('数控班（示例）')).toBe(false);
  });
});
