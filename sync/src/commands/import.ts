/** `coop import`: brings department forms, archives and hand-typed registers into the registry and says what became of each row. */
import { formatProblem } from '../io/problems.js';
import { progressRenderer } from '../views/progress-view.js';
import { limitHelp } from '../io/limits.js';
import { BY_FLAG, BY_OPTION, OPTION_TEXT } from './options.js';
import { actingUser, loadConfig } from '../config.js';
import { IMPORT_TEXT } from '../excel/text.js';
import { DEFAULT_REJECTS, importFiles } from '../ops/import.js';
import type { Command } from './command.js';

export const command: Command = {
  usage: 'coop import FILE… [--registry PATH] [--dry-run] [--strict] [--rejects 导入问题.xlsx] [--historical --by EMAIL]',
  description:
    '导入系部填写的申请表、导出的档案或手工登记的台账（.xlsx、.xls、.ods 或 UTF-8/GBK 编码的 CSV）。新记录自动编号，已有记录（按编号，或按合作单位+项目名称）更新，内容相同的不动；' +
    '有问题的行不导入，原样写入问题工作簿并在「问题」列注明原因，改正后可再次导入。审查、会议、签署和状态列不能通过导入设置。',
  flags: { ...BY_FLAG, rejects: '--rejects', historical: '--historical' },
  options: { 'dry-run': { type: 'boolean' }, strict: { type: 'boolean' }, rejects: { type: 'string' }, historical: { type: 'boolean' }, ...BY_OPTION },
  optionHelp: [
    '  --dry-run          只检查、不写入（登记表和问题工作簿都不写）',
    '  --strict           严格模式：只要有一行被拒绝，整批都不导入',
    `  --rejects FILE     被拒绝的行写入此工作簿（默认 ./${DEFAULT_REJECTS}）`,
    ...limitHelp(),
    '  --historical       历史登记（仅合作交流处）：填有「协议编号」和「签署日期」的新项目登记为「已生效」（过结束日期为「已到期」），',
    '                     每个项目在「审批记录」中记一条「历史登记」，写明操作人和来源文件',
    OPTION_TEXT.byOption,
  ],
  allowPositionals: true,
  async run({ values, positionals, output, now }) {
    if (!positionals.length) {
      output.err('请指定要导入的文件，例如：coop import 数控系申请表.xlsx');
      output.err(`用法：${this.usage}`);
      return 'usage';
    }
    const progress = progressRenderer(output);
    const result = await importFiles({
      files: positionals,
      registry: values.registry as string,
      now,
      dryRun: Boolean(values['dry-run']),
      strict: Boolean(values.strict),
      ...(values.historical ? { historical: true, actor: actingUser(values.by, loadConfig()) ?? '' } : {}),
      ...(typeof values.rejects === 'string' ? { rejectsPath: values.rejects } : {}),
      onProgress: progress.onProgress,
    });
    progress.done();
    for (const note of result.notes) output.out(`注意：${note}`);
    for (const message of result.unrecognised) output.out(`未导入：${message}`);
    for (const r of result.rejected) for (const p of r.problems) output.out(formatProblem(r.file, p));
    for (const { file, note } of result.rowNotes) output.out(`${note.ignored ? '未采用' : '提示'}：${formatProblem(file, note)}`);
    const { read, inserted, updated, unchanged, rejected } = result.counts;
    output.out(`读取 ${read} 行：新增 ${inserted} · 更新 ${updated} · 未变 ${unchanged} · 拒绝 ${rejected}`);
    for (const [sheet, c] of Object.entries(result.bySheet)) {
      output.out(`  ${sheet}：读取 ${c.read}，新增 ${c.inserted}，更新 ${c.updated}，未变 ${c.unchanged}，拒绝 ${c.rejected}`);
    }
    if (result.historical) output.out(`  历史登记：${result.historical} 个已签署协议的项目登记为「已生效」，已记入「审批记录」`);
    if (result.partnersFromRows) output.out(`  ${IMPORT_TEXT.partnersFromRows(result.partnersFromRows)}`);
    if (values['dry-run']) output.out('（试运行：未写入任何文件）');
    else output.out(result.written ? `已写入登记表 ${values.registry as string}` : '登记表未改动');
    if (result.rejectsFile) output.out(`被拒绝的行已写入 ${result.rejectsFile}，请按「问题」列改正后重新导入`);
    // Refused rows, cells not taken and sheets not read are all problems the office must see to.
    return rejected > 0 || result.unrecognised.length > 0 || result.rowNotes.some((n) => n.note.ignored) ? 'problems' : 'ok';
  },
};
