// NAME.state.json, the log's derived state cached beside the local registry: used only for the very bytes this
// system wrote (an unchanged log is never hashed or replayed again), dropped the moment the workbook is saved by
// another program, never trusted by `coop log verify`, and equal to a full replay after random steps.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatStateCache, parseStateCache, registryKey, statePath } from '../../sync/src/stores/state-cache.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { loggedStatesOf } from '../../core/index.js';
import { NO_OPENPYXL_REASON, OPENPYXL_PYTHON, runOpenpyxl } from '../helpers/tools.js';
import { APPROVED, REVIEWED, SUBMITTED, SAMPLE_APPROVERS, SAMPLE_OFFICE, advance, registryWith, sample } from '../workflow/fixture.js';

const readCache = (path: string) => parseStateCache(readFileSync(statePath(path), 'utf8'));
const byStatus = (run: (a: string[]) => { stdout: string; code: number }) => {
  const r = run(['status', '--json']);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { byStatus: Record<string, number> }).byStatus;
};
const by = (email: string) => ['--by', email];

describe('the log state cached beside the registry', () => {
  it('is written with every save, keyed by the zip directory of the workbook and the chain head, and matches a full replay', async () => {
    const { path, run } = await registryWith([sample('星湖班'), sample('星湖班')]);
    await advance(path, 'HZ2026-001', REVIEWED);
    await advance(path, 'HZ2026-002', SUBMITTED);
    // The last step through the built CLI: its cache is the one checked.
    expect(run(['review', 'HZ2026-002', '--dept', '教务处', ...by(SAMPLE_APPROVERS['教务处'])]).code).toBe(0);
    const cache = readCache(path);
    expect(cache.file).toBe(registryKey(readFileSync(path)));
    const data = await new XlsxRegistryStore(path, { cache: false }).read();
    expect(cache.count).toBe(data.reviewLog.length);
    expect(cache.head).toBe(data.reviewLog.at(-1)!.cells.hash);
    // What a replay of the whole log gives, project by project.
    const replayed = [...loggedStatesOf(data)].map(([id, s]) => [id, { ...s, reviews: [...s.reviews] }]);
    expect(cache.states).toEqual(JSON.parse(JSON.stringify(replayed)));
    expect(Object.fromEntries(cache.states.map(([id, s]) => [id, s.status]))).toEqual({ 'HZ2026-001': '待审议', 'HZ2026-002': '审查中' });
  });

  it('stands in for the log while the file is unchanged, and any other save of the workbook drops it', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    await advance(path, 'HZ2026-001', REVIEWED);
    expect(byStatus(run)['待审议']).toBe(1);
    // Proof that an unchanged log is not replayed: a state planted in the cache (file digest kept) is what commands see.
    const cache = readCache(path);
    cache.states = cache.states.map(([id, s]) => [id, { ...s, status: '已生效' }]);
    writeFileSync(statePath(path), formatStateCache(cache));
    expect(byStatus(run)['已生效']).toBe(1);
    // The same file saved by anyone else — here its own bytes with one byte of the zip comment changed — is replayed.
    const bytes = readFileSync(path);
    writeFileSync(path, Buffer.concat([bytes.subarray(0, bytes.length - 2), Buffer.from([1, 0]), Buffer.from('x')]));
    const after = byStatus(run);
    expect(after['已生效']).toBe(0);
    expect(after['待审议']).toBe(1);
  });

  it('is ignored when the cache file itself was edited (a state changed, a line cut off), and commands read the log', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    await advance(path, 'HZ2026-001', REVIEWED);
    const text = readFileSync(statePath(path), 'utf8');
    // A text editor's change of one state, with the rest of the file (digest of the workbook included) as it was.
    writeFileSync(statePath(path), text.replace('"HZ2026-001","待审议"', '"HZ2026-001","已生效"'));
    expect(readFileSync(statePath(path), 'utf8')).not.toBe(text);
    expect(byStatus(run)['待审议']).toBe(1);
    // A line cut in half, as an interrupted copy leaves it: no JSON error, the log is read.
    writeFileSync(statePath(path), text.slice(0, text.length - 20));
    const r = run(['meeting', 'HZ2026-001', '--body', '校长办公会', '--decision', '通过', '--minutes', '校办〔2026〕9号', ...by(SAMPLE_OFFICE)]);
    expect(r.stderr).not.toMatch(/SyntaxError|JSON/);
    expect(r.code, r.stderr).toBe(0);
    expect(byStatus(run)['待审议']).toBe(1);
    // The step above wrote a sound cache again.
    expect(readCache(path).file).toBe(registryKey(readFileSync(path)));
  });

  it('is keyed by the zip directory: a part whose CRC-32 changes misses at the same length; pieces and the whole file agree', async () => {
    const { path } = await registryWith([sample('星湖班')]);
    const bytes = readFileSync(path);
    const key = registryKey(bytes);
    expect(key).toMatch(/^zip:[0-9a-f]{64}$/);
    // Cut into pieces anywhere (in the directory, in the end record, one byte at a time): the same key.
    const split = (cuts: number[]) => [0, ...cuts].map((start, i) => bytes.subarray(start, cuts[i] ?? bytes.length));
    for (const cuts of [[1], [bytes.length - 1], [bytes.length - 30, bytes.length - 21, bytes.length - 3], [100, 101, bytes.length - 200]]) {
      expect(registryKey(split(cuts))).toBe(key);
    }
    // A part rewritten by another program to the same sizes still gets another CRC-32 in its directory record.
    const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const central = bytes.readUInt32LE(eocd + 16);
    const edited = Buffer.from(bytes);
    edited.writeUInt32LE(edited.readUInt32LE(central + 16) ^ 1, central + 16);
    expect(edited.length).toBe(bytes.length);
    expect(registryKey(edited)).not.toBe(key);
    // So does any byte of the end record or the archive comment, and the file's length.
    const commented = Buffer.concat([bytes.subarray(0, bytes.length - 2), Buffer.from([3, 0]), Buffer.from('abc')]);
    expect(registryKey(commented)).toMatch(/^zip:/);
    expect(registryKey(commented)).not.toBe(key);
    expect(registryKey(Buffer.concat([Buffer.alloc(1), bytes]))).not.toBe(key);
    // Bytes without a zip directory are keyed by all of them.
    expect(registryKey(bytes.subarray(0, bytes.length - 5))).toMatch(/^sha256:/);
  });

  it('keeps every field of a state through its compact line (signing, approval, nulls), and misses when the departments are listed otherwise', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    await advance(path, 'HZ2026-001', REVIEWED);
    const cache = readCache(path);
    const [id, state] = cache.states[0]!;
    const variants = [
      { ...state, reviews: [], presidentMeeting: true, partyCommittee: true, signedAt: '2026-11-20', agreementNo: 'ZQLG-2026-007', approvedOn: '2026-11-18' },
      { ...state, reviews: [...state.reviews].reverse(), presidentMeeting: true, partyCommittee: false, signedAt: null, agreementNo: null },
      { ...state, presidentMeeting: false, partyCommittee: true, approvedOn: null },
    ];
    for (const variant of variants) {
      const text = formatStateCache({ ...cache, states: [[id, variant]] });
      const back = parseStateCache(text).states[0]![1];
      expect({ ...back, reviews: new Set(back.reviews) }).toEqual({ ...variant, reviews: new Set(variant.reviews) });
    }
    // The lines' review bits stand for the departments in the head's order: another order is not trusted.
    expect(byStatus(run)['待审议']).toBe(1);
    const planted = { ...cache, states: cache.states.map(([k, s]) => [k, { ...s, status: '已生效' }] as (typeof cache.states)[number]) };
    writeFileSync(statePath(path), formatStateCache(planted));
    expect(byStatus(run)['已生效']).toBe(1);
    writeFileSync(statePath(path), formatStateCache({ ...planted, departments: [...planted.departments!].reverse() }));
    expect(byStatus(run)['待审议']).toBe(1);
  });

  describe.skipIf(!OPENPYXL_PYTHON)(`hand edits (${OPENPYXL_PYTHON ? 'openpyxl' : NO_OPENPYXL_REASON})`, () => {
    it('are caught through the cache: a re-saved workbook is verified in full', async () => {
      const { path, run } = await registryWith([sample('星湖班')]);
      await advance(path, 'HZ2026-001', APPROVED);
      expect(run(['log', 'verify']).code).toBe(0);
      // openpyxl rewrites a log row's 操作人; the cache from the last save is still beside the file.
      runOpenpyxl(
        `import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nws = wb['审批记录']\ncol = [c.value for c in ws[1]].index('操作人') + 1\nws.cell(4, col).value = 'someone@evil.example'\nwb.save(sys.argv[1])`,
        [path],
      );
      const review = run(['review', 'HZ2026-001', '--dept', '教务处', ...by(SAMPLE_APPROVERS['教务处'])]);
      expect(review.code).toBe(1);
      expect(review.stderr).toContain('审批操作暂停');
      // Even a cache rewritten to name the edited file's digest never vouches for `coop log verify`: it hashes every row.
      const cache = readCache(path);
      cache.file = registryKey(readFileSync(path));
      writeFileSync(statePath(path), formatStateCache(cache));
      const verify = run(['log', 'verify']);
      expect(verify.code).toBe(1);
      expect(verify.stdout).toContain('「审批记录」第 4 行的校验值与内容不符');
    });
  });
});
