/** Chinese messages about the review log's integrity: chain breaks, anchors, repairs and signatures. */

const at = (sheetRow: number | undefined, index: number) => `第 ${sheetRow ?? index + 2} 行`;

export const LOG_CHAIN_TEXT = {
  noHash: (row: number | undefined, i: number) => `「审批记录」${at(row, i)}没有校验值：该行不是本系统写入的（手工录入或粘贴）`,
  swapped: (row: number | undefined, i: number) => `「审批记录」${at(row, i)}与下一行的顺序被调换过`,
  mismatch: (row: number | undefined, i: number) => `「审批记录」${at(row, i)}的校验值与内容不符：该行被手工修改过，或它前面的行被删除、调换或插入过`,
  anchorMissing: (where: string) => `找不到审批记录的校验锚点（${where}）：无法确认审批记录未被整体改写`,
  truncated: (count: number, anchored: number) => `「审批记录」只有 ${count} 条，而上次核验时有 ${anchored} 条：末尾的记录被删除了`,
  rewritten: (row: number | undefined, i: number) => `「审批记录」${at(row, i)}的校验值与上次核验保存的不一致：整条记录链被重新计算（改写）过`,
  unanchored: (row: number | undefined, i: number, n: number) => `「审批记录」${at(row, i)}起的 ${n} 条记录不是本系统写入的（上次核验之后被追加）`,
  inserted: (row: number | undefined, i: number, n: number) => `「审批记录」${at(row, i)}起的 ${n} 条记录不是本系统写入的（在本系统写入其后一行之前被追加）`,
  notEntitled: (row: number | undefined, i: number, actor: string, action: string, body: string) =>
    `「审批记录」${at(row, i)}不是本系统核验过的记录，且「${actor || '（空）'}」无权记录「${action}」（${body || '（空）'}）：该记录不计入`,
  broken: (first: string) => `审批记录已被改动，审批操作暂停：${first}`,
  brokenAdvice: '请合作交流处核实后运行 coop log repair --reason "核实情况" 记录「日志更正」并重新锚定；任何记录都不会被删除。',
  verified: (count: number) => `审批记录 ${count} 条，校验链完整。`,
  repairRemark: (reason: string, found: string, excluded: readonly number[]) =>
    `${reason}；发现：${found}${excluded.length ? `；不计入：${excluded.map((n) => `第 ${n} 行`).join('、')}` : ''}`,
  /** The sheet rows a repair remark lists as no longer counting. */
  excludedRows: (remark: string): number[] => {
    const m = /；不计入：((?:第 \d+ 行、?)+)/.exec(remark);
    return m ? [...m[1]!.matchAll(/第 (\d+) 行/g)].map((x) => Number(x[1])) : [];
  },
  repaired: (found: string, excluded: readonly number[]) =>
    `已记录「日志更正」并重新锚定校验链。发现：${found}${excluded.length ? `；以下记录不再计入：${excluded.map((n) => `第 ${n} 行`).join('、')}` : ''}`,
  nothingToRepair: '审批记录校验链完整，无需更正。',
  repairOfficeOnly: (actor: string) => `只有合作交流处工作人员可以更正审批记录（${actor} 不在「设置」的合作交流处名单中）`,
  repairReasonRequired: '请用 --reason 写明更正原因（核实了什么）',
  signatureBad: (row: number | undefined, i: number, actor: string) =>
    `「审批记录」${at(row, i)}的签名不是「${actor}」在「设置」中登记的公钥所签，该记录不计入`,
  signatureMissing: (row: number | undefined, i: number, actor: string) =>
    `「审批记录」${at(row, i)}没有签名，而「${actor}」在「设置」中登记了公钥，该记录不计入`,
} as const;

export const SIGN_TEXT = {
  refused: (projectId: string) => `项目 ${projectId} 不能登记签署：`,
  badClock: '当前时间无效（系统时钟或 COOP_NOW 设置有误），未作任何记录',
  future: (date: string, today: string) => `签署日期 ${date} 晚于今天（${today}）：不能登记尚未发生的签署`,
  beforeApproval: (date: string, approved: string) => `签署日期 ${date} 早于党委会批准日期 ${approved}：未经批准不得签署`,
  afterEnd: (date: string, end: string) => `合作期限已于 ${end} 结束，签署日期 ${date} 在期限之后；如确需补登，请加 --allow-expired（将记入审批记录）`,
  expiredNote: (end: string) => `；补登：合作期限已于 ${end} 结束`,
  numberTaken: (no: string, holder: string) => `协议编号 ${no} 已被项目 ${holder} 使用：协议编号在登记表中必须唯一`,
} as const;

/** The agreement number and date of a 签署 remark as core's WORKFLOW_TEXT.remarks.signed writes it. */
export function signedRemarkParts(remark: string | null): { agreementNo: string; date: string } | null {
  // A 签署 remark starts with these facts; a 历史登记 remark carries them after its own lead-in.
  const m = /(?:^|：)协议编号 (.+?)，签署日期 (\d{4}-\d{2}-\d{2})/.exec(remark ?? '');
  return m ? { agreementNo: m[1]!, date: m[2]! } : null;
}

export const LOG_CHECK_TEXT = {
  disagrees: (header: string, typed: string, logged: string) =>
    `「${header}」填的是「${typed}」，审批记录记载的是「${logged}」：以审批记录为准，该单元格不计入`,
  notSigned: '未签署',
  advice: '审批操作已暂停，请合作交流处核实后运行 coop log repair --reason "核实情况"',
} as const;
