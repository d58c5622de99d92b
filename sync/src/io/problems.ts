/** One located problem as one line of text — for the terminal and for the rejects workbook's 问题 column alike. */
import type { CellValue, Problem } from '../../../core/index.js';

const PROBLEM_TEXT = {
  file: (f: string) => `文件 ${f}`,
  sheet: (s: string) => `工作表「${s}」`,
  row: (n: number) => `第 ${n} 行`,
  column: (c: string) => `列「${c}」`,
  rule: (r: string) => `规则「${r}」`,
  value: (v: CellValue) => `（当前值：${String(v)}）`,
} as const;

/** `文件 · 工作表 · 行 · 列 · 规则：说明（值）` — everything a person needs to find and fix the cell. */
export function formatProblem(file: string, p: Problem): string {
  const T = PROBLEM_TEXT;
  const where = [T.file(file), T.sheet(p.sheet), p.row === undefined ? null : T.row(p.row), p.column ? T.column(p.column) : null].filter(Boolean);
  const value = p.value === undefined || p.value === null || p.value === '' ? '' : T.value(p.value);
  return `${where.join(' · ')} · ${T.rule(p.rule)}：${p.message}${value}`;
}
