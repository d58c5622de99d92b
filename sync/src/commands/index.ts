/** The command table: names, one-line summaries for help, and lazy loaders so `coop --help` loads nothing heavy. */
import type { Command } from './command.js';

interface CommandEntry {
  summary: string;
  load: () => Promise<{ command: Command }>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  init: { summary: '新建登记表（设置页填入学校默认值）；--repair 补齐缺失的工作表和列', load: () => import('./init.js') },
  validate: { summary: '按全部规则校验登记表，逐条列出问题（有问题时退出码为 1）', load: () => import('./validate.js') },
  status: { summary: '统计：各状态/类别/系部项目数，各部门待审查项目，逾期未填的年度评价', load: () => import('./status.js') },
  submit: { summary: '提交审查：检查项目完整有效、合作单位诚信状况不是「不良」', load: () => import('./submit.js') },
  review: { summary: '记录职能部门审查通过（--undo 撤销），仅该部门审查人可操作', load: () => import('./review.js') },
  return: { summary: '退回修改：项目退回申请人，清除全部审查勾选，须写原因', load: () => import('./return.js') },
  meeting: { summary: '记录校长办公会、党委会审议结果（先校长办公会后党委会）', load: () => import('./meeting.js') },
  sign: { summary: '登记已批准项目的协议签署，项目生效', load: () => import('./sign.js') },
  terminate: { summary: '终止已批准或已生效的项目，须写原因', load: () => import('./terminate.js') },
  partner: { summary: 'partner integrity：合作交流处变更合作单位诚信状况，须写原因，记入审批记录', load: () => import('./partner.js') },
  agreement: { summary: '按模板生成合作协议（.docx，可选 PDF），协议编号和文件路径写回登记表', load: () => import('./agreement.js') },
  form: { summary: '生成供系部填写的 Excel 申请表（表头、下拉列表、校验均与登记表一致）', load: () => import('./form.js') },
  import: {
    summary: '导入申请表、档案或手工台账（.xlsx/.xls/.ods/CSV）；有问题的行写入问题工作簿；--historical 历史登记已签协议',
    load: () => import('./import.js'),
  },
  report: { summary: '生成统计报告网页（--html 文件）：与 coop status 相同的数字，附图表，可 A4 打印', load: () => import('./report.js') },
  export: { summary: '导出可打印的 Excel 归档工作簿（封面、各表、统计）', load: () => import('./export.js') },
  print: { summary: '打印：approval 合作项目审批表；agenda 会议议题材料；annual 年度合作报告（可加 --pdf）', load: () => import('./print.js') },
  google: {
    summary: 'Google：login 用 OAuth 桌面方式登录（令牌仅本人可读）；setup 按规范建立/修复共享登记表的工作表、表头、下拉列表和保护范围',
    load: () => import('./google.js'),
  },
  templates: { summary: '协议模板：upload 把 templates/*.docx 转为 Google 文档并把 ID 记入设置', load: () => import('./templates.js') },
  log: { summary: '审批记录防篡改：verify 核对校验链；repair 由合作交流处记录「日志更正」并重新锚定', load: () => import('./log.js') },
  key: { summary: '个人签名密钥：key new 生成 Ed25519 密钥对，公钥交合作交流处登记到「设置」', load: () => import('./key.js') },
  remind: { summary: '每日提醒：催办、待审议、协议到期、年度评价，发到企业微信/钉钉机器人和邮件（--dry-run 只预览）', load: () => import('./remind.js') },
  renew: { summary: '续签：为即将到期或已到期的项目新建草稿项目，前序项目指向原项目', load: () => import('./renew.js') },
  demo: { summary: '用内置样例数据演示完整流程（npm start 运行的就是它）', load: () => import('./demo.js') },
};
