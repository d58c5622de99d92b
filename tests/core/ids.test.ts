import { describe, expect, it } from 'vitest';
import { IdAllocator, agreementNumberFor } from '../../core/index.js';

describe('ID allocation', () => {
  it('continues after the highest ID present', () => {
    const ids = new IdAllocator({ partners: 0, projects: {} }, ['P0007', 'P0003', 'HZ2025-004']);
    expect(ids.partner()).toBe('P0008');
    expect(ids.project(2025)).toBe('HZ2025-005');
    expect(ids.project(2026)).toBe('HZ2026-001');
  });

  it('never reuses the ID of a deleted row: the high-water mark wins', () => {
    const ids = new IdAllocator({ partners: 12, projects: { '2026': 9 } }, ['P0003', 'HZ2026-002']);
    expect(ids.partner()).toBe('P0013');
    expect(ids.project(2026)).toBe('HZ2026-010');
    expect(ids.counters).toEqual({ partners: 13, projects: { '2026': 10 } });
  });

  it('derives the agreement number from the project ID', () => {
    expect(agreementNumberFor({ agreementPrefix: 'ZQLG-HZ' }, 'HZ2024-001')).toBe('ZQLG-HZ-2024-001');
  });
});
