/**
 * A full garbage collection on request, for the long import loop: left alone, V8 grows the heap to three or four
 * times what a 100,000-row import still holds (docs/开发者指南.md, issue 16, "Import of 100,000 rows, written as it goes").
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * Runs a full collection. `--expose-gc` only decides whether a new context gets a `gc` function, so it is turned on
 * here and the function taken from a fresh context (what the `expose-gc` package does); where that fails, nothing runs.
 */
export function collectGarbage(): void {
  if (collect === undefined) {
    try {
      const exposed = (globalThis as { gc?: () => void }).gc;
      if (!exposed) setFlagsFromString('--expose-gc');
      collect = exposed ?? (runInNewContext('gc') as () => void);
    } catch {
      collect = null;
    }
  }
  collect?.();
}
