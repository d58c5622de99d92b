/** Chinese messages for file-system failures: each names the path and says what the person can do about it. */
import { join } from 'node:path';
export const IO_TEXT = {
  noSpace: (path: string) => `磁盘空间不足，无法写入 ${path}。请清理该磁盘（删除不需要的文件、清空回收站）后重试，或用选项把输出改存到空间充足的文件夹`,
  quota: (path: string) => `已超出磁盘配额，无法写入 ${path}。请清理个人空间或联系管理员，或改存到其他文件夹`,
  denied: (path: string) => `没有权限写入或读取 ${path}。请换一个有写入权限的文件夹（例如「文档」或桌面），或请管理员开放该文件夹的权限`,
  readOnly: (path: string) => `${path} 所在的磁盘或共享文件夹是只读的，无法写入。请把文件复制到可写的文件夹（例如「文档」）后重试，或改存到其他文件夹`,
  busy: (path: string) => `文件 ${path} 正被其他程序占用（例如 Excel、WPS 或杀毒软件）。请先关闭打开该文件的程序后重试`,
  isDirectory: (path: string) => `${path} 是一个文件夹，不是文件。请指定文件名，例如 ${path.replace(/[\\/]+$/, '')}/文件名.xlsx`,
  notDirectory: (path: string) => `路径 ${path} 中的某一级不是文件夹，请检查路径是否写错`,
  missingFolder: (path: string) => `找不到 ${path} 所在的文件夹，请检查路径是否写错，或先创建该文件夹`,
  missingFile: (path: string) => `找不到文件 ${path}，请检查路径和文件名是否写错`,
  tooManyFiles: (path: string) => `打开的文件过多，无法打开 ${path}。请关闭一些程序后重试`,
  nameTooLong: (path: string) => `文件名或路径过长：${path}。请换一个较短的文件名或较浅的文件夹`,
  ioError: (path: string) => `读写 ${path} 时磁盘出错（可能是 U 盘被拔出或网络共享断开）。请检查磁盘或网络连接后重试`,
  tooLarge: (path: string) => `文件 ${path} 过大，超出系统可处理的范围`,
  other: (path: string, code: string) => `读写 ${path} 失败（系统错误 ${code}）。请检查该文件和所在文件夹后重试`,
} as const;

/** Messages of the output-path guard. */
export const OUTPUT_TEXT = {
  registry: '登记表',
  registryBackup: '登记表的备份',
  registryLock: '登记表的锁文件',
  registryAnchor: '登记表的审批记录校验锚点（.chain.json）',
  registryState: '登记表的状态缓存（.state.json）',
  input: '导入文件',
  rejectsWorkbook: '问题工作簿',
  archive: '档案工作簿',
  form: '申请表',
  printed: '打印文件',
  clash: (output: { path: string; role: string }, taken: { path: string; role: string }) =>
    `${output.role} 指定的输出文件 ${output.path} 就是${taken.role}（${taken.path}），写入会覆盖它。请换一个文件名，例如在文件名后加上日期`,
  kinds: { registry: '一份登记表', archive: '一份导出的档案工作簿', form: '一份申请表', rejects: '一份导入问题工作簿' },
  otherKind: (output: { path: string; role: string }, kind: string) =>
    `${output.role} 指定的输出文件 ${output.path} 已存在，而且是${kind}，写入会覆盖它。请换一个文件名`,
  isFolder: (output: { path: string; role: string }) =>
    `${output.role} 指定的 ${output.path} 是一个文件夹。请写出完整的文件名，例如 ${join(output.path, '输出.xlsx')}`,
} as const;

/** Messages of the input size limits. */
export const LIMIT_TEXT = {
  fileTooLarge: (path: string, size: string, limit: string) =>
    `文件 ${path} 有 ${size}，超过单个导入文件的上限 ${limit}。请把它拆成几个较小的工作簿（例如按年度或系部），分批导入`,
  registryTooLarge: (path: string, size: string, limit: string) =>
    `登记表 ${path} 有 ${size}，超过上限 ${limit}，无法安全读写。请确认 --registry 指向的是登记表；如登记表确实这么大，请先用 coop export --year 分年度归档后联系维护人员`,
  notAFile: (path: string) => `${path} 不是普通文件（可能是设备或管道），无法导入`,
  tooManyRows: (limit: number) => `本次导入的数据超过 ${limit} 行的上限，已停止读取，登记表未改动。请把文件拆开分批导入`,
  tooManyColumns: (path: string, sheet: string, n: number, limit: number) =>
    `文件 ${path} 的工作表「${sheet}」有 ${n} 列，超过 ${limit} 列的上限。请删除不需要的空列或辅助列后再导入`,
  help: (file: string, rows: number, columns: number, chars: number) => [
    '',
    '导入限制（超出时拒绝并说明原因，登记表不改动）：',
    `  单个文件不超过 ${file}；一次导入合计不超过 ${rows.toLocaleString('en-US')} 行；`,
    `  每张工作表不超过 ${columns} 列；每个单元格不超过 ${chars.toLocaleString('en-US')} 个字符（Excel 自身的上限）。`,
  ],
} as const;

/** Messages of the content diagnosis of import files. */
export const DIAGNOSIS_TEXT = {
  truncated: (path: string) =>
    `文件 ${path} 不完整（Excel 工作簿的结尾缺失，可能是复制、下载或邮件附件中断）。请向对方重新索取完整的文件，或在原电脑上重新保存后再导入`,
} as const;
