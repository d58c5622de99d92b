// Personal keys: `coop key new` makes an Ed25519 pair readable only by its owner; once the office lists a person's
// key in 设置, their review counts only when signed with it, and rows without it are reported and ignored.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings, writeSettings } from '../../core/index.js';
import { XlsxRegistryStore } from '../../sync/src/stores/xlsx-store.js';
import { tempDir } from '../helpers/cli.js';
import { APPLICANT, SAMPLE_APPROVERS, advance, readFullLog, readProject, registryWith, sample } from './fixture.js';

const JW = SAMPLE_APPROVERS['教务处'];
const RS = SAMPLE_APPROVERS['组织部（人事处）'];

async function listKey(path: string, email: string, listed: string): Promise<void> {
  await new XlsxRegistryStore(path).update((data) => {
    const { settings } = readSettings(data);
    settings.publicKeys = { ...settings.publicKeys, [email]: [...(settings.publicKeys?.[email] ?? []), listed] };
    writeSettings(data, settings);
    return { result: undefined, write: true };
  });
}

describe('personal keys', { timeout: 600_000 }, () => {
  it('key new writes a 0600 private key and prints the public key to list; a listed approver signs, others are 代录', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    const keys = tempDir('coop-keys-');
    const env = { COOP_KEY_DIR: keys };
    const made = run(['key', 'new', '--by', JW], env);
    expect(made.code, made.stderr).toBe(0);
    const pem = join(keys, `${JW}.pem`);
    expect(statSync(pem).mode & 0o777).toBe(0o600);
    const listed = /公钥 \| .+ \| (ed25519:\S+)/.exec(made.stdout)?.[1];
    expect(listed).toMatch(/^ed25519:[A-Za-z0-9+/=]{43,44}$/);
    expect(run(['key', 'new', '--by', JW], env).code).toBe(2);
    await listKey(path, JW, listed!);

    expect(run(['submit', 'HZ2026-001', '--by', APPLICANT], env).code).toBe(0);
    const signed = run(['review', 'HZ2026-001', '--dept', '教务处', '--by', JW], env);
    expect(signed.code, signed.stderr).toBe(0);
    const other = run(['review', 'HZ2026-001', '--dept', '组织部（人事处）', '--by', RS], env);
    expect(other.code, other.stderr).toBe(0);
    const log = await readFullLog(path);
    expect(log[1]).toMatchObject({ action: '审查通过', actor: JW, signature: expect.stringMatching(/^ed25519:[0-9a-f]{12}:/) });
    expect(log[2]).toMatchObject({ action: '审查通过', actor: RS, signature: '代录' });
    expect(String(log[1]!.operator)).toMatch(/.+@.+/);
    expect(run(['validate'], env).code).toBe(0);
    expect(await readProject(path, 'HZ2026-001')).toMatchObject({ review_academic: true, review_personnel: true });
  });

  it('a listed approver without the key is refused; an unsigned row by a listed address is reported and not counted', async () => {
    const { path, run } = await registryWith([sample('星湖班')]);
    const keys = tempDir('coop-keys-');
    const made = run(['key', 'new', '--by', JW], { COOP_KEY_DIR: keys });
    await listKey(path, JW, /(ed25519:\S+)/.exec(made.stdout)![1]!);
    await advance(path, 'HZ2026-001', [[APPLICANT, { type: 'submit' }]]);

    // The CLI on a machine without the private key writes nothing.
    const elsewhere = run(['review', 'HZ2026-001', '--dept', '教务处', '--by', JW], { COOP_KEY_DIR: tempDir('coop-nokeys-') });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain(`「设置」中为 ${JW} 登记了签名公钥，但本机没有其私钥`);

    // A row in the listed approver's name with no signature (written by a program without the key) does not count.
    await advance(path, 'HZ2026-001', [[JW, { type: 'tick', department: '教务处' }]]);
    const validate = run(['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('工作表「审批记录」 · 第 3 行 · 列「签名」 · 规则「签名」');
    expect(validate.stdout).toContain(`没有签名，而「${JW}」在「设置」中登记了公钥，该记录不计入`);
    const status = JSON.parse(run(['status', '--json']).stdout);
    expect(status.waitingOn['教务处']).toEqual(['HZ2026-001']);
    expect(status.byStatus['待审查']).toBe(1);
  });
});
