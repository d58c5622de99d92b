// Local work never loads the Google client libraries: only a `gsheet:` registry does (CommonJS modules show in require.cache).
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { coop, tempDir } from '../helpers/cli.js';

const GOOGLE = /googleapis|google-auth-library|gaxios|gtoken/;

describe('lazy Google loading', () => {
  it('coop validate on a local .xlsx loads no Google module; on gsheet:ID it does', () => {
    const dir = tempDir();
    const probe = join(dir, 'probe.cjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache))));");
    const env = {
      NODE_OPTIONS: `--require=${probe} --import=${pathToFileURL(resolve('tests/no-network.mjs')).href}`,
      GOOGLE_APPLICATION_CREDENTIALS: '',
      COOP_GOOGLE_TOKEN_CACHE: join(dir, 'none.json'),
    };
    const registry = join(dir, 'registry.xlsx');
    expect(coop(['init', '--registry', registry]).code).toBe(0);
    const local = coop(['validate', '--registry', registry], { env });
    expect(local.code).toBe(0);
    const loaded = (r: { stderr: string }) => JSON.parse(/LOADED (.*)$/m.exec(r.stderr)![1]!) as string[];
    expect(loaded(local).filter((p) => GOOGLE.test(p))).toEqual([]);
    const shared = coop(['validate', '--registry', 'gsheet:abc'], { env });
    expect(shared.code).toBe(2);
    expect(shared.stderr).toContain('未配置 Google 凭据');
    expect(loaded(shared).some((p) => GOOGLE.test(p))).toBe(true);
  });
});
