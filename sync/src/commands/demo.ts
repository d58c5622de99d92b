/** `coop demo`: runs the main job on built-in sample data and prints what it did and the registry's status. */
import { printStatus } from '../views/status-view.js';
import { printExcelDemoEvent } from '../views/excel-demo-view.js';
import { runDemo } from '../ops/demo.js';
import type { ExcelDemoEvent } from '../ops/demo-excel.js';
import { printDemoWorkflowStep } from '../views/workflow-view.js';
import { printRemindDemoEvent } from '../views/remind-view.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop demo [--dir DIR]',
  description: '用内置样例数据演示：新建登记表、登记合作单位和项目，并输出统计。所有文件写入 DIR（默认 ./demo-output）。',
  options: { dir: { type: 'string', default: 'demo-output' } },
  optionHelp: ['  --dir DIR   演示文件的输出目录（默认 ./demo-output；其中的演示登记表每次重新生成）'],
  async run({ values, output, now }) {
    const result = await runDemo(values.dir as string, now, (e) => {
      if (e.step === 'registry') output.out(`✔ 新建登记表 ${e.path}`);
      if (e.step === 'records') output.out(`✔ 登记样例合作单位 ${e.partners} 家、合作项目 ${e.projects} 项（草稿）`);
      if (e.step === 'agreements') output.out(`✔ 为已批准的项目生成合作协议 ${e.generated} 份${e.generated ? `（${e.dir}）` : '（暂无已批准的项目）'}`);
      if (e.step.startsWith('excel-')) printExcelDemoEvent(output, e as ExcelDemoEvent);
      if (e.step === 'workflow') printDemoWorkflowStep(output, e);
      if (e.step === 'renew' || e.step === 'remind') printRemindDemoEvent(output, e);
    });
    output.out();
    output.out(`登记表：${result.registryPath}`);
    printStatus(output, result.summary);
    return 'ok';
  },
};
