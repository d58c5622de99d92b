/** The reminders part of `coop demo`: a renewal of a signed agreement, then `coop remind --dry-run` two weeks on. */
import { schoolDate } from '../../../core/index.js';
import { SAMPLE_OFFICE } from '../demo/sample-data.js';
import type { RegistryStore } from '../stores/store.js';
import { remind, type RemindResult } from './remind.js';
import { renewProject, type Renewal } from './renew.js';

export type DemoRemindEvent = { step: 'renew'; renewal: Renewal } | { step: 'remind'; asOf: string; result: RemindResult };

/** The project the demo renews: the first sample agreement, signed by the workflow step. */
export const DEMO_RENEWED = 'HZ2026-001';
/** Reminders are previewed as of two weeks later, so reviews have waited past the lead time. */
const PREVIEW_DAYS = 14;

export async function runRemindDemo(store: RegistryStore, now: Date, onEvent: (e: DemoRemindEvent) => void): Promise<void> {
  onEvent({ step: 'renew', renewal: await renewProject(store, DEMO_RENEWED, now) });
  const later = new Date(now.getTime() + PREVIEW_DAYS * 86_400_000);
  const result = await remind(store, {
    dryRun: true,
    // A dry run connects to nothing; the placeholder server only lets the preview show who would get mail.
    secrets: { channels: {}, smtp: { host: 'smtp.example.edu.cn', port: 465, secure: true, from: SAMPLE_OFFICE }, source: 'demo' },
    now: later,
    timeoutMs: 1000,
    backoffMs: 0,
  });
  onEvent({ step: 'remind', asOf: schoolDate(later), result });
}
