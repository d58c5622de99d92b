// Agreement file names stay valid on Windows: reserved characters stripped, device names avoided, length bounded.
import { describe, expect, it } from 'vitest';
import { MAX_BASE_LENGTH, safeBaseName } from '../../sync/src/agreements/file-name.js';
import { agreementName } from '../../sync/src/agreements/generate.js';

const WINDOWS_RESERVED = /[<>:"/\\|?*\u0000-\u001f]/;

describe('safeBaseName', () => {
  it('joins 协议编号_合作单位_项目名称', () => {
    expect(agreementName({ 协议编号: 'ZQLG-HZ-2026-001', 合作单位名称: '肇庆星湖数控机械有限公司', 项目名称: '星湖班' }, false)).toBe(
      'ZQLG-HZ-2026-001_肇庆星湖数控机械有限公司_星湖班',
    );
    expect(agreementName({ 协议编号: '（草稿，批准后编号）', 项目编号: 'HZ2026-004', 合作单位名称: 'B', 项目名称: 'C' }, true)).toBe('HZ2026-004_B_C_草稿');
  });

  it.each([
    ['a<b>c:d"e/f\\g|h?i*j', 'abcdefghij'],
    ['名称\t带\n控制符', '名称 带 控制符'],
    ['  末尾的点和空格.. ', '末尾的点和空格'],
    ['（广东）有限公司', '（广东）有限公司'],
  ])('cleans %j', (input, cleaned) => {
    expect(safeBaseName([input])).toBe(cleaned);
  });

  it.each(['CON', 'prn', 'Aux', 'NUL', 'COM1', 'lpt9'])('never yields the device name %s', (name) => {
    const base = safeBaseName([name]);
    expect(base.toLowerCase()).not.toBe(name.toLowerCase());
    expect(base.split('.')[0]!.toLowerCase()).not.toBe(name.toLowerCase());
  });

  it('falls back to a name when everything was stripped', () => {
    expect(safeBaseName(['???', '***'])).toBe('协议');
  });

  it('shortens the project name first and keeps the whole name bounded', () => {
    const long = '很长的项目名称'.repeat(30);
    const base = safeBaseName(['ZQLG-HZ-2026-001', '肇庆星湖数控机械有限公司', long]);
    expect(Array.from(base).length).toBeLessThanOrEqual(MAX_BASE_LENGTH);
    expect(base.startsWith('ZQLG-HZ-2026-001_肇庆星湖数控机械有限公司_很长的项目名称')).toBe(true);
    expect(base).not.toMatch(WINDOWS_RESERVED);
    expect(base).not.toMatch(/[. ]$/);
  });

  it('never splits a character outside the BMP', () => {
    const base = safeBaseName(['𠀀'.repeat(100)]);
    expect(Array.from(base).every((c) => c === '𠀀')).toBe(true);
  });
});
