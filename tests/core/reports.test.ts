import { describe, expect, it } from 'vitest';
import { evaluationsOwed, expiringSoon } from '../../core/index.js';
import { demoSettings, partner, project, registry } from './fixtures.js';

describe('annual evaluations owed (第十六条)', () => {
  const signed = (overrides = {}) => project({ status: '已生效', startDate: '2024-09-01', endDate: '2027-07-31', signedAt: '2024-08-20', ...overrides });

  it('past years without an evaluation are overdue; this year is due from the reminder date', () => {
    const data = registry([partner()], [signed()]);
    data.evaluations.push({ cells: { projectId: 'HZ2026-001', year: 2024 }, sheetRow: 2 });
    expect(evaluationsOwed(data, demoSettings(), '2026-11-24')).toEqual({
      overdue: [expect.objectContaining({ projectId: 'HZ2026-001', year: 2025 })],
      due: [],
    });
    expect(evaluationsOwed(data, demoSettings(), '2026-12-01').due).toEqual([expect.objectContaining({ year: 2026 })]);
  });

  it('a project owes nothing for the years before it was signed', () => {
    const data = registry([partner()], [signed({ signedAt: '2026-03-01' })]);
    expect(evaluationsOwed(data, demoSettings(), '2026-11-24')).toEqual({ overdue: [], due: [] });
  });

  it('drafts and projects in review owe nothing', () => {
    const data = registry([partner()], [signed({ status: '审查中' })]);
    expect(evaluationsOwed(data, demoSettings(), '2027-02-01').overdue).toEqual([]);
  });
});

describe('agreements expiring', () => {
  it('lists agreements in force that end within the lead time of 设置', () => {
    const data = registry([partner()], [project({ status: '已生效', endDate: '2027-01-20' }), project({ projectId: 'HZ2026-002', status: '已生效', endDate: '2027-03-01' })]);
    expect(expiringSoon(data, demoSettings(), '2026-11-24').map((p) => p.projectId)).toEqual(['HZ2026-001']);
  });
});
