// A registry for reminder tests: one agreement expiring, one project whose reviews have waited 23 days (three
// departments ticked), one waiting for 校长办公会; channels in 设置 and robot secrets in a 0600 file.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPROVED, REVIEWED, SAMPLE_APPROVERS, SAMPLE_OFFICE, APPLICANT, advance, registryWith, sample } from '../workflow/fixture.js';
import type { Receiver } from '../helpers/webhook-receiver.js';

export const DING_SECRET = 'SECtest0123456789abcdef';
export const MOBILE = '13800000001';
export { SAMPLE_APPROVERS, SAMPLE_OFFICE };

export async function reminderRegistry() {
  const reg = await registryWith([{ ...sample('星湖班'), startDate: '2024-01-01', endDate: '2026-12-31' }, sample('星湖班'), sample('星湖班')], (settings) => {
    settings.channels = {
      合作交流处: ['邮件', '办公室钉钉'],
      计财处: ['计财企业微信'],
      数控技术应用专业教学团队: ['数控组企业微信'],
    };
  });
  await advance(reg.path, 'HZ2026-001', [...APPROVED, [SAMPLE_OFFICE, { type: 'sign', date: '2024-01-01' }]], new Date('2023-12-20T02:00:00Z'));
  // Submitted on 11-01; 教务处, 组织部 and 国资处 reviewed; the rest keep it waiting.
  await advance(
    reg.path,
    'HZ2026-002',
    [
      [APPLICANT, { type: 'submit' }],
      [SAMPLE_APPROVERS['教务处'], { type: 'tick', department: '教务处' }],
      [SAMPLE_APPROVERS['组织部（人事处）'], { type: 'tick', department: '组织部（人事处）' }],
      [SAMPLE_APPROVERS['国资处'], { type: 'tick', department: '国资处' }],
    ],
    new Date('2026-11-01T02:00:00Z'),
  );
  await advance(reg.path, 'HZ2026-003', REVIEWED, new Date('2026-11-20T02:00:00Z'));
  return reg;
}

/** Writes the robot secrets as the office would keep them: in the user's own file, mode 0600. */
export function writeSecrets(dir: string, receiver: Receiver, extra: Record<string, unknown> = {}): string {
  const path = join(dir, 'secrets.json');
  writeFileSync(
    path,
    JSON.stringify({
      channels: {
        办公室钉钉: { type: 'dingtalk', webhook: receiver.dingtalk('ding-office'), secret: DING_SECRET, atMobiles: [MOBILE] },
        计财企业微信: { type: 'wecom', webhook: receiver.wecom('wecom-finance') },
        数控组企业微信: { type: 'wecom', webhook: receiver.wecom('wecom-cnc') },
      },
      ...extra,
    }),
  );
  chmodSync(path, 0o600);
  return path;
}

export const ROBOTS = {
  'ding-office': { type: 'dingtalk', secret: DING_SECRET },
  'wecom-finance': { type: 'wecom' },
  'wecom-cnc': { type: 'wecom' },
} as const;
