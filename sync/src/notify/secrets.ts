/**
 * Reminder secrets on the local side: robot webhooks and the SMTP password, from the user's own config file
 * (readable by its owner only) or the environment — never from the registry, never printed.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CoopError, parseRobotChannels, type RobotChannel } from '../../../core/index.js';
import { NOTIFY_CLI_TEXT as T } from './text.js';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

export interface ReminderSecrets {
  channels: Record<string, RobotChannel>;
  smtp: SmtpSettings | null;
  /** Where they came from, for messages (a path or an environment variable name). */
  source: string;
}

/** The user's secrets file: COOP_SECRETS_FILE, else %APPDATA%\coop\secrets.json or ~/.config/coop/secrets.json. */
export function secretsPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.COOP_SECRETS_FILE) return env.COOP_SECRETS_FILE;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'coop', 'secrets.json');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'coop', 'secrets.json');
}

function parseSmtp(raw: unknown, where: string): SmtpSettings | null {
  if (raw === undefined || raw === null) return null;
  const v = raw as Record<string, unknown>;
  if (typeof v.host !== 'string' || !v.host || typeof v.from !== 'string' || !v.from) throw new CoopError('USAGE', T.badSmtp(where));
  const port = Number(v.port ?? (v.secure ? 465 : 587));
  return {
    host: v.host,
    port,
    secure: typeof v.secure === 'boolean' ? v.secure : port === 465,
    from: v.from,
    ...(typeof v.user === 'string' && v.user ? { user: v.user } : {}),
    ...(typeof v.password === 'string' && v.password ? { password: v.password } : {}),
  };
}

/**
 * Reads COOP_SECRETS (JSON, for schedulers that inject secrets) or the secrets file. A file others may read is
 * refused: a webhook key lets anyone post into the school's groups.
 */
export function loadSecrets(env: NodeJS.ProcessEnv = process.env): ReminderSecrets {
  let text: string | null = null;
  let source: string;
  if (env.COOP_SECRETS) {
    text = env.COOP_SECRETS;
    source = 'COOP_SECRETS';
  } else {
    source = secretsPath(env);
    try {
      const mode = statSync(source).mode & 0o777;
      if (process.platform !== 'win32' && mode & 0o077) throw new CoopError('USAGE', T.secretsTooOpen(source, mode.toString(8).padStart(4, '0')));
      text = readFileSync(source, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  let raw: Record<string, unknown> = {};
  if (text !== null) {
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new CoopError('USAGE', T.secretsNotJson(source, (error as Error).message));
    }
  }
  const { channels, problems } = parseRobotChannels(raw.channels, source);
  if (problems.length) throw new CoopError('USAGE', problems[0]!, problems.slice(1));
  let smtp = parseSmtp(raw.smtp, source);
  if (smtp && env.COOP_SMTP_PASSWORD) smtp = { ...smtp, password: env.COOP_SMTP_PASSWORD };
  return { channels, smtp, source };
}
