// Random valid registries (seeded, so a failure can be replayed) for round-trip tests and the bench.
import {
  CATEGORIES,
  EVALUATION_GRADES,
  IP_OWNERSHIP,
  INTEGRITY_LEVELS,
  PARTNER_KINDS,
  PRACTICE_BASE_CATEGORY,
  RIGHT_HOLDERS,
  RIGHT_TYPES,
  YES_NO,
  addDays,
  calendarDate,
  creditCodeCheckCharacter,
  defaultSettings,
  emptyRow,
  evaluationsSheet,
  outcomesSheet,
  partnersSheet,
  projectsSheet,
  writeCounters,
  writeSettings,
  emptyRegistry,
  type RawCells,
  type RegistryData,
} from '../../core/index.js';

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WORDS = ['肇庆', '星湖', '（广东）', '数控', '智能', '机器人', 'ABC', '“订单班”', '产教融合', '实训', '基地', 'Ａ级', '#1', '50%', '新能源'];
/** Text that a spreadsheet would take for a formula, which must come back as text. */
const TRIGGERS = ['=', '+', '-', '@'];

export function randomRegistry(seed: number, size = { partners: 6, projects: 10 }): RegistryData {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(rnd() < 0.3 ? ' ' : '');
  const maybe = <T>(v: T): T | null => (rnd() < 0.3 ? null : v);
  const phrase = (n: number) => (rnd() < 0.15 ? `${pick(TRIGGERS)}${words(n)}` : words(n));
  // Start dates leave room for end dates (up to 2,000 days later) inside the workbook's date range (to 2100-12-31).
  const date = () => calendarDate(int(2000, 2094), int(1, 12), int(1, 28));
  const money = () => int(0, 5_000_000) / 100;
  const settings = defaultSettings();
  const data = emptyRegistry();
  writeSettings(data, settings);

  for (let i = 1; i <= size.partners; i++) {
    const kind = pick(PARTNER_KINDS);
    const code17 = `${pick(['91', '12', '51', '31'])}${String(int(100000, 999999))}${Array.from({ length: 9 }, () => pick([...CODE_CHARS])).join('')}`;
    const cells: RawCells = {
      ...(emptyRow(partnersSheet) as RawCells),
      partnerId: `P${String(i).padStart(4, '0')}`,
      name: `${words(2)}第${i}号合作单位`,
      kind,
      creditCode: kind === '境外机构' && rnd() < 0.5 ? null : code17 + creditCodeCheckCharacter(code17),
      industry: maybe(words(1)),
      industryLeader: maybe(pick(YES_NO)),
      matchedMajor: maybe(pick(settings.majors)),
      contactName: words(1),
      // A foreign partner's phone is written internationally (+CC …), as the rules require.
      contactPhone: maybe(
        kind === '境外机构'
          ? `+65 ${int(6000, 6999)} ${int(1000, 9999)}`
          : rnd() < 0.5
            ? `1${int(3, 9)}${String(int(0, 999999999)).padStart(9, '0')}`
            : `0758-${int(2000000, 8999999)}`,
      ),
      contactEmail: maybe(`user${i}@example${int(1, 9)}.cn`),
      integrity: pick(INTEGRITY_LEVELS),
      notes: maybe(`${phrase(3)}\n${words(2)}`),
    };
    data.partners.push({ cells });
  }
  for (let i = 1; i <= size.projects; i++) {
    const category = pick(CATEGORIES);
    const start = date();
    const practice = category === PRACTICE_BASE_CATEGORY;
    const cells: RawCells = {
      ...(emptyRow(projectsSheet) as RawCells),
      projectId: `HZ2026-${String(i).padStart(3, '0')}`,
      title: `${phrase(2)}项目${i}`,
      department: pick(settings.departments),
      partnerId: `P${String(int(1, size.partners)).padStart(4, '0')}`,
      category,
      content: `${phrase(4)}\n${words(3)}`,
      startDate: start,
      endDate: addDays(start, int(0, 2000)),
      ipOwnership: pick(IP_OWNERSHIP),
      income: maybe(money()),
      expense: maybe(money()),
      leader: words(1),
      practiceSite: practice ? pick(YES_NO) : maybe(pick(YES_NO)),
      qualifiedInstructors: practice ? pick(YES_NO) : maybe(pick(YES_NO)),
      status: '草稿',
      updatedAt: '2026-11-01 09:00:00',
    };
    data.projects.push({ cells });
  }
  for (const p of data.projects) {
    for (const year of [2024, 2025].filter(() => rnd() < 0.4)) {
      data.evaluations.push({
        cells: {
          ...(emptyRow(evaluationsSheet) as RawCells),
          projectId: p.cells.projectId!,
          year,
          timing: maybe(phrase(2)),
          teacherPractice: maybe(int(0, 50)),
          studentsTrained: maybe(int(0, 500)),
          serviceIncome: maybe(money()),
          grade: pick(EVALUATION_GRADES),
          reporter: words(1),
          reportedAt: date(),
        },
      });
    }
    if (rnd() < 0.4) {
      data.outcomes.push({
        cells: {
          ...(emptyRow(outcomesSheet) as RawCells),
          projectId: p.cells.projectId!,
          title: `${phrase(2)}成果`,
          rightType: pick(RIGHT_TYPES),
          holder: pick(RIGHT_HOLDERS),
          registrationNo: maybe(`ZL${int(1000, 9999)}`),
          date: maybe(date()),
        },
      });
    }
  }
  const names = new Map(data.partners.map((p) => [p.cells.partnerId, p.cells.name]));
  for (const p of data.projects) p.cells.partnerName = names.get(p.cells.partnerId) ?? null;
  writeCounters(data, { partners: size.partners, projects: { 2026: size.projects } });
  return data;
}
