/** Chinese messages of the Google adapter: credentials, network, quota and Drive/Docs failures. */
export const GOOGLE_TEXT = {
  noCredentials:
    '未配置 Google 凭据：请设置环境变量 GOOGLE_APPLICATION_CREDENTIALS 指向服务账号密钥文件，或先运行 coop google login（OAuth 桌面登录）。详见 docs/部署指南.md「四、命令行连接共享表格」',
  keyFileUnreadable: (path: string, reason: string) => `无法读取服务账号密钥文件 ${path}：${reason}`,
  keyFileInvalid: (path: string) => `${path} 不是服务账号密钥文件（应为 JSON，type 为 service_account，含 client_email 与 private_key）`,
  clientFileInvalid: (path: string) =>
    `${path} 不是 OAuth 桌面应用客户端文件（应为从 Google Cloud 控制台下载的 JSON，含 installed.client_id 与 client_secret）`,
  tokenCacheMissing: (path: string) => `尚未登录 Google：令牌缓存 ${path} 不存在。请先运行 coop google login`,
  tokenCacheOpen: (path: string, mode: string) =>
    `令牌缓存 ${path} 的权限为 ${mode}，其他用户也能读取，已拒绝使用。请运行 chmod 600 ${path}，或删除后重新运行 coop google login`,
  tokenCacheInvalid: (path: string) => `令牌缓存 ${path} 已损坏，请删除后重新运行 coop google login`,
  badApiRoot: (value: string) => `环境变量 COOP_GOOGLE_API_ROOT 的值「${value}」不是有效的网址（例如 http://127.0.0.1:8089/）`,
  badProxy: (value: string) => `代理地址「${value}」无效（HTTPS_PROXY 应形如 http://代理服务器:端口）`,
  http: (what: string, status: number, reason: string) => `Google 接口调用失败（${what}）：HTTP ${status}${reason ? `，${reason}` : ''}`,
  network: (what: string, reason: string) => `无法连接 Google（${what}）：${reason}。如需经代理访问，请设置 HTTPS_PROXY（例如 http://代理服务器:端口）`,
  gaveUp: (what: string, attempts: number) => `Google 接口（${what}）连续 ${attempts} 次繁忙或出错，已停止重试，请稍后再试`,
  notFound: (what: string, id: string) => `在 Google 云端硬盘中找不到 ${what}（ID ${id}），或当前账号无权访问`,
  permission: (what: string) => `当前 Google 账号无权执行：${what}。请把相关文件夹/文档共享给该账号（服务账号请共享给其 client_email）`,
  placeholderMissing: (template: string, names: readonly string[]) =>
    `协议模板（Google 文档 ${template}）中找不到占位符：${names.map((n) => `{{${n}}}`).join('、')}；已删除未完成的副本，未生成协议`,
  placeholderUnknown: (template: string, names: readonly string[]) =>
    `协议模板（Google 文档 ${template}）含有无法识别的占位符：${names.map((n) => `{{${n}}}`).join('、')}；未生成协议`,
  placeholderInValue: (name: string) => `字段「${name}」的值中含有「{{」或「}}」，不能填入协议模板`,
  templateNotRecorded: (key: string) =>
    `登记表「设置」的「协议模板」中没有「${key}」或「通用」的 Google 文档 ID；请先运行 coop templates upload，未生成任何协议`,
  templatesDirMissing: (dir: string) => (flag?: string) => `找不到模板目录 ${dir}（${flag ? `用 ${flag} ` : '请'}指定存放 .docx 协议模板的目录）`,
  templatesDirEmpty: (dir: string) => `模板目录 ${dir} 中没有 .docx 协议模板`,
  folderRequired: '请用 --folder 指定存放模板的 Google 云端硬盘文件夹 ID，或在 coop.config.json 中设置 google.templatesFolder',
  retrying: (what: string, reason: string, seconds: number) => `Google 接口繁忙或出错（${what}，${reason}），${seconds} 秒后重试…`,
  loginOpen: (url: string) => `请在浏览器中打开以下网址，用学校 Google 账号登录并授权：\n${url}`,
  loginDone: (path: string) => `登录成功，令牌已保存到 ${path}（仅本用户可读）`,
  loginDenied: (reason: string) => `Google 登录未完成：${reason}`,
} as const;
