/** Prints a status summary as the office reads it. */
import { STATUSES, formatYuan as yuan, type StatusSummary } from '../../../core/index.js';
import { padEnd, type Output } from './output.js';

export function printStatus(output: Output, s: StatusSummary): void {
  output.out(`项目总数：${s.total}`);
  output.out();
  output.out('按状态：');
  for (const status of STATUSES) if (s.byStatus[status]) output.out(`  ${padEnd(status, 12)}${s.byStatus[status]}`);
  output.out('按合作类别：');
  for (const [category, n] of Object.entries(s.byCategory)) if (n) output.out(`  ${padEnd(category, 30)}${n}`);
  output.out('按承办系部：');
  for (const [department, n] of Object.entries(s.byDepartment)) if (n) output.out(`  ${padEnd(department, 30)}${n}`);
  output.out('待各部门审查：');
  const waiting = Object.entries(s.waitingOn).filter(([, ids]) => ids.length);
  if (!waiting.length) output.out('  （无）');
  for (const [department, ids] of waiting)
    output.out(
      `  ${padEnd(department, 20)}${ids.length} 项（最久 ${s.oldestWaitingDays[department as keyof typeof s.oldestWaitingDays]} 天）：${ids.join('、')}`,
    );
  output.out('按申请年度：');
  for (const y of s.byYear) output.out(`  ${padEnd(y.year, 8)}${y.projects} 项  预计收入 ${yuan(y.income)}  预计支出 ${yuan(y.expense)}`);
  output.out(`预计收入合计：${yuan(s.totals.income)}  预计支出合计：${yuan(s.totals.expense)}`);
  output.out(`即将到期的协议：${s.expiring.length} 项`);
  for (const e of s.expiring) output.out(`  ${e.projectId} ${e.endDate} 到期 · ${e.title}`);
  output.out(`逾期未填报的年度评价：${s.overdueEvaluations.length} 项`);
  for (const e of s.overdueEvaluations) output.out(`  ${e.projectId} ${e.year} 年度 · ${e.title} · ${e.department}`);
  if (s.dueEvaluations.length) {
    output.out(`本年度待填报的年度评价（12月31日截止）：${s.dueEvaluations.length} 项`);
    for (const e of s.dueEvaluations) output.out(`  ${e.projectId} ${e.year} 年度 · ${e.title} · ${e.department}`);
  }
}
