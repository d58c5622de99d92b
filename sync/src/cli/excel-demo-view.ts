/** Prints the Excel steps of `coop demo`: forms written, what the import did to each row, the archive written. */
import type { ExcelDemoEvent } from '../ops/demo-excel.js';
import type { Output } from './output.js';

export function printExcelDemoEvent(output: Output, e: ExcelDemoEvent): void {
  if (e.step === 'excel-forms') output.out(`✔ 生成申请表和系部填写的样例文件：${e.files.join('、')}`);
  if (e.step === 'excel-import') {
    const { read, inserted, updated, unchanged, rejected } = e.result.counts;
    output.out(`✔ 导入系部文件：读取 ${read} 行，新增 ${inserted} · 更新 ${updated} · 未变 ${unchanged} · 拒绝 ${rejected}`);
    if (e.result.rejectsFile) output.out(`  被拒绝的行（故意写错的样例）已写入 ${e.result.rejectsFile}`);
  }
  if (e.step === 'excel-export') output.out(`✔ 导出档案 ${e.result.path}（SHA-256 ${e.result.digest.slice(0, 16)}…）`);
}
