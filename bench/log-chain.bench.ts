// 审批记录 hash chain: the cost of verifying a 50,000-row log (goal under 0.5 s, linear), with node:crypto as the
// CLI uses it and with core's pure-JS SHA-256 as Apps Script runs it; plus a tampered copy found at its row.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { REVIEW_DEPARTMENT_NAMES, anchorOf, appendLogEntries, sha256Hex, verifyChain, type Hasher, type RawCells, type ReviewLogRow } from '../core/index.js';

const node: Hasher = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

function buildLog(rows: number): { cells: RawCells; sheetRow: number }[] {
  const log: { cells: RawCells; sheetRow: number }[] = [];
  const entries: ReviewLogRow[] = [];
  for (let i = 0; i < rows; i++) {
    const d = REVIEW_DEPARTMENT_NAMES[i % REVIEW_DEPARTMENT_NAMES.length]!;
    entries.push({
      time: `2026-11-${String((i % 28) + 1).padStart(2, '0')} 10:00:00`,
      projectId: `HZ2026-${String(Math.floor(i / 10) + 1).padStart(4, '0')}`,
      body: d,
      actor: `reviewer${i % 7}@zqlg.example.edu.cn`,
      action: '审查通过',
      fromStatus: '待审查',
      toStatus: '审查中',
      remark: i % 5 === 0 ? '经费测算合理，同意合作' : null,
      operator: 'hezuo@office-pc',
      signature: '代录',
      hash: null,
    });
  }
  appendLogEntries(log, entries, node);
  log.forEach((r, i) => (r.sheetRow = i + 2));
  return log;
}

function time(label: string, runs: number, f: () => void): number {
  f(); // warm-up
  const t = performance.now();
  for (let i = 0; i < runs; i++) f();
  const ms = (performance.now() - t) / runs;
  console.log(`${label}: ${ms.toFixed(1)} ms`);
  return ms;
}

export default async function bench(): Promise<void> {
  const full = buildLog(50_000);
  for (const n of [12_500, 25_000, 50_000]) {
    const rows = full.slice(0, n);
    const anchor = anchorOf(rows);
    time(`verify ${n.toLocaleString('en')} rows + anchor, node:crypto (CLI)`, 3, () => {
      if (!verifyChain(rows, anchor, '', node).ok) throw new Error('chain should verify');
    });
  }
  const rows = full;
  time('verify 50,000 rows, pure-JS SHA-256 (Apps Script)', 1, () => {
    if (!verifyChain(rows, anchorOf(rows), '', sha256Hex).ok) throw new Error('chain should verify');
  });
  const tampered = rows.map((r) => ({ ...r, cells: { ...r.cells } }));
  tampered[30_000]!.cells.actor = 'nobody@evil.example';
  time('verify 50,000 rows with one edited row (found, named)', 1, () => {
    const report = verifyChain(tampered, anchorOf(rows), '', node);
    if (report.ok || report.break?.sheetRow !== 30_002) throw new Error('edit not found');
  });
  const heap = process.memoryUsage().heapUsed / 1024 / 1024;
  console.log(`heap in use with the 50,000-row log held twice: ${heap.toFixed(0)} MB`);
}
