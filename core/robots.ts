/**
 * 企业微信 group robots and 钉钉 custom robots as the services document them: channel secrets, request payloads,
 * the 钉钉 timestamp/sign scheme, what each answer means (sent, retry later, or a configuration error), and the
 * 20-messages-a-minute window. Pure: each half supplies its own HTTP and HMAC.
 */
import { NOTIFY_TEXT } from './notify-text.js';

export type RobotType = 'wecom' | 'dingtalk';

export interface RobotChannel {
  type: RobotType;
  webhook: string;
  /** 钉钉 加签 secret (SEC…); requests are signed when it is present. */
  secret?: string;
  /** 钉钉: mobiles to @ in every message. */
  atMobiles?: string[];
}

/** Both services allow 20 messages a minute per robot. */
export const ROBOT_RATE = { messages: 20, windowMs: 60_000 } as const;
/** 企业微信 markdown content is limited to 4096 bytes; 钉钉's limit is larger, so one budget serves both. */
export const ROBOT_MARKDOWN_LIMIT = 4000;
/** Retries of a rate-limited or unreachable robot, and the first back-off; it doubles each time. */
export const ROBOT_RETRY = { attempts: 4, backoffMs: 2000 } as const;

const TYPE_NAMES: Record<string, RobotType> = { wecom: 'wecom', 企业微信: 'wecom', dingtalk: 'dingtalk', 钉钉: 'dingtalk' };

export function robotType(name: string): RobotType | undefined {
  return TYPE_NAMES[name.trim()];
}

/** Reads the channel map kept in the user's config, the environment or Script Properties; errors name the channel. */
export function parseRobotChannels(raw: unknown, where: string): { channels: Record<string, RobotChannel>; problems: string[] } {
  const channels: Record<string, RobotChannel> = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { channels, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { channels, problems: [NOTIFY_TEXT.errors.badSecrets(where, 'channels 应为对象')] };
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const v = (value ?? {}) as Record<string, unknown>;
    const type = typeof v.type === 'string' ? robotType(v.type) : undefined;
    if (!type) {
      problems.push(NOTIFY_TEXT.errors.badSecrets(where, `渠道「${name}」的 type 应为 wecom（企业微信）或 dingtalk（钉钉）`));
      continue;
    }
    if (typeof v.webhook !== 'string' || !/^https?:\/\//.test(v.webhook)) {
      problems.push(NOTIFY_TEXT.errors.badSecrets(where, `渠道「${name}」的 webhook 应为 http(s) 地址`));
      continue;
    }
    const atMobiles = Array.isArray(v.atMobiles) ? v.atMobiles.map(String).filter(Boolean) : [];
    channels[name] = {
      type,
      webhook: v.webhook,
      ...(typeof v.secret === 'string' && v.secret ? { secret: v.secret } : {}),
      ...(atMobiles.length ? { atMobiles } : {}),
    };
  }
  return { channels, problems };
}

/** The string 钉钉 signs: the timestamp in milliseconds, a newline, the secret. */
export function dingtalkStringToSign(timestampMs: number, secret: string): string {
  return `${timestampMs}\n${secret}`;
}

export interface RobotRequest {
  url: string;
  body: string;
}

/**
 * The POST for one markdown message. `hmacBase64(key, message)` is HMAC-SHA256 in base64 (node:crypto on the
 * CLI, Utilities in Apps Script); 钉钉 wants it URL-encoded in the query beside the timestamp.
 */
export function robotRequest(
  channel: RobotChannel,
  title: string,
  markdown: string,
  nowMs: number,
  hmacBase64: (key: string, message: string) => string,
): RobotRequest {
  if (channel.type === 'wecom') {
    return { url: channel.webhook, body: JSON.stringify({ msgtype: 'markdown', markdown: { content: markdown } }) };
  }
  const at = channel.atMobiles ?? [];
  // 钉钉 only notifies a mobile that the text itself mentions.
  const text = at.length ? `${markdown}\n\n${at.map((m) => `@${m}`).join(' ')}` : markdown;
  let url = channel.webhook;
  if (channel.secret) {
    const sign = encodeURIComponent(hmacBase64(channel.secret, dingtalkStringToSign(nowMs, channel.secret)));
    url += `${url.includes('?') ? '&' : '?'}timestamp=${nowMs}&sign=${sign}`;
  }
  return { url, body: JSON.stringify({ msgtype: 'markdown', markdown: { title, text }, at: { atMobiles: at, isAtAll: false } }) };
}

export type RobotOutcome = { ok: true } | { ok: false; retry: boolean; message: string };

/** 钉钉 130101 and 企业微信 45009 mean too fast: wait and retry. Bad keys and signatures never get better by retrying. */
export function robotOutcome(channelName: string, type: RobotType, httpStatus: number, body: string): RobotOutcome {
  const E = NOTIFY_TEXT.errors;
  if (httpStatus === 429 || httpStatus >= 500) return { ok: false, retry: true, message: E.http(channelName, httpStatus) };
  if (httpStatus !== 200) return { ok: false, retry: false, message: E.http(channelName, httpStatus) };
  let parsed: { errcode?: unknown; errmsg?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return { ok: false, retry: false, message: E.refused(channelName, '?', body.slice(0, 100)) };
  }
  const code = Number(parsed.errcode);
  const detail = String(parsed.errmsg ?? '');
  if (code === 0) return { ok: true };
  if ((type === 'dingtalk' && code === 130101) || (type === 'wecom' && (code === 45009 || code === -1))) {
    return { ok: false, retry: true, message: E.rateLimited(channelName) };
  }
  if (type === 'wecom' && (code === 93000 || code === 40001 || code === 40014))
    return { ok: false, retry: false, message: E.badKey(channelName, `${code} ${detail}`) };
  if (type === 'dingtalk' && code === 310000) return { ok: false, retry: false, message: E.badSign(channelName, detail) };
  if (type === 'dingtalk' && (code === 300001 || code === 400101 || code === 400102))
    return { ok: false, retry: false, message: E.badKey(channelName, `${code} ${detail}`) };
  return { ok: false, retry: false, message: E.refused(channelName, code, detail) };
}

/** The sliding one-minute window of a robot: how long to wait before the next message may go. */
export class RateWindow {
  private readonly sent: number[] = [];
  constructor(
    private readonly limit: number = ROBOT_RATE.messages,
    private readonly windowMs: number = ROBOT_RATE.windowMs,
  ) {}

  waitMs(nowMs: number): number {
    while (this.sent.length && this.sent[0]! <= nowMs - this.windowMs) this.sent.shift();
    return this.sent.length < this.limit ? 0 : this.sent[0]! + this.windowMs - nowMs;
  }

  record(nowMs: number): void {
    this.sent.push(nowMs);
  }
}

/** Back-off before retry `attempt` (1-based). */
export function backoffMs(attempt: number, baseMs: number = ROBOT_RETRY.backoffMs): number {
  return baseMs * 2 ** (attempt - 1);
}

/** Error text from an HTTP library may quote the webhook, whose query is the key: never let it reach a message. */
export function withoutUrls(detail: string): string {
  return detail.replace(/https?:\/\/\S+/g, '（地址已隐藏）');
}
