/** The OAuth desktop login's token cache: a JSON file created mode 0600 and refused when others can read it. */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CoopError } from '../../../core/index.js';
import { GOOGLE_TEXT as T } from './text.js';

export interface CachedLogin {
  clientId: string;
  clientSecret?: string;
  refreshToken: string;
  accessToken?: string;
  expiryDate?: number;
}

/** COOP_GOOGLE_TOKEN_CACHE, else the user's config folder (never the project folder, so it cannot be committed). */
export function tokenCachePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.COOP_GOOGLE_TOKEN_CACHE) return env.COOP_GOOGLE_TOKEN_CACHE;
  const base = process.platform === 'win32' ? (env.APPDATA ?? join(homedir(), 'AppData', 'Roaming')) : (env.XDG_CONFIG_HOME ?? join(homedir(), '.config'));
  return join(base, 'coop-registry', 'google-token.json');
}

/** Windows has no POSIX modes; there the file lives in the user's own profile folder instead. */
function checksModes(): boolean {
  return process.platform !== 'win32';
}

export async function readTokenCache(path: string): Promise<CachedLogin> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch {
    throw new CoopError('GOOGLE', T.tokenCacheMissing(path));
  }
  if (checksModes() && (mode & 0o077) !== 0) throw new CoopError('GOOGLE', T.tokenCacheOpen(path, `0${(mode & 0o777).toString(8)}`));
  let parsed: Partial<CachedLogin>;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<CachedLogin>;
  } catch {
    throw new CoopError('GOOGLE', T.tokenCacheInvalid(path));
  }
  if (typeof parsed.clientId !== 'string' || typeof parsed.refreshToken !== 'string') throw new CoopError('GOOGLE', T.tokenCacheInvalid(path));
  return parsed as CachedLogin;
}

/** Writes the cache atomically; the temporary file is created 0600, so the token is never readable by others. */
export async function writeTokenCache(path: string, login: CachedLogin): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify(login, null, 2));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (checksModes()) await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
