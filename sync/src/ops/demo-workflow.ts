/**
 * The workflow part of `coop demo`: walks the sample projects through 第十五条 with the demo staff —
 * some approved and signed, one awaiting 党委会, some still in review, one returned, one trespass refused
 * and logged, and the 诚信不良 partner's project refused at submission.
 */
import { WORKFLOW_TEXT, schoolDate, type RegistryData, type ReviewDepartment } from '../../../core/index.js';
import { SAMPLE_APPLICANT, SAMPLE_APPROVERS, SAMPLE_OFFICE, SAMPLE_PROJECTS } from '../demo/sample-data.js';
import type { RegistryStore } from '../stores/store.js';
import type { OnProgress } from './progress.js';
import { applyWorkflowToData, type WorkflowRequest } from './workflow.js';

/** Someone who is neither an approver nor office staff: the demo's trespasser. */
export const DEMO_STRANGER = 'visitor@example.com';

const ALL_DEPARTMENTS = Object.keys(SAMPLE_APPROVERS) as ReviewDepartment[];

type Plan = { title: string; steps: (today: string) => [actor: string, request: WorkflowRequest][] };

const submit = (): [string, WorkflowRequest] => [SAMPLE_APPLICANT, { type: 'submit' }];
const review = (department: ReviewDepartment, remark?: string): [string, WorkflowRequest] => [
  SAMPLE_APPROVERS[department],
  { type: 'tick', department, ...(remark ? { remark } : {}) },
];
const meeting = (body: '校长办公会' | '党委会', minutes: string): [string, WorkflowRequest] => [
  SAMPLE_OFFICE,
  { type: 'meeting', body, decision: '通过', minutes },
];

const PLANS: Plan[] = [
  {
    title: '数控技术应用专业“星湖班”订单式人才培养',
    steps: (today) => [
      submit(),
      ...ALL_DEPARTMENTS.map((d) => review(d)),
      meeting('校长办公会', '校办〔2026〕21号'),
      meeting('党委会', '党委〔2026〕9号'),
      [SAMPLE_OFFICE, { type: 'sign', date: today }],
    ],
  },
  {
    title: '汽车运用与维修专业校外实践教学基地共建',
    steps: (today) => [
      submit(),
      ...ALL_DEPARTMENTS.map((d) => review(d, d === '国资处' ? '实训设备清单已核对' : undefined)),
      meeting('校长办公会', '校办〔2026〕21号'),
      meeting('党委会', '党委〔2026〕9号'),
      [SAMPLE_OFFICE, { type: 'sign', date: today }],
    ],
  },
  {
    title: '学前教育专业合作办园与见习基地',
    steps: () => [submit(), ...ALL_DEPARTMENTS.map((d) => review(d)), meeting('校长办公会', '校办〔2026〕22号')],
  },
  {
    title: '工业机器人操作与运维技能培训',
    steps: () => [submit(), review('教务处'), review('计财处', '培训收费标准符合规定'), review('招就处')],
  },
  {
    title: '中新学生研学交流与学分互认',
    steps: () => [submit(), review('教务处'), [SAMPLE_APPROVERS['计财处'], { type: 'return', reason: '出访经费预算未列明细，请补充往返交通、住宿费用测算' }]],
  },
  {
    title: '智能制造教学科研基地共建',
    steps: () => [submit(), review('教务处'), review('科研处'), [DEMO_STRANGER, { type: 'tick', department: '国资处' }]],
  },
  { title: '电子装配订单班', steps: () => [submit()] },
];

function actionText(request: WorkflowRequest): string {
  const A = WORKFLOW_TEXT.actions;
  switch (request.type) {
    case 'tick':
      return `${request.department}审查`;
    case 'untick':
      return `${request.department}${A.untick}`;
    case 'meeting':
      return `${request.body}审议`;
    default:
      return A[request.type];
  }
}

/** Runs every step on the registry data in memory, in plan order, reporting each outcome. */
export function walkSampleWorkflow(data: RegistryData, now: Date, onProgress: OnProgress<'workflow'>): void {
  const today = schoolDate(now);
  for (const plan of PLANS) {
    if (!SAMPLE_PROJECTS.some((p) => p.title === plan.title)) throw new Error(`demo plan names an unknown sample project: ${plan.title}`);
    const row = data.projects.find((r) => r.cells.title === plan.title);
    if (!row) throw new Error(`sample project not registered: ${plan.title}`);
    const projectId = String(row.cells.projectId);
    for (const [actor, request] of plan.steps(today)) {
      const outcome = applyWorkflowToData(data, [projectId], request, actor, now);
      const base = { step: 'workflow' as const, action: actionText(request), actor };
      onProgress(outcome.ok ? { ...base, ok: true, result: outcome.steps[0]! } : { ...base, ok: false, refusal: outcome.refusals[0]! });
    }
  }
}

/** The demo step: the whole walk as one locked, atomic write of the demo registry. */
export async function runDemoWorkflow(store: RegistryStore, now: Date, onProgress: OnProgress<'workflow'>): Promise<void> {
  await store.update((data) => {
    walkSampleWorkflow(data, now, onProgress);
    return { result: undefined, write: true };
  });
}
