// The chain's building blocks: core's pure-JS SHA-256 against node:crypto, and verifyChain naming each kind of tampering.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  anchorOf,
  appendLogEntries,
  attachAnchor,
  defaultSettings,
  repairChain,
  sha256Hex,
  trustedLog,
  verifyChain,
  type RawCells,
  type ReviewLogRow,
} from '../../core/index.js';

const entry = (i: number): ReviewLogRow => ({
  time: `2026-11-2${i % 10} 10:00:00`,
  projectId: 'HZ2026-001',
  body: '教务处',
  actor: `r${i}@zqlg.example.edu.cn`,
  action: '审查通过',
  fromStatus: '待审查',
  toStatus: '审查中',
  remark: i % 2 ? `备注 "${i}"\t😀` : null,
  operator: null,
  signature: null,
  hash: null,
});

function log(n: number): { cells: RawCells; sheetRow: number }[] {
  const rows: { cells: RawCells; sheetRow: number }[] = [];
  appendLogEntries(
    rows,
    Array.from({ length: n }, (_, i) => entry(i)),
  );
  rows.forEach((r, i) => (r.sheetRow = i + 2));
  return rows;
}

describe('SHA-256 in core', () => {
  it('matches node:crypto on empty, block-boundary, CJK, emoji and long input', () => {
    for (const text of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), '审批记录·校验值', '😀\ud800x', 'x'.repeat(5000)]) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });
});

