/**
 * The OAuth desktop login (installed-app flow with PKCE): a one-shot loopback page receives Google's
 * answer, and the refresh token goes to the owner-only token cache. Returns the cache path; prints nothing.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodeChallengeMethod, type Credentials, OAuth2Client } from 'google-auth-library';
import { CoopError } from '../../../core/index.js';
import { createTransport, GOOGLE_SCOPES } from './clients.js';
import { googleError } from './retry.js';
import { tokenCachePath, writeTokenCache } from './token-cache.js';
import { GOOGLE_TEXT as T } from './text.js';

interface InstalledClient {
  client_id: string;
  client_secret?: string;
}

export async function readClientFile(path: string): Promise<InstalledClient> {
  let parsed: { installed?: Partial<InstalledClient> };
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as typeof parsed;
  } catch {
    throw new CoopError('USAGE', T.clientFileInvalid(path));
  }
  const installed = parsed.installed;
  if (!installed?.client_id) throw new CoopError('USAGE', T.clientFileInvalid(path));
  return { client_id: installed.client_id, ...(installed.client_secret ? { client_secret: installed.client_secret } : {}) };
}

const PAGE = (text: string) => `<!doctype html><meta charset="utf-8"><title>coop</title><p style="font-size:1.4em">${text}</p>`;

export async function desktopLogin(options: {
  clientFile: string;
  env?: NodeJS.ProcessEnv;
  /** Receives the consent-page URL for the person to open. */
  onUrl: (url: string) => void;
  timeoutMs?: number;
}): Promise<string> {
  const env = options.env ?? process.env;
  const installed = await readClientFile(options.clientFile);
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const client = new OAuth2Client({
      clientId: installed.client_id,
      clientSecret: installed.client_secret,
      redirectUri,
      transporter: createTransport(env),
    });
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const state = randomBytes(16).toString('hex');
    options.onUrl(
      client.generateAuthUrl({
        access_type: 'offline',
        prompt: 'consent',
        scope: GOOGLE_SCOPES,
        state,
        code_challenge_method: CodeChallengeMethod.S256,
        code_challenge: codeChallenge!,
      }),
    );
    const code = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CoopError('GOOGLE', T.loginDenied('等待超时'))), options.timeoutMs ?? 5 * 60_000);
      server.on('request', (req, res) => {
        const url = new URL(req.url ?? '/', redirectUri);
        // Anything without our state (a browser's favicon request, a stray page) is ignored.
        if (url.searchParams.get('state') !== state) return void res.writeHead(404).end();
        const error = url.searchParams.get('error');
        const got = url.searchParams.get('code');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(PAGE(got && !error ? '登录成功，可以关闭此页面，回到命令行。' : `登录未完成：${error ?? '缺少授权码'}`));
        clearTimeout(timer);
        if (got && !error) resolve(got);
        else reject(new CoopError('GOOGLE', T.loginDenied(error ?? '缺少授权码')));
      });
    });
    let tokens: Credentials;
    try {
      ({ tokens } = await client.getToken({ code, codeVerifier, redirect_uri: redirectUri }));
    } catch (error) {
      throw googleError('换取登录令牌', error);
    }
    if (!tokens.refresh_token) throw new CoopError('GOOGLE', T.loginDenied('Google 没有返回刷新令牌，请在 Google 账号的「第三方应用」中移除本应用后重试'));
    const path = tokenCachePath(env);
    await writeTokenCache(path, {
      clientId: installed.client_id,
      ...(installed.client_secret ? { clientSecret: installed.client_secret } : {}),
      refreshToken: tokens.refresh_token,
      ...(tokens.access_token ? { accessToken: tokens.access_token } : {}),
      ...(tokens.expiry_date ? { expiryDate: tokens.expiry_date } : {}),
    });
    return path;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
