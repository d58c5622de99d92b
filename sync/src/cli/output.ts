/** How the CLI writes to the terminal: plain lines, located problems, simple tables. */
import type { Problem } from '../../../core/index.js';
import { CLI_TEXT as T } from './text.js';

export interface Output {
  out(line?: string): void;
  err(line?: string): void;
}

export const consoleOutput: Output = {
  out: (line = '') => process.stdout.write(`${line}\n`),
  err: (line = '') => process.stderr.write(`${line}\n`),
};

/** `文件 · 工作表 · 行 · 列 · 规则：说明（值）` — everything a person needs to find and fix the cell. */
export function formatProblem(file: string, p: Problem): string {
  const where = [T.file(file), T.sheet(p.sheet), p.row === undefined ? null : T.row(p.row), p.column ? T.column(p.column) : null].filter(Boolean);
  const value = p.value === undefined || p.value === null || p.value === '' ? '' : T.value(p.value);
  return `${where.join(' · ')} · ${T.rule(p.rule)}：${p.message}${value}`;
}

/** Pads Chinese text by display width (CJK characters take two columns). */
export function padEnd(text: string, width: number): string {
  let w = 0;
  for (const ch of text) w += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
  return text + ' '.repeat(Math.max(0, width - w));
}
