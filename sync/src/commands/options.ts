/** Reading the options commands share: who acts, required strings, fixed vocabularies, dates, the one project. */
import { CoopError, canonicalOption, parseDateText, suggestOption } from '../../../core/index.js';
import type { CommandContext, OptionSpec } from './command.js';

export const OPTION_TEXT = {
  byOption: '  --by EMAIL   操作人邮箱（默认取环境变量 COOP_USER 或 coop.config.json 中的 user），记入审批记录',
  optionRequired: (option: string, usage: string) => `缺少选项 ${option}。用法：${usage}`,
  badChoice: (option: string, value: string, allowed: readonly string[], hint?: string) =>
    `选项 ${option} 的值「${value}」无效，应为：${allowed.join('、')}${hint ? `；您是否指「${hint}」` : ''}`,
  badDate: (value: string) => `签署日期「${value}」无效，应为 YYYY-MM-DD（如 2026-03-01）`,
  oneProject: (usage: string) => `请指定一个项目编号。用法：${usage}`,
} as const;

export const BY_OPTION: OptionSpec = { by: { type: 'string' } };

/** Who acts is given with --by; an op's error about the actor names it. */
export const BY_FLAG = { actor: '--by' } as const;

/** A string option the command cannot do without. */
export function requiredOption(ctx: CommandContext, name: string, usage: string): string {
  const value = ctx.values[name];
  if (typeof value !== 'string' || !value.trim()) throw new CoopError('USAGE', OPTION_TEXT.optionRequired(`--${name}`, usage));
  return value.trim();
}

/** Words people use for a meeting's decision, as import accepts them. */
export const DECISION_WORDS: Readonly<Record<string, string>> = {
  同意: '通过',
  批准: '通过',
  不同意: '未通过',
  不通过: '未通过',
  否决: '未通过',
  未获通过: '未通过',
};

/**
 * A string option limited to a fixed vocabulary, read as import reads a dropdown cell: widths and brackets folded
 * (`学生(学工)处`), known synonyms mapped; a near miss is refused with a suggestion, never applied.
 */
export function choiceOption<T extends string>(
  ctx: CommandContext,
  name: string,
  allowed: readonly T[],
  usage: string,
  synonyms: Readonly<Record<string, string>> = {},
): T {
  const typed = requiredOption(ctx, name, usage);
  const value = canonicalOption(synonyms[typed] ?? typed, allowed);
  if (!(allowed as readonly string[]).includes(value))
    throw new CoopError('USAGE', OPTION_TEXT.badChoice(`--${name}`, typed, allowed, suggestOption(typed, allowed)));
  return value as T;
}

/** A calendar date option in any spelling import accepts (`2026-12-01`, `2026/12/1`, `2026.12.1`, `2026年12月1日`). */
export function dateOption(ctx: CommandContext, name: string, usage: string): string {
  const typed = requiredOption(ctx, name, usage);
  const date = parseDateText(typed);
  if (!date) throw new CoopError('USAGE', OPTION_TEXT.badDate(typed));
  return date;
}

export function singleProject(ctx: CommandContext, usage: string): string {
  if (ctx.positionals.length !== 1) throw new CoopError('USAGE', OPTION_TEXT.oneProject(usage));
  return ctx.positionals[0]!;
}
