// A batch of signings checks agreement numbers against one index of the log and the rows (agreementHolders) instead of
// scanning every project per signing: for any registry, each project must see exactly the holders the per-project scan
// saw — including the odd cases of a number held twice, by the project itself, or only by a row.
import { describe, expect, it } from 'vitest';
import { agreementHolders, signingFacts, type LoggedState, type RawCells } from '../../core/index.js';
import { prng } from '../excel/random-registry.js';

/** The per-project scan signingFacts did before the index: the log's states set in order, then the rows fill the gaps. */
function scanned(logged: ReadonlyMap<string, LoggedState>, projects: RawCells[], projectId: string): Map<string, string> {
  const inUse = new Map<string, string>();
  for (const [id, state] of logged) if (state.agreementNo && id !== projectId) inUse.set(state.agreementNo, id);
  for (const cells of projects) {
    const id = String(cells.projectId ?? '').trim();
    const no = String(cells.agreementNo ?? '').trim();
    if (no && id !== projectId && !inUse.has(no)) inUse.set(no, id);
  }
  return inUse;
}

describe('agreement numbers in use for a batch of signings', () => {
  it('names the same holder of every number for every project as a scan per project', () => {
    const rnd = prng(1616);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
    for (let round = 0; round < 40; round++) {
      const ids = Array.from({ length: 12 }, (_, i) => `HZ2026-${String(i + 1).padStart(3, '0')}`);
      // Few numbers, so that some are held twice, by the log and by a row, or by a project and another.
      const numbers = ['ZQLG-HZ-2026-001', 'ZQLG-HZ-2026-002', 'ZQLG-HZ-2026-003', ' ZQLG-HZ-2026-004 '];
      const logged = new Map<string, LoggedState>();
      for (const id of ids)
        if (rnd() < 0.6)
          logged.set(id, {
            status: '已生效',
            reviews: new Set(),
            presidentMeeting: true,
            partyCommittee: true,
            agreementNo: rnd() < 0.7 ? pick(numbers).trim() : null,
          });
      const rows: RawCells[] = ids.map((id) => ({ projectId: rnd() < 0.9 ? id : ` ${id} `, agreementNo: rnd() < 0.5 ? pick(numbers) : null }));
      const holders = agreementHolders(logged, rows);
      for (const id of ids) {
        const expected = scanned(logged, rows, id);
        const facts = signingFacts(logged, rows, id, holders);
        for (const no of [...numbers.map((n) => n.trim()), 'ZQLG-HZ-2026-999'])
          expect(facts.agreementNosInUse.get(no), `round ${round}, ${id}, ${no}`).toBe(expected.get(no));
        // Without a shared index the facts are the same.
        for (const no of numbers.map((n) => n.trim())) expect(signingFacts(logged, rows, id).agreementNosInUse.get(no)).toBe(expected.get(no));
      }
    }
  });
});
