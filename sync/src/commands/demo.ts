/** `coop demo`: runs the main job on built-in sample data and prints what it did and the registry's status. */
import { printStatus } from '../views/status-view.js';
import { runDemo } from '../ops/demo.js';
import { progressRenderer } from '../views/progress-view.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop demo [--dir DIR]',
  description: '用内置样例数据演示：新建登记表、登记合作单位和项目，并输出统计。所有文件写入 DIR（默认 ./demo-output）。',
  options: { dir: { type: 'string', default: 'demo-output' } },
  optionHelp: ['  --dir DIR   演示文件的输出目录（默认 ./demo-output；其中的演示登记表每次重新生成）'],
  async run({ values, output, now }) {
    const result = await runDemo(values.dir as string, now, progressRenderer(output).onProgress);
    output.out();
    output.out(`登记表：${result.registryPath}`);
    printStatus(output, result.summary);
    return 'ok';
  },
};
