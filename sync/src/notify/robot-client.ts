/** Posts digests to 企业微信 / 钉钉 robots from the CLI: node's fetch with a timeout, the core's sign and answer rules, back-off. */
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  NOTIFY_TEXT,
  ROBOT_RETRY,
  RateWindow,
  backoffMs,
  robotOutcome,
  robotRequest,
  withoutUrls,
  type RobotChannel,
  type RobotOutcome,
} from '../../../core/index.js';

export interface RobotClientOptions {
  /** Per request; an unanswered robot counts as unreachable and is retried. */
  timeoutMs: number;
  /** First back-off; doubles each retry. */
  backoffMs: number;
  sleep?: (ms: number) => Promise<unknown>;
}

export const hmacBase64 = (key: string, message: string): string => createHmac('sha256', key).update(message, 'utf8').digest('base64');

/** One client per run: it keeps each robot's one-minute window across the digests sent to it. */
export class RobotClient {
  private readonly windows = new Map<string, RateWindow>();
  private readonly pause: (ms: number) => Promise<unknown>;
  /** Requests made, for the benchmark and tests. */
  requests = 0;

  constructor(private readonly options: RobotClientOptions) {
    this.pause = options.sleep ?? ((ms) => sleep(ms));
  }

  private async once(name: string, channel: RobotChannel, title: string, markdown: string): Promise<RobotOutcome> {
    const request = robotRequest(channel, title, markdown, Date.now(), hmacBase64);
    this.requests++;
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: request.body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      return robotOutcome(name, channel.type, response.status, await response.text());
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      const detail = e.name === 'TimeoutError' ? `${this.options.timeoutMs} 毫秒无应答` : withoutUrls(e.cause?.code ?? e.message);
      return { ok: false, retry: true, message: NOTIFY_TEXT.errors.network(name, detail) };
    }
  }

  /** Sends every chunk of a digest; returns null when all went, else the error in Chinese. */
  async send(name: string, channel: RobotChannel, title: string, chunks: readonly string[]): Promise<string | null> {
    const window = this.windows.get(channel.webhook) ?? new RateWindow();
    this.windows.set(channel.webhook, window);
    for (const markdown of chunks) {
      let outcome: RobotOutcome = { ok: false, retry: false, message: '' };
      for (let attempt = 1; attempt <= ROBOT_RETRY.attempts; attempt++) {
        const wait = window.waitMs(Date.now());
        if (wait > 0) await this.pause(wait);
        window.record(Date.now());
        outcome = await this.once(name, channel, title, markdown);
        if (outcome.ok || !outcome.retry || attempt === ROBOT_RETRY.attempts) break;
        await this.pause(backoffMs(attempt, this.options.backoffMs));
      }
      if (!outcome.ok) return outcome.message;
    }
    return null;
  }
}
