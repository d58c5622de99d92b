// Runs the built `coop` as a separate process, as a user would, and captures what it prints.
import { spawn, spawnSync } from 'node:child_process';
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

/** Like `coop`, without blocking this process: needed when the test process also serves an emulator the CLI talks to. */
export function coopAsync(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [COOP, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, NODE_OPTIONS: `--import=${NETWORK_GUARD}`, COOP_NOW: '2026-11-24T02:00:00Z', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function tempDir(prefix = 'coop-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
