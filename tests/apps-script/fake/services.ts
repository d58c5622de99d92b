/// <reference types="google-apps-script" />
// The other services the script touches: Session, LockService, PropertiesService, MailApp (an outbox with a
// daily quota) and ScriptApp triggers. Plain objects; calls are counted under 'other'.
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
    const m = typeof message === 'string' ? { to: message, subject: subject ?? '', body: body ?? '' } : { to: message.to ?? '', subject: message.subject ?? '', body: message.body ?? '' };
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
}

export class FakeScriptApp {
  readonly triggers: FakeTrigger[] = [];
  getProjectTriggers() {
    return this.triggers.map((t) => ({ getHandlerFunction: () => t.handler, getEventType: () => t.kind }));
  }
  newTrigger(handler: string) {
    const triggers = this.triggers;
    return {
      forSpreadsheet: () => ({
        onEdit: () => ({ create: () => void triggers.push({ handler, kind: 'ON_EDIT' }) }),
        onOpen: () => ({ create: () => void triggers.push({ handler, kind: 'ON_OPEN' }) }),
      }),
      timeBased: () => {
        const parts: string[] = [];
        const builder = {
          everyDays: (n: number) => (parts.push(`every ${n} day(s)`), builder),
          atHour: (h: number) => (parts.push(`at ${h}:00`), builder),
          inTimezone: (tz: string) => (parts.push(tz), builder),
          create: () => void triggers.push({ handler, kind: 'CLOCK', schedule: parts.join(' ') }),
        };
        return builder;
      },
    };
  }
}

export function fakeSession(env: FakeEnv) {
  return {
    getActiveUser: () => ({ getEmail: () => env.user }),
    getEffectiveUser: () => ({ getEmail: () => env.user }),
    getScriptTimeZone: () => 'Asia/Shanghai',
  };
}
