// 审批记录 as the only, tamper-evident truth: workbooks edited by openpyxl (a program other than this one) are caught.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anchorPath } from '../../sync/src/stores/chain-anchor.js';
import { tempDir } from '../helpers/cli.js';
import { FORGED_APPROVAL } from '../helpers/forged-row.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';
import { APPROVED, REVIEWED, SAMPLE_APPROVERS, SAMPLE_OFFICE, SUBMITTED, advance, fileHash, readLog, readProject, registryWith, sample } from './fixture.js';

const by = (email: string) => ['--by', email];

/**
 * Edits 审批记录 with openpyxl. Ops: forge (append a row), edit (row, header, value), delete (row), swap (a, b),
 * rechain (recompute every 校验值 with the published rule, as a careful forger would; with anchor, rewrite that file too),
 * setting (append a 设置 row: group, item, value), type (sheet, id, header, value).
 */
const EDIT = String.raw`
import sys, json, hashlib, openpyxl
path, op, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
wb = openpyxl.load_workbook(path)
log = wb['审批记录']
headers = [c.value for c in log[1]]
col = lambda h: headers.index(h) + 1
def rows():
    return [r for r in range(2, log.max_row + 1) if any(log.cell(r, c).value not in (None, '') for c in range(1, len(headers) + 1))]
def copy_row(src, dst):
    for c in range(1, len(headers) + 1): log.cell(dst, c).value = src[c - 1]
if op == 'forge':
    r = rows()[-1] + 1 if rows() else 2
    for h, v in args.items(): log.cell(r, col(h)).value = v
elif op == 'edit':
    log.cell(args['row'], col(args['header'])).value = args['value']
elif op == 'delete':
    log.delete_rows(args['row'])
elif op == 'swap':
    a = [log.cell(args['a'], c).value for c in range(1, len(headers) + 1)]
    b = [log.cell(args['b'], c).value for c in range(1, len(headers) + 1)]
    copy_row(b, args['a']); copy_row(a, args['b'])
elif op == 'rechain':
    if 'forge' in args:
        r = rows()[-1] + 1
        for h, v in args['forge'].items(): log.cell(r, col(h)).value = v
    keys = ['时间', '项目编号', '部门或机构', '操作人', '操作', '原状态', '新状态', '备注', '执行账户', '签名']
    prev = ''
    for r in rows():
        fields = ['' if log.cell(r, col(k)).value is None else str(log.cell(r, col(k)).value) for k in keys]
        text = prev + '\n' + json.dumps(fields, ensure_ascii=False, separators=(',', ':'))
        prev = hashlib.sha256(text.encode('utf-8')).hexdigest()
        log.cell(r, col('校验值')).value = prev
    if 'anchor' in args:
        # A forger who can also reach the anchor file beside the workbook rewrites it to match.
        with open(args['anchor'], 'w') as f: json.dump({'count': len(rows()), 'head': prev}, f)
elif op == 'setting':
    wb['设置'].append([args['group'], args['item'], args['value']])
elif op == 'type':
    ws = wb['合作项目']
    hs = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, hs.index('项目编号') + 1).value == args['id']:
            ws.cell(r, hs.index(args['header']) + 1).value = args['value']
# exceljs 4.4 cannot read back notes in openpyxl's layout (xl/comments/comment1.xml, exceljs issue #2797):
# drop the header hints so the edit under test, not that incompatibility, is what the registry meets.
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row: c.comment = None
wb.save(path)
`;
const edit = (path: string, op: string, args: unknown) => runOpenpyxl(EDIT, [path, op, JSON.stringify(args)]);

const FORGED = { ...FORGED_APPROVAL, 备注: '党委会通过' };

