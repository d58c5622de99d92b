// Parts deflated in segments (zip-parts.ts): a later write copies the compressed bytes of every segment whose text it
// keeps, the result inflates to exactly the new text with the CRC zlib computes, and a registry ticked this way still
// reads back, verifies and opens in openpyxl while most of its log sheet's compressed bytes are carried over unchanged.
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SAMPLE_APPROVERS } from '../../sync/src/demo/sample-data.js';
import { crc32Combine, deflateSegments, entryData, readZip, type Piece } from '../../sync/src/excel/zip-parts.js';
import { verifyLog } from '../../sync/src/ops/log.js';
import { applyWorkflowEvent } from '../../sync/src/ops/workflow.js';
import { parseStateCache, statePath } from '../../sync/src/stores/state-cache.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { makeRegistry } from '../../bench/registry-io.bench.js';
import { OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';
import { prng } from '../excel/random-registry.js';

const crc = (b: Buffer) => (zlib as unknown as { crc32: (d: Buffer) => number }).crc32(b) >>> 0;
const inflate = (chunks: Buffer[]) => zlib.inflateRawSync(Buffer.concat(chunks)).toString('utf8');

/** Text with Chinese, emoji (surrogate pairs) and XML, long enough for several segments. */
function sampleText(rnd: () => number, length: number): string {
  const words = ['<row r="1">', '审批记录', '😀', 'abc', '</row>', '合作交流处', '\n', '&amp;'];
  let out = '';
  while (out.length < length) out += words[Math.floor(rnd() * words.length)];
  return out;
}

describe('segmented deflate', () => {
  it('combines CRCs as zlib does', () => {
    const rnd = prng(7);
    for (const [a, b] of [
      [0, 5],
      [100, 1],
      [70_000, 300_000],
    ] as const) {
      const x = Buffer.from(sampleText(rnd, a));
      const y = Buffer.from(sampleText(rnd, b));
      expect(crc32Combine(crc(x), crc(y), y.length)).toBe(crc(Buffer.concat([x, y])));
    }
  });

  it('rewrites only the segments a change touches and inflates to the new text', () => {
    const rnd = prng(11);
    const old = sampleText(rnd, 2_000_000);
    const first = deflateSegments([old.slice(0, 100), null, [100, old.length - 50] as Piece, null, old.slice(-50)], {
      text: old,
      segments: [],
      data: Buffer.alloc(0),
    });
    expect(inflate(first.chunks)).toBe(old);
    expect(first.crc).toBe(crc(Buffer.from(old)));
    expect(first.segments.length).toBeGreaterThan(6);
    const oldData = Buffer.concat(first.chunks);
    // One change in the middle and rows appended before the tail.
    const mid = 1_000_003;
    const pieces: Piece[] = ['<head changed>', null, [100, mid], 'CHANGED 审批', [mid + 10, old.length - 50], 'appended 😀 row', null, old.slice(-50)];
    const next = deflateSegments(pieces, { text: old, segments: first.segments, data: oldData });
    const expected = `<head changed>${old.slice(100, mid)}CHANGED 审批${old.slice(mid + 10, old.length - 50)}appended 😀 row${old.slice(-50)}`;
    expect(inflate(next.chunks)).toBe(expected);
    expect(next.crc).toBe(crc(Buffer.from(expected)));
    expect(next.size).toBe(Buffer.byteLength(expected));
    // Most compressed bytes are the old ones, copied: only the head, the changed segment, the last one and the tail are new.
    const reused = next.chunks.filter((c) => c.buffer === oldData.buffer).reduce((n, c) => n + c.length, 0);
    expect(reused / next.compressedSize).toBeGreaterThan(0.7);
  });
});

describe('a registry ticked through segments', () => {
  it('carries most of the log sheet over byte for byte, verifies, reads back and opens in openpyxl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coop-segments-'));
    const path = join(dir, 'registry.xlsx');
    await makeRegistry(path, 300);
    const tick = (id: string) =>
      applyWorkflowEvent(new XlsxRegistryStore(path), id, { type: 'tick', department: '招就处' }, SAMPLE_APPROVERS['招就处'], new Date());
    const logPart = async () => {
      const zip = readZip(await readFile(path));
      return entryData(zip, zip.entries.find((e) => e.name === 'xl/worksheets/sheet3.xml')!);
    };
    const headSize = async () => (parseStateCache(await readFile(statePath(path), 'utf8')).segments!['xl/worksheets/sheet3.xml'] as number[][])[0]![2]!;
    await tick('HZ2026-001');
    const before = Buffer.from(await logPart());
    const beforeHead = await headSize();
    await tick('HZ2026-002');
    const after = await logPart();
    const afterHead = await headSize();
    // Past the head (dimension changed: re-deflated), the compressed bytes of the log sheet agree: the earlier rows' segments were copied.
    let same = 0;
    while (beforeHead + same < before.length && before[beforeHead + same] === after[afterHead + same]) same++;
    expect(same / after.length).toBeGreaterThan(0.5);
    expect((await verifyLog(new XlsxRegistryStore(path, { cache: false }))).ok).toBe(true);
    const parts = await new XlsxRegistryStore(path, { cache: false }).read();
    const full = await new XlsxRegistryStore(path, { read: 'exceljs', cache: false }).read();
    expect(parts.reviewLog.map((r) => r.cells)).toEqual(full.reviewLog.map((r) => r.cells));
    expect(full.reviewLog.length).toBe(300 * 7 + 2);
    if (OPENPYXL_PYTHON) {
      const rows = runOpenpyxl(`import sys, openpyxl\nprint(openpyxl.load_workbook(sys.argv[1], read_only=True)['审批记录'].max_row)`, [path]);
      expect(Number(rows.trim())).toBe(300 * 7 + 3);
    }
  }, 120_000);
});