describe('verifyChain', () => {
  it('accepts a sealed log and its anchor, and names an edit, a deletion, a swap, a truncation and an appended row', () => {
    const rows = log(6);
    const anchor = anchorOf(rows);
    expect(verifyChain(rows, anchor).ok).toBe(true);
    const edited = rows.map((r) => ({ ...r, cells: { ...r.cells } }));
    edited[2]!.cells.actor = 'x@evil.example';
    expect(verifyChain(edited, anchor)).toMatchObject({ ok: false, break: { sheetRow: 4 }, badRows: [2] });
    expect(verifyChain([...rows.slice(0, 2), ...rows.slice(3)], anchor).break?.sheetRow).toBe(5);
    expect(verifyChain([rows[0]!, rows[2]!, rows[1]!, ...rows.slice(3)], anchor).break?.message).toContain('与下一行的顺序被调换过');
    expect(verifyChain(rows.slice(0, 5), anchor).break?.message).toContain('只有 5 条，而上次核验时有 6 条');
    const extended = [...rows];
    appendLogEntries(extended, [entry(9)]);
    const report = verifyChain(extended, anchor);
    expect(report.break?.message).toContain('起的 1 条记录不是本系统写入的');
    expect(report.badRows).toEqual([6]);
    expect(verifyChain(rows, null).break?.message).toContain('找不到审批记录的校验锚点');
  });

  it('an anchor of a shared log (the sheet’s, which the CLI cannot move) takes chained rows past it, and still catches the rest', () => {
    const rows = log(4);
    const shared = { ...anchorOf(rows), sharedLog: true };
    const extended = [...rows];
    appendLogEntries(extended, [entry(7), entry(8)]);
    // The other program's rows chain from the anchor: no break, and they count.
    expect(verifyChain(extended, shared)).toMatchObject({ ok: true, badRows: [] });
    attachAnchor(extended, shared, '脚本属性');
    expect(trustedLog(extended)).toHaveLength(6);
    // What is under the anchor is still guarded: a truncation, a rewrite of the anchored head, an edit past the anchor.
    expect(verifyChain(rows.slice(0, 3), shared).break?.message).toContain('只有 3 条，而上次核验时有 4 条');
    const rewritten = extended.map((r) => ({ ...r, cells: { ...r.cells } }));
    rewritten[3]!.cells.hash = 'f'.repeat(64);
    expect(verifyChain(rewritten, shared).ok).toBe(false);
    const forged = extended.map((r) => ({ ...r, cells: { ...r.cells } }));
    forged[5]!.cells.actor = 'x@evil.example';
    expect(verifyChain(forged, shared)).toMatchObject({ ok: false, badRows: [5] });
    // The same rows against an anchor of an unshared log stay foreign.
    expect(verifyChain(extended, anchorOf(rows)).ok).toBe(false);
  });

  it('on a shared log, the other program’s rows slipped in before a row this system sealed blind still count if their actor could write them', () => {
    const rows = log(4);
    const settings = { ...defaultSettings(), approvers: { ...defaultSettings().approvers, 教务处: ['r7@zqlg.example.edu.cn', 'r9@zqlg.example.edu.cn'] } };
    // The CLI appends a review by a listed approver, and a forged one by nobody, both chained correctly...
    const slipped = [...rows];
    appendLogEntries(slipped, [entry(7), { ...entry(8), actor: 'nobody@evil.example', action: '会议通过', body: '党委会', toStatus: '已批准' }]);
    // ...while Apps Script seals its own row onto the head its anchor names, without reading the sheet.
    const own = [...rows];
    appendLogEntries(own, [entry(9)]);
    const both = [...slipped, own.at(-1)!].map((r, i) => ({ ...r, sheetRow: i + 2 }));
    const anchor = { count: 5, head: String(own.at(-1)!.cells.hash), sharedLog: true, vouched: 4 };
    const report = verifyChain(both, anchor);
    expect(report).toMatchObject({ ok: true, badRows: [], unvouched: [4, 5, 6] });
    attachAnchor(both, anchor, '脚本属性');
    expect(trustedLog(both, settings).map((c) => c.actor)).toEqual([...rows.map((r) => r.cells.actor), entry(7).actor, entry(9).actor]);
    // Below what was vouched for, the same fork is an insertion, and a break.
    expect(verifyChain(both, { ...anchor, vouched: 5 }).ok).toBe(false);
  });

  it('a row sealed onto an earlier head names the rows slipped in before it, which never count, and itself still counts', () => {
    const rows = log(4);
    // Another program appends a row that chains correctly onto the last one...
    const slipped = [...rows];
    appendLogEntries(slipped, [{ ...entry(7), actor: 'nobody@evil.example', action: '会议通过', toStatus: '已批准' }]);
    // ...and then Apps Script seals its own row onto the head its anchor still names (row 5), without reading the sheet.
    const own = [...rows];
    appendLogEntries(own, [entry(8)]);
    const both = [...slipped, own.at(-1)!].map((r, i) => ({ ...r, sheetRow: i + 2 }));
    const report = verifyChain(both, anchorOf(own));
    expect(report).toMatchObject({ ok: false, break: { sheetRow: 6 }, badRows: [4] });
    expect(report.break?.message).toBe('「审批记录」第 6 行起的 1 条记录不是本系统写入的（在本系统写入其后一行之前被追加）');
    expect(trustedLog(both).map((c) => c.actor)).toEqual([...rows.map((r) => r.cells.actor), entry(8).actor]);
  });

  it('a repair re-seals the rows, records 日志更正 and leaves the bad rows out of the count', () => {
    const rows = log(3);
    rows.push({ cells: { ...entry(7), hash: null } as RawCells, sheetRow: 5 });
    const report = verifyChain(rows, undefined);
    expect(report.badRows).toEqual([3]);
    const fix = repairChain(rows, { ...entry(8), action: '日志更正', remark: '核实' }, report, false);
    expect(fix.remark).toContain('不计入：第 5 行');
    expect(verifyChain(rows, anchorOf(rows)).ok).toBe(true);
    expect(trustedLog(rows).map((c) => c.actor)).toEqual([
      'r0@zqlg.example.edu.cn',
      'r1@zqlg.example.edu.cn',
      'r2@zqlg.example.edu.cn',
      'r8@zqlg.example.edu.cn',
    ]);
  });
});
