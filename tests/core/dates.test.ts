import { describe, expect, it } from 'vitest';
import { addDays, chineseDate, daysBetween, isCalendarDate, schoolDate, schoolTimestamp } from '../../core/index.js';

describe('calendar dates', () => {
  it('accepts real dates only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-13-01')).toBe(false);
    expect(isCalendarDate('2024-3-1')).toBe(false);
    expect(isCalendarDate('2024-03-01T00:00:00Z')).toBe(false);
  });

  it('computes in whole days, across month and leap boundaries', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-11-24', '2027-01-23')).toBe(60);
  });

  it('reads the school wall clock (UTC+8) whatever the host zone', () => {
    // 16:30 UTC on 31 Dec is already 1 Jan at the school.
    expect(schoolDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(schoolTimestamp(new Date('2026-12-31T16:30:05Z'))).toBe('2027-01-01 00:30:05');
  });

  it('writes dates the way agreements do', () => {
    expect(chineseDate('2024-03-01')).toBe('2024年3月1日');
  });
});
