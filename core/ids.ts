/** ID allocation (P0001, HZ2024-001) that never reuses an ID, and the agreement number rule. */
import type { SheetKey } from './schema.js';
import type { Settings } from './settings.js';

/** The one shape of each system ID (SPEC): `P0001`…, and `HZ2024-001`… (year of application + sequence). */
const PARTNER_ID = /^P(\d{4,})$/;
const PROJECT_ID = /^HZ(\d{4})-(\d{3,})$/;

/** The ID pattern of the sheets whose rows carry a system ID, by sheet: what rows, references and imports check. */
export const ID_PATTERNS: Readonly<Partial<Record<SheetKey, RegExp>>> = { partners: PARTNER_ID, projects: PROJECT_ID };

export function partnerIdOf(n: number): string {
  return `P${String(n).padStart(4, '0')}`;
}

export function projectIdOf(year: number | string, n: number): string {
  return `HZ${String(year).padStart(4, '0')}-${String(n).padStart(3, '0')}`;
}

/**
 * Hands out IDs above both the highest ID present and the high-water mark kept in 设置,
 * so a deleted row's ID is never handed out again.
 */
export class IdAllocator {
  readonly counters: Settings['counters'];

  constructor(counters: Settings['counters'], existingIds: Iterable<string>) {
    this.counters = { partners: counters.partners, projects: { ...counters.projects } };
    for (const id of existingIds) {
      const p = PARTNER_ID.exec(id);
      if (p) this.counters.partners = Math.max(this.counters.partners, Number(p[1]));
      const q = PROJECT_ID.exec(id);
      if (q) this.counters.projects[q[1]!] = Math.max(this.counters.projects[q[1]!] ?? 0, Number(q[2]));
    }
  }

  partner(): string {
    this.counters.partners += 1;
    return partnerIdOf(this.counters.partners);
  }

  /** The year is the year of application (SPEC.md). */
  project(year: number): string {
    const key = String(year);
    const next = (this.counters.projects[key] ?? 0) + 1;
    this.counters.projects[key] = next;
    return projectIdOf(key, next);
  }
}

export function projectYear(projectId: string): number | undefined {
  const m = PROJECT_ID.exec(projectId);
  return m ? Number(m[1]) : undefined;
}

/** `ZQLG-HZ-2024-001`: the prefix from 设置 and the project's year and sequence, so it is unique as the project ID is. */
export function agreementNumberFor(settings: Pick<Settings, 'agreementPrefix'>, projectId: string): string {
  const m = PROJECT_ID.exec(projectId);
  if (!m) throw new Error(`not a project ID: ${projectId}`);
  return `${settings.agreementPrefix}-${m[1]}-${m[2]}`;
}
