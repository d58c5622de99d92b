/**
 * Keeps a long import's heap near what it holds: left alone, V8 grows the heap to three or four times what a
 * 100,000-row import still holds (docs/开发者指南.md, issue 16, "Import of 100,000 rows, written as it goes").
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;
/** Bytes the heap held after the last collection run here. */
let held = 0;

/** Garbage allowed on top of what the heap held after the last collection, before another: a quarter of it plus 32 MiB. */
const SLACK_BYTES = 32 * 2 ** 20;

/**
 * Runs a full collection when the heap has grown well past what the last one left. `--expose-gc` only decides whether
 * a new context gets a `gc` function, so it is turned on here and the function taken from a fresh context (what the
 * `expose-gc` package does); where that fails, nothing runs.
 */
export function trimHeap(): void {
  if (getHeapStatistics().used_heap_size < held * 1.25 + SLACK_BYTES) return;
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
  held = getHeapStatistics().used_heap_size;
}
