/** Chinese messages of the workflow operations: unknown projects, missing actors, refusal summaries. */
import type { Status } from '../../../core/index.js';

export const WORKFLOW_OP_TEXT = {
  actorMissing: (flag?: string) => `请指定操作人：${flag ? `使用 ${flag} 邮箱，或` : ''}设置环境变量 COOP_USER，或在 coop.config.json 中填写 "user"`,
  actorInvalid: (actor: string) => `操作人「${actor}」不是有效的电子邮箱`,
  noProjects: '请至少指定一个项目编号',
  keyRequired: (actor: string, path: string) =>
    `「设置」中为 ${actor} 登记了签名公钥，但本机没有其私钥（${path}）：未签名的操作不计入，已拒绝。请在持有密钥的电脑上操作，或运行 coop key new --rotate 换钥后请合作交流处更新「设置」`,
  notFound: (location: string, ids: readonly string[]) => `登记表 ${location} 的「合作项目」中没有项目编号为 ${ids.join('、')} 的项目`,
  duplicateRows: (projectId: string, rows: readonly string[]) =>
    `「合作项目」中有多行项目编号都是 ${projectId}（${rows.join('、')}），无法确定要操作哪一行；请先运行 coop validate 并修正`,
  context: (projectId: string, title: string, status: Status, allowed: readonly string[]) =>
    `项目 ${projectId}「${title}」当前状态为「${status}」；${allowed.length ? `当前可以：${allowed.join('、')}` : '该状态下不能再办理任何审批操作'}`,
  nothingWritten: '登记表未作任何修改。',
  trespassLogged: '此次越权尝试已记入「审批记录」；登记表的其他内容未作修改。',
  batchRefused: (n: number, total: number) => `${total} 个项目中有 ${n} 个不能办理，全部未办理（请修正后重新运行同一命令）：`,
} as const;
