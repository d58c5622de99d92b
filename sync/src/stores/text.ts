/** Chinese messages of the registry stores. */
export const STORE_TEXT = {
  locked: (path: string) => `登记表 ${path} 正被另一个 coop 进程使用，请稍后再试（若确认没有其他进程，可删除 ${path}.lock）`,
  lockLost: (path: string) =>
    `登记表 ${path} 的锁在处理过程中失效（可能被另一个 coop 进程接管，或锁文件被删除），为免覆盖他人的修改，本次更改未写入登记表；请确认没有其他 coop 进程后重新运行`,
  appendNeedsRewrite: (path: string, rows: number) =>
    `登记表 ${path} 中有单元格无法就地改写，需要整体重写，但本次导入已逐行追加了 ${rows} 行新记录，无法一并整体重写；登记表未改动。请把导入文件拆成每个不超过 5000 行新记录的几个文件分别导入`,
  missing: (path: string) => `找不到登记表 ${path}。请先运行 coop init 创建，或用 --registry 指定文件`,
  exists: (path: string) => `登记表 ${path} 已存在；如要重新创建，请先移走该文件`,
  unreadable: (path: string, reason: string) => `无法读取 ${path}：${reason}。请确认它是 Excel 工作簿（.xlsx）；旧版 .xls 请在 Excel/WPS 中「另存为」.xlsx`,
  missingSheet: (path: string, sheet: string) => `登记表 ${path} 缺少工作表「${sheet}」；可运行 coop init --repair 补齐`,
  missingHeaders: (path: string, sheet: string, headers: readonly string[]) =>
    `登记表 ${path} 的工作表「${sheet}」缺少列：${headers.join('、')}（列按表头文字识别，可调整顺序，但不能改名）`,
  badSpreadsheet: (location: string) => `共享登记表的写法应为 gsheet:表格ID（表格网址中 /d/ 与 /edit 之间的部分），现为「${location}」`,
  xlsxOnly: (command: string) => `${command} 只适用于本地 .xlsx 登记表；共享 Google 表格请用 coop google setup --spreadsheet ID 建立或修复结构`,
  registryWord: '登记表',
  openInOffice: (what: string, path: string, program: string, owner: string) =>
    `${what} ${path} 正在被 ${owner ? `${owner} 用 ` : ''}${program} 打开，请先关闭后再运行 coop（否则对方下次保存会覆盖 coop 写入的内容）`,
  lockFile: (lock: string, since: Date) => `锁文件：${lock}（${since.toISOString().slice(0, 16).replace('T', ' ')} UTC 起）`,
  staleLock: (lock: string, hours: number) =>
    `该锁文件已超过 ${hours} 小时未更新，可能是程序异常退出后遗留的。若确认没有任何人打开登记表，请删除该锁文件后重试（它是隐藏文件：Windows 资源管理器中勾选「查看→隐藏的项目」后可见，或运行 del /A:H "${lock}"；Linux/macOS 运行 rm "${lock}"）`,
  heldOnWindows: '系统拒绝独占打开该文件，说明另一个程序（Excel、WPS 或同步盘客户端）正在使用它',
} as const;
