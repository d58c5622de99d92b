/** Chinese texts of agreements: placeholder meanings, IP clauses by 成果权属, template groups and the errors of filling. */
import type { IpOwnership } from './enums.js';

/** The IP clause for each 成果权属 option (第十七条): the choice is made here, never in a template. */
export const IP_CLAUSES: Record<IpOwnership, string> = {
  学校所有:
    '本项目实施过程中产生的全部成果（包括物权、著作权、专利权、商标权、发现权、发明权和其他科技成果权等权利）归甲方所有。乙方在本协议约定的合作范围内可无偿使用上述成果；未经甲方书面同意，乙方不得转让、许可第三方使用或以自己的名义申请、登记上述权利。',
  合作单位所有:
    '本项目实施过程中产生的全部成果（包括物权、著作权、专利权、商标权、发现权、发明权和其他科技成果权等权利）归乙方所有。甲方及其教师、学生为教学和非营利性科研目的可无偿使用上述成果，甲方参与完成人员依法享有署名权、荣誉权等人身权利。',
  双方共有:
    '本项目实施过程中产生的全部成果（包括物权、著作权、专利权、商标权、发现权、发明权和其他科技成果权等权利）由甲乙双方共同所有。任何一方申请专利、登记权利、转让或许可第三方使用共有成果，须事先取得另一方书面同意；由此取得的收益按双方书面约定的比例分配，未约定的由双方平均分配。',
  另行约定:
    '本项目实施过程中产生的成果（包括物权、著作权、专利权、商标权、发现权、发明权和其他科技成果权等权利）的权属，由双方在成果产生前另行签订书面补充协议约定；补充协议签订前，任何一方不得单独申请专利、登记权利、转让或许可第三方使用上述成果。',
};

/** The English IP clauses of bilingual agreements (境外机构), the same choice as IP_CLAUSES; the Chinese text prevails. */
export const IP_CLAUSES_EN: Record<IpOwnership, string> = {
  学校所有:
    'All results arising from the Project (including property rights, copyright, patent rights, trademark rights, rights of discovery, rights of invention and other rights in scientific and technological achievements) belong to Party A. Party B may use such results free of charge within the scope of cooperation agreed herein; without the written consent of Party A, Party B shall not assign them, license them to any third party, or apply for or register such rights in its own name.',
  合作单位所有:
    "All results arising from the Project (including property rights, copyright, patent rights, trademark rights, rights of discovery, rights of invention and other rights in scientific and technological achievements) belong to Party B. Party A, its teachers and students may use such results free of charge for teaching and non-profit research, and Party A's participants enjoy the moral rights of authorship and honour according to law.",
  双方共有:
    'All results arising from the Project (including property rights, copyright, patent rights, trademark rights, rights of discovery, rights of invention and other rights in scientific and technological achievements) are jointly owned by Party A and Party B. Neither Party shall apply for patents, register rights, assign or license any jointly owned result without the prior written consent of the other; proceeds are shared in the proportion agreed in writing, or equally where none is agreed.',
  另行约定:
    'The ownership of results arising from the Project (including property rights, copyright, patent rights, trademark rights, rights of discovery, rights of invention and other rights in scientific and technological achievements) shall be agreed by the Parties in a written supplementary agreement before such results arise; until then, neither Party shall alone apply for patents, register rights, assign or license such results to any third party.',
};

export const IP_OWNERSHIP_EN: Record<IpOwnership, string> = {
  学校所有: 'owned by Party A',
  合作单位所有: 'owned by Party B',
  双方共有: 'jointly owned by both Parties',
  另行约定: 'to be agreed separately',
};

export const AGREEMENT_TEXT_EN = {
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  money: {
    income: (figures: string) => `Party A expects an income of RMB ${figures}`,
    expense: (figures: string) => `Party A expects an expenditure of RMB ${figures}`,
    stated: (parts: readonly string[]) =>
      `${parts.join('; ')}. The actual amounts, times and manner of payment are subject to the written settlement documents confirmed by both Parties.`,
    none: 'This Agreement stipulates no specific amount; any costs arising from the cooperation shall be agreed by the Parties in a written supplementary agreement.',
  },
} as const;

export const AGREEMENT_TEXT = {
  /** Shown for an optional field left blank, so the agreement never shows an empty gap. */
  notStated: '—',
  /** 境外机构 have no 统一社会信用代码 (SPEC.md). */
  foreignCreditCode: '不适用（境外机构）',
  /** The term as one phrase: `2024年3月1日至2027年2月28日`. */
  term: (start: string, end: string) => `${start}至${end}`,
  /** A date line left for the signatories to fill by hand. */
  blankDate: '　　　　年　　月　　日',
  draftMark: '（草稿，仅供审阅，不得作为签署文本）',
  /** What a draft shows where the agreement number goes: a number is assigned only to an approved agreement. */
  draftNumber: '（草稿，批准后编号）',
  /** A line left for a detail the registry does not hold (address, legal representative), filled in by hand. */
  blankLine: '＿＿＿＿＿＿＿＿＿＿＿＿',
  /** The money clause: only the amounts the project states; none at all is said in words, never as 零元. */
  money: {
    income: (figures: string, words: string) => `预计甲方收入人民币${figures}元（大写：人民币${words}）`,
    expense: (figures: string, words: string) => `预计甲方支出人民币${figures}元（大写：人民币${words}）`,
    stated: (parts: readonly string[]) => `本项目${parts.join('，')}。具体支付的金额、时间和方式以双方确认的书面结算文件为准。`,
    none: '本协议不约定具体金额；合作中如发生费用，由双方另行签订书面补充协议约定。',
  },
  unknownPlaceholder: (template: string, name: string, projectId: string) =>
    `协议模板「${template}」含有无法识别的占位符「{{${name}}}」（项目 ${projectId}）；可用的占位符见 templates/README.md`,
  blankField: (template: string, name: string, meaning: string, projectId: string) =>
    `项目 ${projectId} 的「${name}」（${meaning}）为空，不能用模板「${template}」生成协议；请先在登记表中补齐`,
  badAmount: (name: string, value: number) => `「${name}」的金额 ${value} 无法转换为中文大写（应为不小于 0、最多两位小数、小于一万亿的数）`,
  badProjectId: (projectId: string) => `项目编号「${projectId}」格式不正确（应形如 HZ2024-001），无法生成协议编号`,
} as const;