describe.skipIf(!OPENPYXL_PYTHON)('审批记录 cannot be forged by editing the workbook', { timeout: 600_000 }, () => {
  if (!OPENPYXL_PYTHON) console.warn(`[skip] ${NO_OPENPYXL_REASON}`);

  it('a forged 会议通过 row: sign and agreement refuse, validate names the row, status and export count the draft', async () => {
    const { path, run, dir } = await registryWith([sample('星湖班')]);
    await advance(path, 'HZ2026-001', REVIEWED.slice(0, 1));
    expect(run(['log', 'verify']).code).toBe(0);
    edit(path, 'forge', FORGED);
    const before = fileHash(path);

    const verify = run(['log', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('「审批记录」第 3 行没有校验值');
    const sign = run(['sign', 'HZ2026-001', '--date', '2026-11-24', ...by(SAMPLE_OFFICE)]);
    expect(sign.code).toBe(1);
    expect(sign.stderr).toContain('审批记录已被改动，审批操作暂停：「审批记录」第 3 行没有校验值');
    const agreement = run(['agreement', 'HZ2026-001']);
    expect(agreement.code, agreement.stderr).toBe(1);
    expect(fileHash(path)).toBe(before);

    const validate = run(['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('工作表「审批记录」 · 第 3 行 · 列「校验值」 · 规则「校验链」');
    const status = JSON.parse(run(['status', '--json']).stdout);
    expect(status.byStatus['已批准']).toBe(0);
    expect(status.byStatus['待审查']).toBe(1);
    // The archive counts only logged approvals: none, so no archive of 已批准 projects is written at all.
    const exported = run(['export', '--status', '已批准', '--out', `${dir}/a.xlsx`]);
    expect(exported.code, exported.stderr).toBe(1);
    expect(exported.stderr).toContain('没有符合筛选条件的项目（状态为「已批准」的项目），未生成档案');
    expect(existsSync(`${dir}/a.xlsx`)).toBe(false);

    // The office checks, records a 日志更正 and re-anchors; the forged row stays but no longer counts.
    const denied = run(['log', 'repair', '--reason', '核实：第 3 行为伪造', ...by(SAMPLE_APPROVERS['教务处'])]);
    expect(denied.code).toBe(1);
    const repair = run(['log', 'repair', '--reason', '核实：第 3 行为伪造', ...by(SAMPLE_OFFICE)]);
    expect(repair.code, repair.stderr).toBe(0);
    expect(repair.stdout).toContain('以下记录不再计入：第 3 行');
    const log = await readLog(path);
    expect(log.map((e) => e.action)).toEqual(['提交', '会议通过', '日志更正']);
    expect(log[2]!.remark).toContain('不计入：第 3 行');
    expect(run(['log', 'verify']).code).toBe(0);
    const again = run(['sign', 'HZ2026-001', '--date', '2026-11-24', ...by(SAMPLE_OFFICE)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('当前状态为「待审查」');
  });

  it('an edited, a deleted and a reordered row each break the chain at a named row', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    await advance(path, 'HZ2026-001', REVIEWED);
    const pristine = readFileSync(path);
    const anchor = readFileSync(anchorPath(path));
    const restore = () => {
      writeFileSync(path, pristine);
      writeFileSync(anchorPath(path), anchor);
    };
    expect(run(['log', 'verify']).stdout).toContain('审批记录 8 条，校验链完整');

    edit(path, 'edit', { row: 4, header: '操作人', value: 'someone@evil.example' });
    let verify = run(['log', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('「审批记录」第 4 行的校验值与内容不符');

    restore();
    edit(path, 'edit', { row: 2, header: '操作', value: '' });
    expect(run(['log', 'verify']).stdout).toContain('第 2 行的校验值与内容不符');

    // Blanking a 退回 (here: a 撤销-free review) by deleting its row: the row after it is named.
    restore();
    edit(path, 'delete', { row: 5 });
    verify = run(['log', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('「审批记录」第 5 行的校验值与内容不符');

    restore();
    edit(path, 'swap', { a: 3, b: 4 });
    verify = run(['log', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('「审批记录」第 3 行与下一行的顺序被调换过');

    // Deleting the last row leaves a chain that verifies link by link: the anchor catches it.
    restore();
    edit(path, 'delete', { row: 9 });
    verify = run(['log', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('「审批记录」只有 7 条，而上次核验时有 8 条');
  });

  it('a whole chain recomputed with a forged row appended is caught by the anchor kept beside the registry', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    await advance(path, 'HZ2026-001', REVIEWED.slice(0, 1));
    edit(path, 'rechain', { forge: FORGED });
    const verify = run(['log', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('「审批记录」第 3 行起的 1 条记录不是本系统写入的');
    const review = run(['review', 'HZ2026-001', '--dept', '教务处', ...by(SAMPLE_APPROVERS['教务处'])]);
    expect(review.code).toBe(1);
    expect(review.stderr).toContain('审批操作暂停');

    // Rewriting history (not only appending) is named as such.
    edit(path, 'edit', { row: 2, header: '备注', value: '改过' });
    edit(path, 'rechain', {});
    expect(run(['log', 'verify']).stdout).toContain('整条记录链被重新计算（改写）过');

    // Removing the anchor does not make the log trusted again.
    const { rmSync } = await import('node:fs');
    rmSync(anchorPath(path));
    expect(existsSync(anchorPath(path))).toBe(false);
    expect(run(['log', 'verify']).stdout).toContain('找不到审批记录的校验锚点');
  });

  it('a review typed in a listed approver’s name without their key counts for nothing, even with the chain and its anchor rewritten', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    const jw = SAMPLE_APPROVERS['教务处'];
    const made = run(['key', 'new', ...by(jw)], { COOP_KEY_DIR: tempDir('coop-keys-') });
    const listed = /(ed25519:\S+)/.exec(made.stdout)![1]!;
    await advance(path, 'HZ2026-001', SUBMITTED);
    edit(path, 'setting', { group: '公钥', item: jw, value: listed });
    edit(path, 'rechain', {
      forge: { 时间: '2026-11-24 11:00:00', 项目编号: 'HZ2026-001', 部门或机构: '教务处', 操作人: jw, 操作: '审查通过', 原状态: '待审查', 新状态: '审查中' },
      anchor: anchorPath(path),
    });
    expect(run(['log', 'verify']).code).toBe(0);
    const validate = run(['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('工作表「审批记录」 · 第 3 行 · 列「签名」 · 规则「签名」');
    expect(validate.stdout).toContain(`没有签名，而「${jw}」在「设置」中登记了公钥，该记录不计入`);
    const status = JSON.parse(run(['status', '--json']).stdout);
    expect(status.waitingOn['教务处']).toEqual(['HZ2026-001']);
    expect(status.byStatus).toMatchObject({ 待审查: 1 });
  });

  it('a review tick typed by openpyxl is reported as 未登记的审查 and does not count', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    await advance(path, 'HZ2026-001', SUBMITTED);
    edit(path, 'type', { id: 'HZ2026-001', header: '教务处', value: true });
    const validate = run(['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toMatch(/第 2 行 · 列「教务处」 · 规则「未登记的审查」/);
    const status = JSON.parse(run(['status', '--json']).stdout);
    expect(status.waitingOn['教务处']).toEqual(['HZ2026-001']);
  });

  it('typed 状态, tick, meeting and signing cells are reported with typed and logged values, and never unlock content', async () => {
    const { path, run } = await registryWith([sample('星湖班'), sample('合作办园')]);
    await advance(path, 'HZ2026-001', APPROVED);
    expect(run(['sign', 'HZ2026-001', '--date', '2026-11-24', ...by(SAMPLE_OFFICE)]).code).toBe(0);
    edit(path, 'type', { id: 'HZ2026-001', header: '状态', value: '草稿' });
    edit(path, 'type', { id: 'HZ2026-002', header: '状态', value: '已生效' });
    edit(path, 'type', { id: 'HZ2026-002', header: '党委会', value: true });
    edit(path, 'type', { id: 'HZ2026-002', header: '签署日期', value: '2026-11-01' });
    const validate = run(['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toMatch(/第 2 行 · 列「状态」 · 规则「与审批记录不符」：「状态」填的是「草稿」，审批记录记载的是「已生效」/);
    expect(validate.stdout).toMatch(/第 3 行 · 列「状态」 · 规则「与审批记录不符」：「状态」填的是「已生效」，审批记录记载的是「草稿」/);
    expect(validate.stdout).toMatch(/第 3 行 · 列「党委会」 · 规则「与审批记录不符」/);
    expect(validate.stdout).toMatch(/第 3 行 · 列「签署日期」 · 规则「与审批记录不符」/);
    const status = JSON.parse(run(['status', '--json']).stdout);
    expect(status.byStatus).toMatchObject({ 已生效: 1, 草稿: 1 });
    const filtered = run(['export', '--status', '已生效', '--out', `${path}.archive.xlsx`]);
    expect(filtered.code, filtered.stderr).toBe(0);
    const ids = runOpenpyxl(
      `import sys, openpyxl\nws = openpyxl.load_workbook(sys.argv[1])['合作项目']\nprint(','.join(str(ws.cell(r, 1).value) for r in range(2, ws.max_row + 1)))`,
      [`${path}.archive.xlsx`],
    );
    expect(ids.trim()).toBe('HZ2026-001');

    // The typed 草稿 does not unlock the signed project's content for an import.
    const form = `${path}.form.xlsx`;
    runOpenpyxl(
      String.raw`
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['合作项目']
hs = [c.value for c in ws[1]]
keep = ['项目编号', '项目名称', '承办系部', '合作单位编号', '合作类别', '合作内容及双方权责', '开始日期', '结束日期', '成果权属', '项目负责人']
out = openpyxl.Workbook(); o = out.active; o.title = '合作项目'
o.append(keep)
o.append([ws.cell(2, hs.index(h) + 1).value for h in keep])
o.cell(2, keep.index('合作内容及双方权责') + 1).value = '被替换的合作内容'
out.save(sys.argv[2])`,
      [path, form],
    );
    const imported = run(['import', form]);
    expect(imported.stdout + imported.stderr, imported.stdout + imported.stderr).toContain('内容已锁定');
    expect((await readProject(path, 'HZ2026-001')).content).not.toBe('被替换的合作内容');
  });
});

describe('signing rules and the clock', { timeout: 600_000 }, () => {
  it('refuses a reused agreement number, a future date, a date before approval and an ended term unless --allow-expired', async () => {
    const { path, run } = await registryWith([sample('星湖班'), sample('合作办园')]);
    await advance(path, 'HZ2026-001', APPROVED);
    await advance(path, 'HZ2026-002', APPROVED);
    expect(run(['sign', 'HZ2026-001', '--date', '2026-11-24', '--agreement-no', 'XY-1', ...by(SAMPLE_OFFICE)]).code).toBe(0);
    const before = fileHash(path);
    const reused = run(['sign', 'HZ2026-002', '--date', '2026-11-24', '--agreement-no', 'XY-1', ...by(SAMPLE_OFFICE)]);
    expect(reused.code).toBe(1);
    expect(reused.stderr).toContain('协议编号 XY-1 已被项目 HZ2026-001 使用');
    const future = run(['sign', 'HZ2026-002', '--date', '2026-11-25', ...by(SAMPLE_OFFICE)]);
    expect(future.code).toBe(1);
    expect(future.stderr).toContain('签署日期 2026-11-25 晚于今天（2026-11-24）');
    const early = run(['sign', 'HZ2026-002', '--date', '2026-11-01', ...by(SAMPLE_OFFICE)]);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('早于党委会批准日期 2026-11-24');
    expect(fileHash(path)).toBe(before);
  });

  it('an ended term is signed only with --allow-expired, and the log says so', async () => {
    const { path, run } = await registryWith([{ ...sample('星湖班'), startDate: '2023-01-01', endDate: '2023-12-31' }]);
    // Approved in 2023: the log is stamped at that time.
    await advance(path, 'HZ2026-001', APPROVED, new Date('2023-03-01T02:00:00Z'));
    const env = { COOP_NOW: '2024-01-05T02:00:00Z' };
    const refused = run(['sign', 'HZ2026-001', '--date', '2024-01-04', ...by(SAMPLE_OFFICE)], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('合作期限已于 2023-12-31 结束');
    const allowed = run(['sign', 'HZ2026-001', '--date', '2024-01-04', '--allow-expired', ...by(SAMPLE_OFFICE)], env);
    expect(allowed.code, allowed.stderr).toBe(0);
    const signed = (await readLog(path)).find((e) => e.action === '签署')!;
    expect(signed.remark).toContain('补登：合作期限已于 2023-12-31 结束');
  });

  it('COOP_NOW=garbage is refused before anything is written', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    const before = fileHash(path);
    const r = run(['submit', 'HZ2026-001', '--by', 'shukong@zqlg.example.edu.cn'], { COOP_NOW: 'garbage' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('COOP_NOW 的值「garbage」不是有效的时刻');
    expect(fileHash(path)).toBe(before);
    expect((await readProject(path, 'HZ2026-001')).status).toBe('草稿');
  });
});
