// The office's two governance acts around imports: registering agreements signed before the system (--historical), and changing a partner's 诚信状况.
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { validateRegistry } from '../../core/index.js';
import { SAMPLE_OFFICE } from '../../sync/src/demo/sample-data.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { coop, tempDir } from '../helpers/cli.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';

const HEADER = ['项目名称', '合作单位', '承办系部', '合作类别', '合作内容', '开始日期', '结束日期', '成果权属', '负责人', '协议编号', '签署日期', '状态'];
const row = (title: string, start: string, end: string, no: string | null, signed: string | null) => [
  title,
  '肇庆星湖数控机械有限公司',
  '数控技术应用专业教学团队',
  '培训服务',
  '数控设备操作培训。',
  start,
  end,
  '学校所有',
  '黄志强',
  no,
  signed,
  no ? '已生效' : null,
];

describe('historical registration and 诚信状况', () => {
  let dir: string;
  let registry: string;
  const run = (args: string[]) => coop([...args, '--registry', registry], { cwd: dir });
  const read = () => new XlsxRegistryStore(registry).read();
  beforeEach(() => {
    dir = tempDir('coop-historical-');
    expect(coop(['demo', '--dir', dir]).code).toBe(0);
    registry = join(dir, 'registry.xlsx');
  }, 120_000);

  it.skipIf(!OPENPYXL_PYTHON)(
    '--historical registers signed agreements as 已生效 / 已到期 with a 历史登记 entry naming the office member and the file',
    async () => {
      if (!OPENPYXL_PYTHON) console.warn(`[skip] ${NO_OPENPYXL_REASON}`);
      const file = join(dir, '已签协议.xlsx');
      runOpenpyxl(
        `import sys, json, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '历年协议'
for r in json.loads(sys.argv[2]): ws.append(r)
wb.save(sys.argv[1])`,
        [
          file,
          JSON.stringify([
            HEADER,
            row('数控培训（2021）', '2021-09-01', '2024-08-31', 'ZQLG-2021-003', '2021-08-20'),
            row('数控培训（2025）', '2025-09-01', '2028-08-31', 'ZQLG-2025-011', '2025-08-25'),
            row('只有编号的协议', '2025-09-01', '2028-08-31', 'ZQLG-2025-012', null),
            row('尚未签署的项目', '2026-09-01', '2027-08-31', null, null),
          ]),
        ],
      );
      // A department form can never do it: without --historical the signing columns are refused, with a pointer.
      const plain = run(['import', file, '--dry-run']);
      expect(plain.stdout).toMatch(/第 2 行 · 列「协议编号」 · 规则「系统列」：.*coop import --historical/);
      const stranger = run(['import', file, '--historical', '--by', 'shukong@zqlg.example.edu.cn']);
      expect(stranger.code).toBe(1);
      expect(stranger.stderr).toContain('只有合作交流处可以用 --historical');

      const logBefore = (await read()).reviewLog.length;
      const r = run(['import', file, '--historical', '--by', SAMPLE_OFFICE]);
      expect(r.stdout).toMatch(/第 4 行 · 列「签署日期」 · 规则「历史登记」：历史登记须同时填写「协议编号」和「签署日期」/);
      expect(r.stdout).toMatch(/读取 4 行：新增 3 · 更新 0 · 未变 0 · 拒绝 1/);
      expect(r.stdout).toContain('历史登记：2 个');
      const data = await read();
      const byTitle = (t: string) => data.projects.find((p) => p.cells.title === t)!.cells;
      expect(byTitle('数控培训（2021）')).toMatchObject({ status: '已到期', agreementNo: 'ZQLG-2021-003', signedAt: '2021-08-20' });
      expect(byTitle('数控培训（2025）')).toMatchObject({ status: '已生效', agreementNo: 'ZQLG-2025-011', signedAt: '2025-08-25' });
      expect(byTitle('尚未签署的项目').status).toBe('草稿');
      const added = data.reviewLog.slice(logBefore).map((e) => e.cells);
      expect(added).toHaveLength(2);
      for (const e of added) {
        expect(e).toMatchObject({ action: '历史登记', actor: SAMPLE_OFFICE, body: '合作交流处', fromStatus: '草稿', toStatus: '已生效' });
        expect(e.remark).toContain('来源文件 已签协议.xlsx');
        expect(e.operator).toMatch(/@/);
      }
      expect(run(['log', 'verify']).code).toBe(0);
      expect(validateRegistry(data).problems).toEqual([]);
      // Again: nothing changes, no second log entry.
      const again = run(['import', file, '--historical', '--by', SAMPLE_OFFICE]);
      expect(again.stdout).toMatch(/读取 4 行：新增 0 · 更新 0 · 未变 3 · 拒绝 1/);
      expect((await read()).reviewLog.length).toBe(logBefore + 2);
    },
  );

  it('coop partner integrity: office only, with a reason, logged; the blocked project may then be submitted', async () => {
    const before = await read();
    const bad = before.partners.find((p) => p.cells.integrity === '不良')!.cells;
    const blocked = before.projects.find((p) => p.cells.partnerId === bad.partnerId && p.cells.status === '草稿')!.cells;
    const submit = () => run(['submit', String(blocked.projectId), '--by', 'shukong@zqlg.example.edu.cn']);
    expect(submit().stderr).toContain('诚信状况为「不良」');

    const stranger = run(['partner', 'integrity', String(bad.partnerId), '良好', '--reason', '已整改', '--by', 'shukong@zqlg.example.edu.cn']);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toContain('不是合作交流处工作人员');
    expect(run(['partner', 'integrity', String(bad.partnerId), '良好', '--by', SAMPLE_OFFICE]).code).toBe(2);
    expect((await read()).partners.find((p) => p.cells.partnerId === bad.partnerId)!.cells.integrity).toBe('不良');

    const ok = run(['partner', 'integrity', String(bad.partnerId), '良好', '--reason', '已结清实习补贴', '--by', SAMPLE_OFFICE]);
    expect(ok.code, ok.stderr).toBe(0);
    const after = await read();
    expect(after.partners.find((p) => p.cells.partnerId === bad.partnerId)!.cells.integrity).toBe('良好');
    expect(after.reviewLog.at(-1)!.cells).toMatchObject({
      projectId: bad.partnerId,
      action: '诚信状况变更',
      actor: SAMPLE_OFFICE,
      remark: '诚信状况：不良 → 良好；原因：已结清实习补贴',
    });
    expect(validateRegistry(after).problems).toEqual([]);
    // The change is sealed into 审批记录's hash chain like every other row, with the account that ran coop.
    expect(after.reviewLog.at(-1)!.cells.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(after.reviewLog.at(-1)!.cells.operator).toMatch(/@/);
    const verify = run(['log', 'verify']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(submit().code).toBe(0);
  });
});
