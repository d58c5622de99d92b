/**
 * How V8 treats the heap of a coop process. A read-only command builds the registry's rows (long-lived) and then runs
 * rules that make short-lived objects from the same allocation sites; V8's allocation-site pretenuring learns from the
 * first that those sites' objects live long and allocates the rules' garbage straight in the old generation, which
 * is collected only once it has doubled: `coop validate` on 10,000 projects peaked at 375–500 MB instead of ~190 MB
 * (docs/开发者指南.md, issue 16, "Read-only commands in bounded memory").
 */
import { setFlagsFromString } from 'node:v8';

/** Turns pretenuring off for this process (COOP_V8_PRETENURING=1 keeps V8's default, the bench's comparison). */
export function tuneHeap(): void {
  if (process.env.COOP_V8_PRETENURING === '1') return;
  try {
    setFlagsFromString('--no-allocation-site-pretenuring');
  } catch {
    // A runtime without V8 flags keeps its defaults: only memory, never behaviour, depends on this.
  }
}
