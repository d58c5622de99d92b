/**
 * Reminder robots from the sheet: webhook secrets kept in Script Properties (set through a menu dialog, never in a
 * cell, never shown back), and posting to 企业微信 / 钉钉 with UrlFetchApp inside the services' and Apps Script's limits.
 */
import {
  ROBOT_RETRY,
  RateWindow,
  backoffMs,
  parseRobotChannels,
  robotOutcome,
  robotRequest,
  robotType,
  withoutUrls,
  type RobotChannel,
} from '../../core/index.js';
import { CHANNEL_TEXT as T } from './text.js';

export const CHANNELS_KEY = 'coop.channels';
/** A daily run gives up retrying after this long, well inside the 6-minute limit of a run. */
const RETRY_BUDGET_MS = 4 * 60_000;

function storedChannels(): Record<string, unknown> {
  try {
    return JSON.parse(PropertiesService.getScriptProperties().getProperty(CHANNELS_KEY) ?? '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function robotChannels(): { channels: Record<string, RobotChannel>; problems: string[] } {
  return parseRobotChannels(storedChannels(), T.where);
}

const hmacBase64 = (key: string, message: string) => Utilities.base64Encode(Utilities.computeHmacSha256Signature(message, key, Utilities.Charset.UTF_8));

/** Posts one digest (one or more markdown messages) to a robot; returns an error in Chinese, or null when delivered. */
export function postToRobot(
  name: string,
  channel: RobotChannel,
  title: string,
  chunks: readonly string[],
  windows: Map<string, RateWindow>,
  startedMs: number,
): string | null {
  const window = windows.get(channel.webhook) ?? new RateWindow();
  windows.set(channel.webhook, window);
  for (const markdown of chunks) {
    let error: string | null = null;
    for (let attempt = 1; attempt <= ROBOT_RETRY.attempts; attempt++) {
      const wait = window.waitMs(Date.now());
      if (wait > 0) Utilities.sleep(wait);
      const request = robotRequest(channel, title, markdown, Date.now(), hmacBase64);
      window.record(Date.now());
      let outcome: ReturnType<typeof robotOutcome>;
      try {
        const response = UrlFetchApp.fetch(request.url, {
          method: 'post',
          contentType: 'application/json; charset=utf-8',
          payload: request.body,
          muteHttpExceptions: true,
        });
        outcome = robotOutcome(name, channel.type, response.getResponseCode(), response.getContentText());
      } catch (e) {
        outcome = { ok: false as const, retry: true, message: T.network(name, withoutUrls(String((e as Error)?.message ?? e))) };
      }
      if (outcome.ok) {
        error = null;
        break;
      }
      error = outcome.message;
      if (!outcome.retry || attempt === ROBOT_RETRY.attempts) break;
      const pause = backoffMs(attempt);
      if (Date.now() + pause - startedMs > RETRY_BUDGET_MS) break;
      Utilities.sleep(pause);
    }
    if (error) return error;
  }
  return null;
}

/** 提醒渠道密钥 dialog: add, replace or remove one robot; lists channel names only, never a webhook or secret. */
export function configureChannel(ui: GoogleAppsScript.Base.Ui): string {
  const ask = (message: string): string | null => {
    const r = ui.prompt(T.title, message, ui.ButtonSet.OK_CANCEL);
    return r.getSelectedButton() === ui.Button.OK ? r.getResponseText().trim() : null;
  };
  const props = PropertiesService.getScriptProperties();
  const stored = storedChannels();
  const name = ask(T.askName(Object.keys(stored)));
  if (!name) return T.cancelled;
  const kind = ask(T.askType(name));
  if (kind === null) return T.cancelled;
  if (kind === T.remove) {
    delete stored[name];
    props.setProperty(CHANNELS_KEY, JSON.stringify(stored));
    return T.removed(name, Object.keys(stored));
  }
  const type = robotType(kind);
  if (!type) return T.badType(kind);
  const webhook = ask(T.askWebhook(kind));
  if (!webhook) return T.cancelled;
  let secret = '';
  let atMobiles: string[] = [];
  if (type === 'dingtalk') {
    secret = ask(T.askSecret) ?? '';
    atMobiles = (ask(T.askMobiles) ?? '').split(/[,，、\s]+/).filter(Boolean);
  }
  const entry = { type, webhook, ...(secret ? { secret } : {}), ...(atMobiles.length ? { atMobiles } : {}) };
  const { problems } = parseRobotChannels({ [name]: entry }, T.where);
  if (problems.length) return problems.join('\n');
  stored[name] = entry;
  props.setProperty(CHANNELS_KEY, JSON.stringify(stored));
  return T.saved(name, Object.keys(stored));
}
