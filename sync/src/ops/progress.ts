/**
 * The one shape in which every op reports progress: `step` names what just happened, counted steps carry `done` of
 * `total`. Ops emit these and never print; the CLI renders every step in one place (views/progress-view.ts).
 */
import type { GeneratedAgreement } from '../agreements/generate.js';
import type { RetryEvent } from '../google/retry.js';
import type { UploadedTemplate } from '../google/templates-upload.js';
import type { ExportResult } from './export.js';
import type { ImportResult } from './import.js';
import type { RemindResult } from './remind.js';
import type { Renewal } from './renew.js';
import type { WorkflowRefusal, WorkflowStep } from './workflow.js';

export type ProgressEvent =
  // coop import: each file read, then the merge counted in rows; notes about what was read
  | { step: 'file'; file: string; done: number; total: number; rows: number }
  | { step: 'merge'; done: number; total: number }
  | { step: 'note'; message: string }
  // coop agreement
  | { step: 'generated'; agreement: GeneratedAgreement }
  | { step: 'skipped'; projectId: string; link: string }
  // a Google request waiting before another try
  | ({ step: 'retry' } & RetryEvent)
  // coop templates upload
  | { step: 'uploaded'; template: UploadedTemplate }
  | { step: 'recorded'; count: number; registry: string }
  // coop demo, in the order it runs
  | { step: 'registry'; path: string }
  | { step: 'records'; partners: number; projects: number }
  | { step: 'excel-forms'; files: string[] }
  | { step: 'excel-import'; result: ImportResult }
  | ({
      step: 'workflow';
      /** What was attempted, in words (e.g. 提交审查). */
      action: string;
      actor: string;
    } & ({ ok: true; result: WorkflowStep } | { ok: false; refusal: WorkflowRefusal }))
  | { step: 'agreements'; generated: number; dir: string }
  | { step: 'excel-historical'; file: string; result: ImportResult }
  | { step: 'renew'; renewal: Renewal }
  | { step: 'remind'; asOf: string; result: RemindResult }
  | { step: 'excel-export'; result: ExportResult };

export type ProgressStep = ProgressEvent['step'];

/** The events of the given steps, e.g. `ProgressOf<'file' | 'merge'>`. */
export type ProgressOf<S extends ProgressStep> = ProgressEvent & { step: S };

/** The callback an op takes; an op states the steps it emits, the CLI's renderer takes them all. */
export type OnProgress<S extends ProgressStep = ProgressStep> = (e: ProgressOf<S>) => void;
