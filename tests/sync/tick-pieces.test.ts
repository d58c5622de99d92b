// A tick writes the patched workbook and NAME.state.json from their pieces (views of the bytes read, new segments,
// state lines) without joining them in memory: the files must hold exactly the pieces in order, and the cache's state
// lines — read as a view of the cache file, the first line included — must still be found, rewritten and equal a full
// replay of the log after steps on the projects of its first and last lines.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loggedStatesOf } from '../../core/index.js';
import { SAMPLE_APPROVERS } from '../../sync/src/demo/sample-data.js';
import { applyWorkflowEvent } from '../../sync/src/ops/workflow.js';
import { writeFileAtomic } from '../../sync/src/stores/atomic-file.js';
import { fileDigest, parseStateCache, registryKey, statePath } from '../../sync/src/stores/state-cache.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { OPEN_PROJECTS, generateRegistry } from '../../bench/registries.js';
import { prng } from '../excel/random-registry.js';

const NOW = new Date('2026-11-24T02:00:00Z');

describe('a tick written from pieces', () => {
  it('writes a file of many pieces (empty ones, more than one writev takes) byte for byte, and hashes the same', async () => {
    const rnd = prng(7);
    const pieces = Array.from({ length: 1500 }, (_, i) =>
      Buffer.from(Array.from({ length: i % 7 === 0 ? 0 : Math.floor(rnd() * 300) }, () => Math.floor(rnd() * 256))),
    );
    pieces.push(Buffer.alloc(3 * 2 ** 20, 0x41));
    const path = join(mkdtempSync(join(tmpdir(), 'coop-pieces-')), 'file.bin');
    await writeFileAtomic(path, pieces);
    const whole = Buffer.concat(pieces);
    expect(readFileSync(path).equals(whole)).toBe(true);
    expect(fileDigest(pieces)).toBe(fileDigest(whole));
    expect(registryKey(pieces)).toBe(registryKey(whole));
  });

  it('finds and rewrites the state lines of the first and the last project of the cache, as a full replay has them', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'coop-pieces-')), 'registry.xlsx');
    await generateRegistry(path, OPEN_PROJECTS);
    const last = `HZ2026-${String(OPEN_PROJECTS).padStart(3, '0')}`;
    const ids = parseStateCache(readFileSync(statePath(path), 'utf8')).states.map(([id]) => id);
    expect([ids[0], ids.at(-1)]).toEqual(['HZ2026-001', last]);
    for (const id of ['HZ2026-001', last]) {
      const store = new XlsxRegistryStore(path);
      const [step] = await applyWorkflowEvent(store, id, { type: 'tick', department: '招就处' }, SAMPLE_APPROVERS['招就处'], NOW);
      expect(step!.to).toBe('待审议');
      expect(store.lastRead?.cache).toBe(true);
      expect(store.lastWrite).toBe('patch');
      const cache = parseStateCache(readFileSync(statePath(path), 'utf8'));
      expect(cache.file).toBe(registryKey(readFileSync(path)));
      const data = await new XlsxRegistryStore(path, { cache: false }).read();
      const replayed = [...loggedStatesOf(data)].map(([k, s]) => [k, { ...s, reviews: [...s.reviews] }]);
      // Every project once, in the cache's order, as the replay has it.
      expect(cache.states.map(([k]) => k)).toEqual(ids);
      expect(Object.fromEntries(cache.states)).toEqual(JSON.parse(JSON.stringify(Object.fromEntries(replayed))));
    }
  }, 60_000);
});
