/** Calendar dates (`YYYY-MM-DD`) and school-time timestamps, with no dependence on the host time zone. */

/** A calendar date as `YYYY-MM-DD`: no time, no zone. */
export type CalendarDate = string;

/** The school's clock: China Standard Time, UTC+8 all year (no daylight saving). */
export const SCHOOL_OFFSET_MS = 8 * 60 * 60 * 1000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function calendarDate(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function dateParts(date: CalendarDate): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/** The calendar date shown on a school wall clock at this instant. */
export function schoolDate(instant: Date): CalendarDate {
  const shifted = new Date(instant.getTime() + SCHOOL_OFFSET_MS);
  return calendarDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/** `YYYY-MM-DD HH:mm:ss` in school time, the form every log stamp takes. */
export function schoolTimestamp(instant: Date): string {
  const s = new Date(instant.getTime() + SCHOOL_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${schoolDate(instant)} ${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}:${pad(s.getUTCSeconds())}`;
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const { year, month, day } = dateParts(date);
  const t = new Date(Date.UTC(year, month - 1, day + days));
  return calendarDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  const a = dateParts(from);
  const b = dateParts(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/** `2024年3月1日`, as agreements and letters write dates. */
export function chineseDate(date: CalendarDate): string {
  const { year, month, day } = dateParts(date);
  return `${year}年${month}月${day}日`;
}
