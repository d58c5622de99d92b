// Dates cross the sheet without a day's shift whatever the zone of the machine running the script.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

function run(tz: string): { signed: string; expiring: string; due: boolean } {
  const result = spawnSync(
    process.execPath,
    ['--import', pathToFileURL(resolve('tests/no-network.mjs')).href, '--import', 'tsx', 'tests/apps-script/tz-driver.ts'],
    { env: { ...process.env, TZ: tz }, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

describe('time zones', () => {
  it.each(['Pacific/Kiritimati', 'America/Los_Angeles', 'Asia/Shanghai'])('keeps calendar dates under TZ=%s', (tz) => {
    expect(run(tz)).toEqual({ signed: '2026-11-30T16:00:00.000Z', expiring: '2026-12-31', due: true });
  });
});
