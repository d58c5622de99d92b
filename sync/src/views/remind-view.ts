/** Prints what `coop remind` sent or would send: each digest in a dry run, then one line per delivery, then failures. */
import { RENEWAL_TEXT } from '../../../core/index.js';
import { NOTIFY_CLI_TEXT as T } from '../notify/text.js';
import type { ProgressOf } from '../ops/progress.js';
import type { RemindResult } from '../ops/remind.js';
import type { Output } from './output.js';

export function printRemind(output: Output, result: RemindResult, dryRun: boolean): void {
  if (!result.digests.length) {
    output.out(T.nothing(result.today));
    return;
  }
  output.out(T.header(result.today, dryRun, result.digests.length));
  if (dryRun) {
    for (const digest of result.digests) {
      output.out();
      output.out(digest.text);
    }
    output.out();
  }
  for (const { delivery, status, error } of result.deliveries) {
    const target = T.target(delivery.target);
    if (status === 'failed') output.err(T.failed(delivery.recipient, target, error ?? ''));
    else
      output.out(
        status === 'sent'
          ? T.sent(delivery.recipient, target)
          : status === 'already'
            ? T.already(delivery.recipient, target)
            : T.wouldSend(delivery.recipient, target),
      );
  }
  if (result.skipped.length) {
    output.err(T.problems);
    for (const s of result.skipped) output.err(`  ${s}`);
  }
  if (!dryRun)
    output.out(T.summary(result.deliveries.filter((d) => d.status === 'sent').length, result.deliveries.filter((d) => d.status === 'failed').length));
}

/** The demo's renewal and its reminder preview. */
export function printRemindDemoEvent(output: Output, e: ProgressOf<'renew' | 'remind'>): void {
  if (e.step === 'renew') {
    const r = e.renewal;
    output.out(`✔ 续签（coop renew ${r.from}）：${RENEWAL_TEXT.renewed(r.from, r.projectId, r.startDate, r.endDate)}`);
    return;
  }
  output.out(`✔ 每日提醒预演（coop remind --dry-run，按 ${e.asOf} 计算）：`);
  const indent = (text = '') => text.split('\n').forEach((line) => output.out(line ? `  ${line}` : ''));
  const indented: Output = { out: indent, err: indent };
  printRemind(indented, e.result, true);
}
