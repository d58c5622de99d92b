/** Prints what a workflow command changed, and each step of the demo's walk through the workflow. */
import type { ReviewLogRow } from '../../../core/index.js';
import type { ProgressOf } from '../ops/progress.js';
import type { WorkflowStep } from '../ops/workflow.js';
import { WORKFLOW_OP_TEXT } from '../ops/workflow-text.js';
import type { Output } from './output.js';

export const WORKFLOW_VIEW_TEXT = {
  step: (s: WorkflowStep) => `✔ ${s.projectId}「${s.title}」：${s.from === s.to ? s.to : `${s.from} → ${s.to}`}`,
  logLine: (e: ReviewLogRow) => `  审批记录：${[e.time, e.body, e.action, e.actor, e.remark].filter(Boolean).join(' · ')}`,
} as const;

export function printSteps(output: Output, steps: readonly WorkflowStep[]): void {
  for (const step of steps) {
    output.out(WORKFLOW_VIEW_TEXT.step(step));
    for (const entry of step.log) output.out(WORKFLOW_VIEW_TEXT.logLine(entry));
  }
}

/** One step of the demo's walk: what was done by whom, and how it ended. */
export function printDemoWorkflowStep(output: Output, e: ProgressOf<'workflow'>): void {
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
