/** The CLI's one renderer of op progress: counted steps drive the progress bar, milestones print a line each. */
import { GOOGLE_TEXT } from '../google/text.js';
import type { ProgressEvent } from '../ops/progress.js';
import { printExcelDemoEvent } from './excel-demo-view.js';
import type { Output } from './output.js';
import { progressBar, type Progress } from './progress.js';
import { printRemindDemoEvent } from './remind-view.js';
import { printDemoWorkflowStep } from './workflow-view.js';

export interface ProgressRenderer {
  onProgress(e: ProgressEvent): void;
  /** Ends a bar still drawn, so what the command prints next starts on a line of its own. */
  done(): void;
}

export function progressRenderer(output: Output, bar: Progress = progressBar()): ProgressRenderer {
  const onProgress = (e: ProgressEvent): void => {
    switch (e.step) {
      case 'file':
        bar.update('读取文件', e.done, e.total);
        return;
      case 'merge':
        if (e.done === 0) bar.done();
        bar.update('合并记录', e.done, e.total);
        return;
      case 'note':
        // Import notes are printed with the result, beside the rows they concern.
        return;
      case 'generated': {
        const a = e.agreement;
        output.out(`✔ ${a.projectId} ${a.draft ? '草稿' : `协议 ${a.agreementNo}`} → ${a.link}${a.pdfLink ? `，PDF：${a.pdfLink}` : ''}`);
        return;
      }
      case 'skipped':
        output.out(`· ${e.projectId} 已有协议 ${e.link}，跳过（如需重新生成请加 --force）`);
        return;
      case 'retry':
        output.err(GOOGLE_TEXT.retrying(e.what, e.reason, Math.round(e.delayMs / 100) / 10));
        return;
      case 'uploaded':
        output.out(`✔ ${e.template.file} → Google 文档 ${e.template.docId}  ${e.template.link}`);
        return;
      case 'recorded':
        output.out(`已在 ${e.registry} 的「设置」中记录 ${e.count} 个协议模板的文档 ID。`);
        return;
      case 'registry':
        output.out(`✔ 新建登记表 ${e.path}`);
        return;
      case 'records':
        output.out(`✔ 登记样例合作单位 ${e.partners} 家、合作项目 ${e.projects} 项（草稿）`);
        return;
      case 'agreements':
        output.out(`✔ 为已批准的项目生成合作协议 ${e.generated} 份${e.generated ? `（${e.dir}）` : '（暂无已批准的项目）'}`);
        return;
      case 'excel-forms':
      case 'excel-import':
      case 'excel-historical':
      case 'excel-export':
        printExcelDemoEvent(output, e);
        return;
      case 'workflow':
        printDemoWorkflowStep(output, e);
        return;
      case 'renew':
      case 'remind':
        printRemindDemoEvent(output, e);
        return;
      default:
        e satisfies never;
    }
  };
  return { onProgress, done: () => bar.done() };
}
