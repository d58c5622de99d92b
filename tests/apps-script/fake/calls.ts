// Counts service calls made by the script under test, by service, and exposes fakes through counting proxies.

export type Service = 'spreadsheet' | 'builder' | 'ui' | 'other';

export class CallLog {
  readonly calls: { service: Service; method: string }[] = [];
  enabled = true;

  hit(service: Service, method: string): void {
    if (this.enabled) this.calls.push({ service, method });
  }

  count(service: Service = 'spreadsheet'): number {
    return this.calls.filter((c) => c.service === service).length;
  }

  methods(service: Service = 'spreadsheet'): string[] {
    return this.calls.filter((c) => c.service === service).map((c) => c.method);
  }

  /** The calls that changed the spreadsheet (reads and rule builders do not), e.g. to show a re-run writes nothing. */
  writes(): string[] {
    return this.methods('spreadsheet').filter((m) =>
      /^(Spreadsheet|Sheet|Range|Protection)\.(set|insert|add|remove|protect|delete|clear|append|update)/.test(m),
    );
  }

  reset(): void {
    this.calls.length = 0;
  }

  /** Runs `fn` without counting (test set-up done "by hand" rather than by the script). */
  quiet<T>(fn: () => T): T {
    const was = this.enabled;
    this.enabled = false;
    try {
      return fn();
    } finally {
      this.enabled = was;
    }
  }
}

/** Every fake object knows its service and class name, for the counter. */
export abstract class Fake {
  abstract readonly service: Service;
  abstract readonly kind: string;
}

const proxies = new WeakMap<object, object>();
const raw = new WeakMap<object, object>();

export function unwrap<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => unwrap(v)) as T;
  if (value && typeof value === 'object' && raw.has(value)) return raw.get(value) as T;
  return value;
}

/** The script sees fakes only through this proxy: each method call is counted, arguments unwrapped, results wrapped. */
export function expose<T>(value: T, log: CallLog): T {
  if (Array.isArray(value)) return value.map((v) => expose(v, log)) as T;
  if (!(value instanceof Fake)) return value;
  const existing = proxies.get(value);
  if (existing) return existing as T;
  const target = value as unknown as Record<string | symbol, unknown> & Fake;
  const proxy = new Proxy(target, {
    get(t, p) {
      const member = t[p];
      if (typeof member !== 'function' || typeof p !== 'string' || p === 'constructor' || p.startsWith('_')) return member;
      return (...args: unknown[]) => {
        log.hit(t.service, `${t.kind}.${p}`);
        return expose(
          (member as (...a: unknown[]) => unknown).apply(
            t,
            args.map((a) => unwrap(a)),
          ),
          log,
        );
      };
    },
  });
  proxies.set(value, proxy);
  raw.set(proxy, value);
  return proxy as T;
}
