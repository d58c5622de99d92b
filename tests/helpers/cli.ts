// Runs the built `coop` as a separate process, as a user would, and captures what it prints.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const COOP = resolve('dist/sync/coop.js');
const NETWORK_GUARD = pathToFileURL(resolve('tests/no-network.mjs')).href;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function coop(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [COOP, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, NODE_OPTIONS: `--import=${NETWORK_GUARD}`, COOP_NOW: '2026-11-24T02:00:00Z', ...options.env },
    encoding: 'utf8',
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = 'coop-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
