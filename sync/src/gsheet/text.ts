/** Chinese messages of the shared-sheet adapter: layout, concurrent edits, setup. */
export const GSHEET_TEXT = {
  missingHeaders: (location: string, sheet: string, headers: readonly string[]) =>
    `共享登记表 ${location} 的工作表「${sheet}」缺少列：${headers.join('、')}（列按表头文字识别，可调整顺序，但不能改名）；可运行 coop google setup --spreadsheet ID 补齐`,
  missingSheets: (location: string, sheets: readonly string[]) =>
    `共享登记表 ${location} 缺少工作表：${sheets.join('、')}；请先运行 coop google setup --spreadsheet ID 建立登记表结构`,
  notFound: (location: string) =>
    `找不到共享登记表 ${location}，或当前 Google 账号无权访问；请确认表格 ID，并把表格共享给该账号（服务账号请共享给其 client_email）`,
  conflictDeleted: (sheet: string, id: string) => `「${sheet}」中编号 ${id} 的行已被他人删除`,
  conflictDuplicate: (sheet: string, id: string) => `「${sheet}」中编号 ${id} 现在出现在多行`,
  conflictMoved: (sheet: string, row: number) => `「${sheet}」第 ${row} 行已被他人修改、移动或删除`,
  conflictEdited: (sheet: string, row: number, id: string | null, headers: readonly string[]) =>
    `「${sheet}」第 ${row} 行${id ? `（${id}）` : ''}在读取后被他人修改：${headers.join('、')}`,
  conflictIdTaken: (sheet: string, id: string) => `「${sheet}」中编号 ${id} 已被他人同时占用`,
  conflictGaveUp: (location: string, attempts: number) =>
    `共享登记表 ${location} 正被他人同时编辑，${attempts} 次重新读取后仍有冲突；为避免覆盖他人的修改，本次未写入任何内容，请稍后再试`,
  writeForbidden: (location: string) =>
    `Google 拒绝写入共享登记表 ${location}：状态等系统列和「审批记录」受保护，只有「设置」中的合作交流处工作人员（及运行 coop google setup 的账号）可以写入。请把 coop 使用的账号（服务账号即密钥文件中的 client_email）加入「设置」→ 合作交流处 → 工作人员邮箱，再运行一次 coop google setup`,
  setupNeedsId: '请用 --spreadsheet ID 指定要设置的 Google 表格（或用 --registry gsheet:ID，或在 coop.config.json 中设置 registry）',
  protectionDescription: (what: string) => `coop：${what}`,
  protectionOffice: '仅合作交流处（及表格所有者）可编辑',
  protectionApprovers: (department: string) => `仅${department}审查人可勾选`,
  systemColumn: '由系统填写，请勿手工修改',
  missingSheetId: (sheet: string) => `共享登记表缺少工作表「${sheet}」（写入时未找到）；请运行 coop google setup 补齐`,
} as const;
