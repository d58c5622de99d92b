/// <reference types="google-apps-script" />
// The other services the script touches: Session, LockService, PropertiesService, MailApp (an outbox with a
// daily quota) and ScriptApp triggers. Plain objects; calls are counted under 'other'.
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FakeEnv } from './spreadsheet.js';

export class FakeProperties implements Pick<GoogleAppsScript.Properties.Properties, 'getProperty' | 'setProperty' | 'deleteProperty' | 'getProperties'> {
  readonly store = new Map<string, string>();
  getProperty(key: string): string | null {
    return this.store.get(key) ?? null;
  }
  setProperty(key: string, value: string) {
    // The real service rejects values above 9 kB.
    if (value.length > 9 * 1024) throw new Error('Argument too large: value');
    this.store.set(key, String(value));
    return this as unknown as GoogleAppsScript.Properties.Properties;
  }
  deleteProperty(key: string) {
    this.store.delete(key);
    return this as unknown as GoogleAppsScript.Properties.Properties;
  }
  getProperties() {
    return Object.fromEntries(this.store);
  }
}

export class FakeLock implements Pick<GoogleAppsScript.Lock.Lock, 'tryLock' | 'releaseLock' | 'hasLock' | 'waitLock'> {
  /** Set by a test to play another execution holding the lock. */
  heldElsewhere = false;
  held = false;
  readonly waits: number[] = [];
  tryLock(timeoutInMillis: number): boolean {
    this.waits.push(timeoutInMillis);
    if (this.heldElsewhere) return false;
    this.held = true;
    return true;
  }
  waitLock(timeoutInMillis: number): void {
    this.waits.push(timeoutInMillis);
    throw new Error('fake: waitLock is not used by coop-registry (tryLock only)');
  }
  releaseLock(): void {
    this.held = false;
  }
  hasLock(): boolean {
    return this.held;
  }
}

export interface SentMail {
  to: string;
  subject: string;
  body: string;
}

export class FakeMailApp {
  readonly outbox: SentMail[] = [];
  quota = 100;
  getRemainingDailyQuota(): number {
    return this.quota;
  }
  sendEmail(message: GoogleAppsScript.Mail.MailAdvancedParameters | string, subject?: string, body?: string): void {
    const m =
      typeof message === 'string'
        ? { to: message, subject: subject ?? '', body: body ?? '' }
        : { to: message.to ?? '', subject: message.subject ?? '', body: message.body ?? '' };
    const recipients = m.to.split(',').filter(Boolean).length;
    if (recipients > this.quota) throw new Error('Service invoked too many times for one day: email.');
    this.quota -= recipients;
    this.outbox.push(m);
  }
}

export interface FakeTrigger {
  handler: string;
  kind: 'ON_EDIT' | 'ON_OPEN' | 'CLOCK';
  schedule?: string;
  /** Who installed it: it runs as them, and only they see it in getProjectTriggers. */
  owner: string;
  uid: string;
}

/** ScriptApp's triggers as Google keeps them: per installing user; getProjectTriggers returns only the caller's own. */
export class FakeScriptApp {
  readonly triggers: FakeTrigger[] = [];
  private seq = 0;
  constructor(private readonly env: () => FakeEnv) {}

  private caller(): string {
    const env = this.env();
    return env.effective ?? env.user;
  }

  private handle(t: FakeTrigger) {
    return { getHandlerFunction: () => t.handler, getEventType: () => t.kind, getUniqueId: () => t.uid, _trigger: t };
  }

  getProjectTriggers() {
    const me = this.caller();
    return this.triggers.filter((t) => t.owner === me).map((t) => this.handle(t));
  }

  deleteTrigger(trigger: { _trigger?: FakeTrigger }): void {
    const i = this.triggers.findIndex((t) => t === trigger._trigger && t.owner === this.caller());
    if (i < 0) throw new Error('fake: no such trigger of the current user');
    this.triggers.splice(i, 1);
  }

