// Chinese capital numerals for amounts, table-driven over the zero, 万/亿, 角/分 and 整 rules.
import { describe, expect, it } from 'vitest';
import { amountInFigures, amountInWords, isCoopError } from '../../core/index.js';

const WORDS: [number, string][] = [
  [0, '零元整'],
  [0.05, '伍分'],
  [0.5, '伍角整'],
  [0.55, '伍角伍分'],
  [1, '壹元整'],
  [1.05, '壹元零伍分'],
  [10, '壹拾元整'],
  [10.5, '壹拾元伍角整'],
  [15, '壹拾伍元整'],
  [100, '壹佰元整'],
  [101, '壹佰零壹元整'],
  [110, '壹佰壹拾元整'],
  [1001, '壹仟零壹元整'],
  [1010, '壹仟零壹拾元整'],
  [1409.5, '壹仟肆佰零玖元伍角整'],
  [1680.32, '壹仟陆佰捌拾元叁角贰分'],
  [6007.14, '陆仟零柒元壹角肆分'],
  [12345.6, '壹万贰仟叁佰肆拾伍元陆角整'],
  [16409.02, '壹万陆仟肆佰零玖元零贰分'],
  [325.04, '叁佰贰拾伍元零肆分'],
  [10000, '壹万元整'],
  [10001, '壹万零壹元整'],
  [10010, '壹万零壹拾元整'],
  [10100, '壹万零壹佰元整'],
  [11000, '壹万壹仟元整'],
  [100000, '壹拾万元整'],
  [100500, '壹拾万零伍佰元整'],
  [107000.53, '壹拾万柒仟元伍角叁分'],
  [120000, '壹拾贰万元整'],
  [45000.5, '肆万伍仟元伍角整'],
  [1000000, '壹佰万元整'],
  [10000000, '壹仟万元整'],
  [100000000, '壹亿元整'],
  [100000001, '壹亿零壹元整'],
  [100010000, '壹亿零壹万元整'],
  [100005000, '壹亿零伍仟元整'],
  [110000000, '壹亿壹仟万元整'],
  [101000000, '壹亿零壹佰万元整'],
  [1234567890.12, '壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分'],
  [999999999999.99, '玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
];

describe('amountInWords', () => {
  it.each(WORDS)('%d → %s', (value, words) => {
    expect(amountInWords(value)).toBe(words);
  });

  it.each([-1, 0.001, 1.234, Number.NaN, Number.POSITIVE_INFINITY, 1e12])('refuses %d with a Chinese error', (value) => {
    let error: unknown;
    try {
      amountInWords(value, '预计收入');
    } catch (e) {
      error = e;
    }
    expect(isCoopError(error)).toBe(true);
    expect((error as Error).message).toContain('预计收入');
  });

  it('reads 0.1 + 0.2 as three 角, not a float artefact', () => {
    expect(amountInWords(0.1 + 0.2)).toBe('叁角整');
  });
});

describe('amountInFigures', () => {
  it.each([
    [0, '0.00'],
    [0.5, '0.50'],
    [999, '999.00'],
    [1000, '1,000.00'],
    [12345.6, '12,345.60'],
    [45000.5, '45,000.50'],
    [1234567890.12, '1,234,567,890.12'],
  ])('%d → %s', (value, figures) => {
    expect(amountInFigures(value)).toBe(figures);
  });
});
