/** Shared by the workflow commands: who acts, running the op on the chosen registry, printing what changed. */
import { CoopError, canonicalOption, parseDateText, suggestOption, type ReviewLogRow } from '../../../core/index.js';
import type { CommandContext, OptionSpec } from '../commands/command.js';
import { actingUser, loadConfig } from '../config.js';
import { applyWorkflowEvent, type WorkflowRequest, type WorkflowStep } from '../ops/workflow.js';
import type { DemoWorkflowEvent } from '../ops/demo-workflow.js';
import { WORKFLOW_OP_TEXT } from '../ops/workflow-text.js';
import { openStore } from '../stores/open.js';
import type { Output } from './output.js';

export const WORKFLOW_VIEW_TEXT = {
  byOption: '  --by EMAIL   操作人邮箱（默认取环境变量 COOP_USER 或 coop.config.json 中的 user），记入审批记录',
  step: (s: WorkflowStep) => `✔ ${s.projectId}「${s.title}」：${s.from === s.to ? s.to : `${s.from} → ${s.to}`}`,
  logLine: (e: ReviewLogRow) => `  审批记录：${[e.time, e.body, e.action, e.actor, e.remark].filter(Boolean).join(' · ')}`,
  optionRequired: (option: string, usage: string) => `缺少选项 ${option}。用法：${usage}`,
  badChoice: (option: string, value: string, allowed: readonly string[], hint?: string) =>
    `选项 ${option} 的值「${value}」无效，应为：${allowed.join('、')}${hint ? `；您是否指「${hint}」` : ''}`,
  badDate: (value: string) => `签署日期「${value}」无效，应为 YYYY-MM-DD（如 2026-03-01）`,
  oneProject: (usage: string) => `请指定一个项目编号。用法：${usage}`,
} as const;

export const BY_OPTION: OptionSpec = { by: { type: 'string' } };

export function printSteps(output: Output, steps: readonly WorkflowStep[]): void {
  for (const step of steps) {
    output.out(WORKFLOW_VIEW_TEXT.step(step));
    for (const entry of step.log) output.out(WORKFLOW_VIEW_TEXT.logLine(entry));
  }
}

/** A string option the command cannot do without. */
export function requiredOption(ctx: CommandContext, name: string, usage: string): string {
  const value = ctx.values[name];
  if (typeof value !== 'string' || !value.trim()) throw new CoopError('USAGE', WORKFLOW_VIEW_TEXT.optionRequired(`--${name}`, usage));
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
    throw new CoopError('USAGE', WORKFLOW_VIEW_TEXT.badChoice(`--${name}`, typed, allowed, suggestOption(typed, allowed)));
  return value as T;
}

/** A calendar date option in any spelling import accepts (`2026-12-01`, `2026/12/1`, `2026.12.1`, `2026年12月1日`). */
export function dateOption(ctx: CommandContext, name: string, usage: string): string {
  const typed = requiredOption(ctx, name, usage);
  const date = parseDateText(typed);
  if (!date) throw new CoopError('USAGE', WORKFLOW_VIEW_TEXT.badDate(typed));
  return date;
}

export function singleProject(ctx: CommandContext, usage: string): string {
  if (ctx.positionals.length !== 1) throw new CoopError('USAGE', WORKFLOW_VIEW_TEXT.oneProject(usage));
  return ctx.positionals[0]!;
}

/** Runs a request for the given projects as the acting user and prints each step; refusals throw (exit 1). */
export async function runWorkflow(ctx: CommandContext, projectIds: readonly string[], request: WorkflowRequest): Promise<number> {
  const actor = actingUser(ctx.values.by, loadConfig());
  const steps = await applyWorkflowEvent(openStore(ctx.values.registry as string), projectIds, request, actor, ctx.now);
  printSteps(ctx.output, steps);
  return 0;
}

/** One step of the demo's walk: what was done by whom, and how it ended. */
export function printDemoWorkflowStep(output: Output, e: DemoWorkflowEvent): void {
  if (e.ok) {
    const { result: s } = e;
    const remark = s.log.find((entry) => entry.remark)?.remark;
    output.out(`  ✔ ${s.projectId} ${e.action} · ${e.actor}：${s.from === s.to ? s.to : `${s.from} → ${s.to}`}${remark ? `；${remark}` : ''}`);
    return;
  }
  const { refusal: r } = e;
  output.out(`  ✘ ${r.projectId} ${e.action} · ${e.actor} 被拒绝：${r.message}`);
  for (const reason of r.reasons) output.out(`      ${reason}`);
  if (r.log.length) output.out(`      ${WORKFLOW_OP_TEXT.trespassLogged}`);
}
