/**
 * `coop remind`'s operation: the core notifier's digests for today, sent (or, in a dry run, only listed) to each
 * recipient's channels once a day. Sent state lives beside the registry; a failing channel stops no other.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  NOTIFY_TEXT,
  deriveColumns,
  ROBOT_MARKDOWN_LIMIT,
  buildDigests,
  markSent,
  parseSentState,
  plannedDeliveries,
  readSettings,
  renderDigest,
  schoolDate,
  unsent,
  type ChainProblem,
  type Delivery,
  type RenderedDigest,
  type RowLinks,
} from '../../../core/index.js';
import { RobotClient } from '../notify/robot-client.js';
import type { ReminderSecrets } from '../notify/secrets.js';
import { smtpSender } from '../notify/smtp.js';
import { NOTIFY_CLI_TEXT as T } from '../notify/text.js';
import { spreadsheetIdOf } from '../stores/open.js';
import type { RegistryStore } from '../stores/store.js';

export interface RemindOptions {
  dryRun: boolean;
  /** Only these channels (robot names, or 邮件). */
  channels?: readonly string[];
  secrets: ReminderSecrets;
  now: Date;
  timeoutMs: number;
  backoffMs: number;
  /** Overrides the log's chain verdict (tests); by default the registry's own chain is checked. */
  chainProblems?: readonly ChainProblem[];
}

export type DeliveryStatus = 'sent' | 'wouldSend' | 'already' | 'failed';

export interface DeliveryResult {
  delivery: Delivery;
  status: DeliveryStatus;
  error?: string;
}

export interface RemindResult {
  today: string;
  digests: RenderedDigest[];
  deliveries: DeliveryResult[];
  /** Channels that could not even be tried (no webhook, no address, no SMTP). */
  skipped: string[];
  robotRequests: number;
}

/** Where a registry's sent state lives: beside the .xlsx, or in the working folder for the shared sheet. */
export function sentStatePath(location: string): string {
  const id = spreadsheetIdOf(location);
  if (id) return `.coop-reminders-${id}.json`;
  return join(dirname(location), `.${basename(location)}.reminders.json`);
}

export function registryLinks(location: string): RowLinks {
  const id = spreadsheetIdOf(location);
  return { registry: id ? `https://docs.google.com/spreadsheets/d/${id}/edit` : location, row: (row) => ({ label: NOTIFY_TEXT.rowLabel(row) }) };
}

async function readState(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch(() => null);
}

async function writeState(path: string, json: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(tmp, json, { mode: 0o600 });
  await rename(tmp, path);
}

export async function remind(store: RegistryStore, options: RemindOptions): Promise<RemindResult> {
  const data = await store.read();
  const { settings } = readSettings(data);
  const today = schoolDate(options.now);
  // Statuses as 审批记录 vouches for them (an expiring agreement is one the log says is in force).
  deriveColumns(data, today);
  const digests = buildDigests({ data, settings, today, ...(options.chainProblems ? { chainProblems: options.chainProblems } : {}) });
  const links = registryLinks(store.location);
  const rendered = new Map(digests.map((d) => [d.recipient, renderDigest(d, today, links, ROBOT_MARKDOWN_LIMIT)]));
  const { deliveries, skipped } = plannedDeliveries(digests, settings, options.channels);
  const statePath = sentStatePath(store.location);
  const state = parseSentState(await readState(statePath));
  const todo = new Set(unsent(deliveries, state, today));
  const results: DeliveryResult[] = [];
  const robots = new RobotClient({ timeoutMs: options.timeoutMs, backoffMs: options.backoffMs });
  const smtp = options.secrets.smtp;
  const mailer = !options.dryRun && smtp && deliveries.some((d) => d.target.type === 'email' && todo.has(d)) ? smtpSender(smtp, options.timeoutMs) : null;
  const problems = [...skipped];
  // A --channel naming nothing planned is most likely a typo: say so rather than send nothing in silence.
  for (const name of options.channels ?? []) {
    if (!deliveries.some((d) => (d.target.type === 'robot' ? d.target.name === name : name === NOTIFY_TEXT.emailToken))) problems.push(T.channelUnused(name));
  }
  try {
    for (const delivery of deliveries) {
      if (!todo.has(delivery)) {
        results.push({ delivery, status: 'already' });
        continue;
      }
      const r = rendered.get(delivery.recipient)!;
      const { target } = delivery;
      let error: string | null = null;
      if (target.type === 'robot') {
        const channel = options.secrets.channels[target.name];
        if (!channel) error = NOTIFY_TEXT.errors.unknownChannel(target.name, delivery.recipient);
        else if (!options.dryRun) error = await robots.send(target.name, channel, r.subject, r.markdown);
      } else if (!smtp) error = T.noSmtp(delivery.recipient);
      else if (mailer) error = await mailer.send(target.to, r.subject, r.text);
      results.push(error ? { delivery, status: 'failed', error } : { delivery, status: options.dryRun ? 'wouldSend' : 'sent' });
    }
  } finally {
    mailer?.close();
  }
  if (!options.dryRun) {
    const sent = results.filter((r) => r.status === 'sent').map((r) => r.delivery.key);
    if (sent.length || state.date !== today) await writeState(statePath, JSON.stringify(markSent(state, today, sent), null, 1));
  }
  return { today, digests: [...rendered.values()], deliveries: results, skipped: problems, robotRequests: robots.requests };
}
