/** `coop report --html` as an operation: the registry's summary rendered as one self-contained HTML file, written atomically. */
import { summaryOf } from './registry-ops.js';
import { reportHtml } from '../report/html.js';
import { writeFileAtomic } from '../stores/atomic-file.js';
import type { RegistryStore } from '../stores/store.js';

export const DEFAULT_REPORT_NAME = '合作交流报告.html';

export async function writeHtmlReport(store: RegistryStore, out: string, now: Date): Promise<{ path: string; total: number }> {
  const { summary, settings, today } = await summaryOf(store, now);
  await writeFileAtomic(out, new TextEncoder().encode(reportHtml(summary, settings.schoolName, today)));
  return { path: out, total: summary.total };
}