  newTrigger(handler: string) {
    const add = (t: Omit<FakeTrigger, 'owner' | 'uid'>) => {
      const trigger = { ...t, owner: this.caller(), uid: `trigger-${++this.seq}` };
      this.triggers.push(trigger);
      return this.handle(trigger);
    };
    return {
      forSpreadsheet: () => ({
        onEdit: () => ({ create: () => add({ handler, kind: 'ON_EDIT' }) }),
        onOpen: () => ({ create: () => add({ handler, kind: 'ON_OPEN' }) }),
      }),
      timeBased: () => {
        const parts: string[] = [];
        const builder = {
          everyDays: (n: number) => (parts.push(`every ${n} day(s)`), builder),
          everyMinutes: (n: number) => (parts.push(`every ${n} minute(s)`), builder),
          atHour: (h: number) => (parts.push(`at ${h}:00`), builder),
          inTimezone: (tz: string) => (parts.push(tz), builder),
          create: () => add({ handler, kind: 'CLOCK', schedule: parts.join(' ') }),
        };
        return builder;
      },
    };
  }
}

export function fakeSession(env: FakeEnv) {
  return {
    // With personal (consumer) accounts Google gives the user's e-mail only to code running under their own
    // authorization, never to a trigger another account installed.
    getActiveUser: () => ({ getEmail: () => (env.personalAccounts && env.effective && env.effective !== env.user ? '' : env.user) }),
    getEffectiveUser: () => ({ getEmail: () => env.user }),
    getScriptTimeZone: () => 'Asia/Shanghai',
  };
}

export interface FetchRecord {
  url: string;
  payload: string;
  status: number | null;
  error?: string;
}

/**
 * UrlFetchApp as Apps Script has it: synchronous. Each fetch runs one real HTTP request in a child process
 * (tests/helpers/fetch-sync.mjs), so the script blocks as it does on Google's servers; the receiver must live in
 * another thread or process. A request unanswered for `timeoutMs` throws, as Apps Script's fetch does.
 */
export class FakeUrlFetchApp {
  readonly requests: FetchRecord[] = [];
  timeoutMs = 3000;
  fetch(url: string, params: GoogleAppsScript.URL_Fetch.URLFetchRequestOptions = {}) {
    const input = JSON.stringify({
      url,
      method: String(params.method ?? 'get').toUpperCase(),
      headers: { ...(params.contentType ? { 'content-type': params.contentType } : {}), ...((params.headers as Record<string, string>) ?? {}) },
      payload: typeof params.payload === 'string' ? params.payload : undefined,
      timeoutMs: this.timeoutMs,
    });
    const out = JSON.parse(execFileSync(process.execPath, [FETCH_SYNC], { input, encoding: 'utf8', timeout: this.timeoutMs + 10_000 })) as {
      status?: number;
      body?: string;
      error?: string;
    };
    const record: FetchRecord = { url, payload: String(params.payload ?? ''), status: out.status ?? null, ...(out.error ? { error: out.error } : {}) };
    this.requests.push(record);
    if (out.error) throw new Error(out.error === 'Timeout' ? `Timeout: ${url}` : `Address unavailable: ${url}`);
    if (out.status! >= 400 && !params.muteHttpExceptions) throw new Error(`Request failed for ${url} returned code ${out.status}`);
    return { getResponseCode: () => out.status!, getContentText: () => out.body ?? '' };
  }
}

const FETCH_SYNC = fileURLToPath(new URL('../../helpers/fetch-sync.mjs', import.meta.url));

/** The Utilities the script uses: HMAC-SHA256 as Apps Script returns it (signed bytes), base64, and a sleep that advances the clock. */
export function fakeUtilities(sleep: (ms: number) => void) {
  return {
    Charset: { UTF_8: 'UTF_8', US_ASCII: 'US_ASCII' },
    computeHmacSha256Signature(value: string, key: string) {
      return [...createHmac('sha256', Buffer.from(key, 'utf8')).update(value, 'utf8').digest()].map((b) => (b > 127 ? b - 256 : b));
    },
    base64Encode(data: number[] | string) {
      return typeof data === 'string' ? Buffer.from(data, 'utf8').toString('base64') : Buffer.from(data.map((b) => (b + 256) % 256)).toString('base64');
    },
    sleep,
  };
}
