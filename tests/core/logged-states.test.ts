// loggedStatesOf replays only what was appended since its last replay: the result always equals a full replay of the
// verified log, a 日志更正 in the new rows forces the full replay, and what callers do with the map never reaches the memo.
import { describe, expect, it } from 'vitest';
import { appendLogEntries, loggedStates, loggedStatesOf, rememberLoggedStates, trustedLog, type ReviewLogRow } from '../../core/index.js';
import { prng } from '../excel/random-registry.js';
import { registry } from './fixtures.js';

const DEPARTMENTS = ['教务处', '招就处', '科研处'];
const ACTIONS = ['提交', '审查通过', '撤销审查', '退回', '会议通过'] as const;

function entry(rnd: () => number, i: number): ReviewLogRow {
  const action = ACTIONS[Math.floor(rnd() * ACTIONS.length)]!;
  return {
    time: `2026-11-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00`,
    projectId: `HZ2026-00${1 + Math.floor(rnd() * 4)}`,
    body: action === '会议通过' ? '校长办公会' : DEPARTMENTS[Math.floor(rnd() * DEPARTMENTS.length)]!,
    actor: 'a@zqlg.example.edu.cn',
    action,
    fromStatus: null,
    toStatus: action === '提交' ? '待审查' : action === '退回' ? '草稿' : '审查中',
    remark: null,
    operator: null,
    signature: null,
    hash: null,
  } as ReviewLogRow;
}

const plain = (states: ReturnType<typeof loggedStates>) => [...states].map(([id, s]) => [id, { ...s, reviews: [...s.reviews].sort() }]);

describe('loggedStatesOf', () => {
  it('continues from its last replay as the log grows, and always equals a full replay', () => {
    const rnd = prng(16);
    const data = registry([], []);
    for (let step = 0; step < 40; step++) {
      appendLogEntries(
        data.reviewLog,
        Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, i) => entry(rnd, step * 3 + i)),
      );
      const states = loggedStatesOf(data);
      expect(plain(states), `step ${step}`).toEqual(plain(loggedStates(trustedLog(data.reviewLog) as never)));
      // A caller changing its copy changes nothing for the next one.
      for (const s of states.values()) s.reviews.add('外事办' as never);
    }
  });

  it('takes remembered states for the same rows, and replays in full once a 日志更正 joins the log', () => {
    const rnd = prng(3);
    const data = registry([], []);
    appendLogEntries(
      data.reviewLog,
      Array.from({ length: 6 }, (_, i) => entry(rnd, i)),
    );
    const head = String(data.reviewLog.at(-1)!.cells.hash);
    // A planted state proves the remembered map is used as it stands.
    rememberLoggedStates(data, head, new Map([['HZ2026-999', { status: '已生效', reviews: new Set(), presidentMeeting: false, partyCommittee: false }]]));
    expect([...loggedStatesOf(data).keys()]).toEqual(['HZ2026-999']);
    // Rows appended since are replayed on top of it ...
    appendLogEntries(data.reviewLog, [{ ...entry(rnd, 7), projectId: 'HZ2026-004', action: '提交', toStatus: '待审查' }]);
    expect(loggedStatesOf(data).get('HZ2026-999')?.status).toBe('已生效');
    expect(loggedStatesOf(data).get('HZ2026-004')?.status).toBe('待审查');
    // ... but a 日志更正 among them replays the whole log: the planted state is gone.
    appendLogEntries(data.reviewLog, [{ ...entry(rnd, 8), projectId: null, action: '日志更正', toStatus: null, remark: '更正' } as ReviewLogRow]);
    expect(loggedStatesOf(data).has('HZ2026-999')).toBe(false);
    expect(plain(loggedStatesOf(data))).toEqual(plain(loggedStates(trustedLog(data.reviewLog) as never)));
  });
});
