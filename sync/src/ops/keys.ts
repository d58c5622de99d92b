/**
 * Personal Ed25519 keys: `coop key new` makes a pair whose private half stays in the user's config folder
 * (mode 0600); workflow commands sign the log rows of whoever holds a key, and rows of anyone else are 代录.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../io/input-error.js';
import { CoopError, ON_BEHALF, SIGNED_ACTIONS, signatureCell, signedLogText, type EntrySigner, type ReviewLogRow } from '../../../core/index.js';
import { tokenCachePath } from '../google/token-cache.js';
import { ED25519_SPKI_PREFIX } from './log-crypto.js';
import { KEY_TEXT as T } from './keys-text.js';

/** COOP_KEY_DIR, else `keys/` in the same per-user config folder as the Google token cache. */
export function keyDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.COOP_KEY_DIR) return env.COOP_KEY_DIR;
  return join(dirname(tokenCachePath({ ...env, COOP_GOOGLE_TOKEN_CACHE: undefined })), 'keys');
}

export function keyPath(email: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(keyDir(env), `${email.toLowerCase()}.pem`);
}

function rawPublicKey(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(ED25519_SPKI_PREFIX.length).toString('base64');
}

export interface NewKey {
  path: string;
  /** The value to list in 设置 (group 公钥, item = e-mail). */
  listed: string;
  /** Where the previous key went when rotating. */
  retired?: string;
}

/** Creates a key pair for `email`; an existing key is kept aside (rotation) only when asked. */
export async function createKey(email: string, rotate: boolean, now: Date, env: NodeJS.ProcessEnv = process.env): Promise<NewKey> {
  const path = keyPath(email, env);
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (exists && !rotate) throw new InputError('USAGE', 'rotate', T.exists(path));
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  let retired: string | undefined;
  if (exists) {
    retired = path.replace(/\.pem$/, `.${now.toISOString().slice(0, 10)}.pem`);
    await rename(path, retired);
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await writeFile(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  if (process.platform !== 'win32') await chmod(path, 0o600);
  return { path, listed: `ed25519:${rawPublicKey(publicKey)}`, ...(retired ? { retired } : {}) };
}

/**
 * The signer for rows `email` records: signs with their key if they hold one (refused when others can read
 * it), otherwise marks their own decisions 代录 so the archive shows they were recorded on their behalf.
 */
export async function signerFor(email: string, env: NodeJS.ProcessEnv = process.env): Promise<EntrySigner & { keyed?: boolean }> {
  const path = keyPath(email, env);
  let pem: string;
  try {
    if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) throw new CoopError('USAGE', T.open(path));
    pem = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CoopError) throw error;
    return (entry) => (SIGNED_ACTIONS.includes(String(entry.action)) ? ON_BEHALF : null);
  }
  const key = createPrivateKey(pem);
  const publicKey = rawPublicKey(createPublicKey(key));
  const signer = (entry: ReviewLogRow) =>
    signatureCell(publicKey, sign(null, Buffer.from(signedLogText({ ...entry, signature: null }), 'utf8'), key).toString('base64'));
  return Object.assign(signer, { keyed: true });
}
