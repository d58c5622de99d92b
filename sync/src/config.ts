/** Per-office defaults from ./coop.config.json (registry location, who is acting), overridden by flags and env. */
import { readFileSync } from 'node:fs';
import { CoopError } from '../../core/errors.js';

export interface CoopConfig {
  /** Registry location: a .xlsx path, or `gsheet:SPREADSHEET_ID`. */
  registry?: string;
  /** E-mail of the person running coop, recorded as the actor in 审批记录. */
  user?: string;
  /** Google Drive folders: where `coop templates upload` puts template Docs, and where agreements go. */
  google?: { templatesFolder?: string; agreementsFolder?: string };
}

export const CONFIG_FILE = 'coop.config.json';
export const DEFAULT_REGISTRY = 'registry.xlsx';

export function loadConfig(cwd = process.cwd()): CoopConfig {
  let text: string;
  try {
    text = readFileSync(`${cwd}/${CONFIG_FILE}`, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = JSON.parse(text) as CoopConfig;
    const google = parsed.google && typeof parsed.google === 'object' ? parsed.google : undefined;
    const folders = {
      ...(typeof google?.templatesFolder === 'string' ? { templatesFolder: google.templatesFolder } : {}),
      ...(typeof google?.agreementsFolder === 'string' ? { agreementsFolder: google.agreementsFolder } : {}),
    };
    return {
      ...(typeof parsed.registry === 'string' ? { registry: parsed.registry } : {}),
      ...(typeof parsed.user === 'string' ? { user: parsed.user } : {}),
      ...(Object.keys(folders).length ? { google: folders } : {}),
    };
  } catch (error) {
    throw new CoopError('USAGE', `配置文件 ${CONFIG_FILE} 不是有效的 JSON：${(error as Error).message}`);
  }
}

export function registryLocation(flag: unknown, config: CoopConfig): string {
  return typeof flag === 'string' && flag ? flag : (process.env.COOP_REGISTRY ?? config.registry ?? DEFAULT_REGISTRY);
}

/** Who is acting: --by, else COOP_USER, else coop.config.json's user. */
export function actingUser(flag: unknown, config: CoopConfig): string | undefined {
  const user = typeof flag === 'string' && flag ? flag : process.env.COOP_USER || config.user;
  return user?.trim().toLowerCase() || undefined;
}
