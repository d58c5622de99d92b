/** The reminders part of `coop demo`: a renewal of a signed agreement, then `coop remind --dry-run` two weeks on. */
import { schoolDate } from '../../../core/index.js';
import { SAMPLE_OFFICE } from '../demo/sample-data.js';
import type { RegistryStore } from '../stores/store.js';
import type { OnProgress } from './progress.js';
import { remind } from './remind.js';
import { renewProject } from './renew.js';

/** The project the demo renews: the first sample agreement, signed by the workflow step. */
export const DEMO_RENEWED = 'HZ2026-001';
/** Reminders are previewed as of two weeks later, so reviews have waited past the lead time. */
const PREVIEW_DAYS = 14;

export async function runRemindDemo(store: RegistryStore, now: Date, onProgress: OnProgress<'renew' | 'remind'>): Promise<void> {
  onProgress({ step: 'renew', renewal: await renewProject(store, DEMO_RENEWED, now) });
  const later = new Date(now.getTime() + PREVIEW_DAYS * 86_400_000);
  const result = await remind(store, {
    dryRun: true,
    // A dry run connects to nothing; the placeholder server only lets the preview show who would get mail.
    secrets: { channels: {}, smtp: { host: 'smtp.example.edu.cn', port: 465, secure: true, from: SAMPLE_OFFICE }, source: 'demo' },
    now: later,
    timeoutMs: 1000,
    backoffMs: 0,
  });
  onProgress({ step: 'remind', asOf: schoolDate(later), result });
}
