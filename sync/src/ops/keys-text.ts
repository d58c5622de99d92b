/** Chinese messages of personal keys: creating, rotating and listing them in 设置. */
export const KEY_TEXT = {
  exists: (path: string) => (flag?: string) =>
    `密钥 ${path} 已存在。如需换钥请${flag ? `加 ${flag}` : '选择换钥'}（旧密钥改名保留），并请合作交流处在「设置」中登记新公钥`,
  open: (path: string) => `私钥文件 ${path} 可被他人读取，已拒绝使用；请执行 chmod 600 "${path}"`,
  created: (path: string) => `已生成签名密钥，私钥保存在 ${path}（仅本人可读，请勿外传）。`,
  retired: (path: string) => `旧私钥已改名保留为 ${path}；请合作交流处在「设置」中把旧公钥标注「撤销于 日期」。`,
  listHint: (email: string, listed: string) =>
    `请把下面一行交合作交流处登记到「设置」（分组「公钥」，设置项为邮箱，值为公钥）：\n  公钥 | ${email} | ${listed}`,
} as const;
