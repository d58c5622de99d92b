/**
 * Retries of Google API calls: truncated exponential backoff with jitter (≤ 64 s) on 429 and 5xx,
 * and only where a repeat cannot do harm — a request that may have been applied is never blindly resent.
 */
import { CoopError } from '../../../core/index.js';
import { GOOGLE_TEXT as T } from './text.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Ceiling of one wait, in ms (Google recommends 64 s). */
  maxDelayMs: number;
  /** Waits `ms`; injectable so tests never sleep. */
  sleep: (ms: number) => Promise<void>;
  /** 0 ≤ x < 1; injectable for deterministic tests. */
  random: () => number;
  /** Called before each wait, e.g. to report progress. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  what: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export const defaultRetryPolicy = (): RetryPolicy => ({
  maxRetries: 8,
  maxDelayMs: 64_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
});

/** How a failed call relates to the server's state. */
export type FailureKind =
  /** The server refused without acting (429 rate limit): safe to send again, whatever the request. */
  | 'rejected'
  /** 5xx or a broken connection: the request may or may not have been applied. */
  | 'ambiguous'
  /** No connection was made (refused, unknown host): nothing was sent, but waiting long rarely helps. */
  | 'unreachable'
  /** Any other HTTP error: retrying would not help. */
  | 'final';

/** Retries for an unreachable host: enough to ride out a blip, not minutes of waiting for a proxy that is not set. */
const UNREACHABLE_RETRIES = 2;
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface HttpLikeError {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; headers?: unknown; data?: unknown };
}

export function statusOf(error: unknown): number | undefined {
  const e = error as HttpLikeError;
  const status = e?.response?.status ?? e?.status;
  return typeof status === 'number' ? status : undefined;
}

export function classify(error: unknown): FailureKind {
  const status = statusOf(error);
  if (status === undefined) return UNREACHABLE_CODES.has(String((error as HttpLikeError)?.code)) ? 'unreachable' : 'ambiguous';
  if (status === 429) return 'rejected';
  if (status >= 500) return 'ambiguous';
  return 'final';
}

/** Google's own reason text from an error body, never the request (which carries the token). */
export function reasonOf(error: unknown): string {
  const data = (error as HttpLikeError)?.response?.data as { error?: { message?: string } | string; error_description?: string } | undefined;
  if (data && typeof data === 'object') {
    if (typeof data.error === 'object' && data.error?.message) return data.error.message;
    if (typeof data.error_description === 'string') return data.error_description;
    if (typeof data.error === 'string') return data.error;
  }
  const code = (error as HttpLikeError)?.code;
  return typeof code === 'string' ? code : '';
}

function retryAfterMs(error: unknown): number {
  const headers = (error as HttpLikeError)?.response?.headers as { get?: (k: string) => string | null } | Record<string, string> | undefined;
  const raw = typeof headers?.get === 'function' ? headers.get('retry-after') : (headers as Record<string, string> | undefined)?.['retry-after'];
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/** The wait before retry number `attempt` (1-based): min(2^(attempt-1) s + jitter ≤ 1 s, 64 s). */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'maxDelayMs' | 'random'>): number {
  return Math.min(2 ** (attempt - 1) * 1000 + Math.floor(policy.random() * 1000), policy.maxDelayMs);
}

/** Turns a failure into the Chinese error the office sees; keeps the original as `cause` for COOP_DEBUG. */
export function googleError(what: string, error: unknown): CoopError {
  if (error instanceof CoopError) return error;
  const status = statusOf(error);
  const reason = reasonOf(error);
  const result =
    status === undefined
      ? new CoopError('GOOGLE', T.network(what, reason || (error as Error)?.message || String(error)))
      : status === 403
        ? new CoopError('GOOGLE', T.permission(what), reason ? [reason] : [])
        : new CoopError('GOOGLE', T.http(what, status, reason));
  return Object.assign(result, { status, kind: classify(error) });
}

export interface CallOptions {
  /** Sending it twice has the effect of sending it once (GET, DELETE, overwriting fixed cells). */
  idempotent: boolean;
}

/**
 * Runs `call`, retrying 429s always and 5xx/network failures only when the call is idempotent.
 * A non-idempotent call that fails ambiguously is thrown (as a CoopError with kind 'ambiguous') for
 * the caller to reconcile — e.g. look for the copy it may have made before copying again.
 */
export async function withRetry<T>(what: string, options: CallOptions, policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      // A CoopError is a failure already decided inside the call (e.g. a nested call that used up its own retries).
      if (error instanceof CoopError) throw error;
      const kind = classify(error);
      const retryable = kind === 'rejected' || kind === 'unreachable' || (kind === 'ambiguous' && options.idempotent);
      if (!retryable) throw googleError(what, error);
      if (kind === 'unreachable' && attempt > Math.min(UNREACHABLE_RETRIES, policy.maxRetries)) throw googleError(what, error);
      if (attempt > policy.maxRetries) {
        throw Object.assign(new CoopError('GOOGLE', T.gaveUp(what, attempt), [googleError(what, error).message]), { kind });
      }
      const delayMs = Math.min(Math.max(backoffDelay(attempt, policy), retryAfterMs(error)), policy.maxDelayMs);
      policy.onRetry?.({ what, attempt, delayMs, reason: String(statusOf(error) ?? reasonOf(error)) });
      await policy.sleep(delayMs);
    }
  }
}

/** The failure kind a CoopError from `withRetry` carries. */
export function failureKind(error: unknown): FailureKind | undefined {
  return (error as { kind?: FailureKind })?.kind;
}
