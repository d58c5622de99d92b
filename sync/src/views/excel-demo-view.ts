/** Prints the Excel steps of `coop demo`: forms written, what the import did to each row, the archive written. */
import type { ProgressOf } from '../ops/progress.js';
import type { Output } from './output.js';

export function printExcelDemoEvent(output: Output, e: ProgressOf<'excel-forms' | 'excel-import' | 'excel-historical' | 'excel-export'>): void {
  if (e.step === 'excel-forms') output.out(`✔ 生成申请表和系部填写的样例文件：${e.files.join('、')}`);
  if (e.step === 'excel-import') {
    const { read, inserted, updated, unchanged, rejected } = e.result.counts;
    output.out(`✔ 导入系部文件：读取 ${read} 行，新增 ${inserted} · 更新 ${updated} · 未变 ${unchanged} · 拒绝 ${rejected}`);
    if (e.result.rejectsFile) output.out(`  被拒绝的行（故意写错的样例）已写入 ${e.result.rejectsFile}`);
    // A near miss is answered with a suggestion, never corrected silently.
    const suggestion = e.result.rejected.flatMap((r) => r.problems).find((p) => p.message.includes('您是否指'));
    if (suggestion)
      output.out(
        `  建议示例：「${suggestion.column}」填的「${String(suggestion.value)}」${suggestion.message.slice(suggestion.message.lastIndexOf('；'))}（未自动更改）`,
      );
  }
  if (e.step === 'excel-historical') {
    output.out(
      `✔ 历史登记（合作交流处，--historical）：${e.file} 中 ${e.result.historical} 个系统启用前已签署的协议登记为「已生效」（已过结束日期的显示「已到期」），「审批记录」中各记一条「历史登记」`,
    );
  }
  if (e.step === 'excel-export') output.out(`✔ 导出档案 ${e.result.path}（SHA-256 ${e.result.digest.slice(0, 16)}…）`);
}
