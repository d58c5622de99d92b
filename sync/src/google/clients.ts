/**
 * Builds the Google API clients (Drive, Docs, Sheets) the CLI uses: credentials, HTTPS_PROXY,
 * COOP_GOOGLE_API_ROOT and retries all decided here. Only Google commands import this module.
 */
import { readFile } from 'node:fs/promises';
import { docs_v1 } from '@googleapis/docs';
import { drive_v3 } from '@googleapis/drive';
import { sheets_v4 } from '@googleapis/sheets';
import { Gaxios, type GaxiosOptionsPrepared } from 'gaxios';
import { JWT, OAuth2Client } from 'google-auth-library';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { CoopError } from '../../../core/index.js';
import { defaultRetryPolicy, withRetry, type CallOptions, type RetryPolicy } from './retry.js';
import { readTokenCache, tokenCachePath, writeTokenCache } from './token-cache.js';
import { GOOGLE_TEXT as T } from './text.js';

export const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/drive',
  'https://www.googleapis.com/auth/documents',
  'https://www.googleapis.com/auth/spreadsheets',
];

export interface GoogleClients {
  drive: drive_v3.Drive;
  docs: docs_v1.Docs;
  sheets: sheets_v4.Sheets;
  retry: RetryPolicy;
  /** Runs one API call under the retry policy; `what` names it in Chinese errors. */
  call<T>(what: string, options: CallOptions, fn: () => Promise<T>): Promise<T>;
}

export interface ClientOptions {
  env?: NodeJS.ProcessEnv;
  retry?: Partial<RetryPolicy>;
}

/** COOP_GOOGLE_API_ROOT as a URL, or undefined when Google's own hosts are used. */
export function apiRoot(env: NodeJS.ProcessEnv): URL | undefined {
  const value = env.COOP_GOOGLE_API_ROOT?.trim();
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    return url;
  } catch {
    throw new CoopError('USAGE', T.badApiRoot(value));
  }
}

const GOOGLE_HOST = /(^|\.)googleapis\.com$/i;

/** Moves a request for any *.googleapis.com host (Sheets, Drive, uploads, Docs, OAuth token) under `root`. */
export function rewriteGoogleUrl(url: URL, root: URL | undefined): URL {
  if (!root || !GOOGLE_HOST.test(url.hostname)) return url;
  return new URL(`${root.pathname.replace(/\/+$/, '')}${url.pathname}${url.search}`, root.origin);
}

function proxyUrl(env: NodeJS.ProcessEnv): string | undefined {
  const value = (env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy)?.trim();
  if (!value) return undefined;
  try {
    new URL(value);
  } catch {
    throw new CoopError('USAGE', T.badProxy(value));
  }
  return value;
}

function bypassesProxy(host: string, env: NodeJS.ProcessEnv): boolean {
  const list = (env.NO_PROXY ?? env.no_proxy ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const h = host.toLowerCase();
  return list.some((entry) => entry === '*' || h === entry.replace(/^\./, '') || h.endsWith(entry.startsWith('.') ? entry : `.${entry}`));
}

/**
 * One HTTP transport for every request, token requests included: URLs are rewritten under
 * COOP_GOOGLE_API_ROOT, then routed through HTTPS_PROXY (unless NO_PROXY says otherwise).
 * The agent is chosen after the rewrite, so the decision concerns the host really contacted.
 */
export function createTransport(env: NodeJS.ProcessEnv): Gaxios {
  const root = apiRoot(env);
  const proxy = proxyUrl(env);
  const agent = proxy ? new HttpsProxyAgent(proxy) : undefined;
  const transport = new Gaxios({ retry: false });
  transport.interceptors.request.add({
    resolved: async (config: GaxiosOptionsPrepared) => {
      const url = rewriteGoogleUrl(new URL(String(config.url)), root);
      config.url = url;
      if (agent && !bypassesProxy(url.hostname, env)) config.agent = agent;
      else delete config.agent;
      return config;
    },
  });
  return transport;
}

interface ServiceAccountKey {
  type?: string;
  client_email?: string;
  private_key?: string;
}

async function serviceAccountClient(path: string, transporter: Gaxios): Promise<OAuth2Client> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CoopError('GOOGLE', T.keyFileUnreadable(path, (error as NodeJS.ErrnoException).code ?? 'unknown'));
  }
  let key: ServiceAccountKey;
  try {
    key = JSON.parse(text) as ServiceAccountKey;
  } catch {
    throw new CoopError('GOOGLE', T.keyFileInvalid(path));
  }
  if (key.type !== 'service_account' || !key.client_email || !key.private_key) throw new CoopError('GOOGLE', T.keyFileInvalid(path));
  return new JWT({ email: key.client_email, key: key.private_key, scopes: GOOGLE_SCOPES, transporter });
}

async function desktopLoginClient(env: NodeJS.ProcessEnv, transporter: Gaxios): Promise<OAuth2Client> {
  const path = tokenCachePath(env);
  const login = await readTokenCache(path);
  const client = new OAuth2Client({ clientId: login.clientId, clientSecret: login.clientSecret, transporter });
  client.setCredentials({
    refresh_token: login.refreshToken,
    ...(login.accessToken ? { access_token: login.accessToken } : {}),
    ...(login.expiryDate ? { expiry_date: login.expiryDate } : {}),
  });
  // A refreshed access token is kept, so the next run does not need a token request.
  client.on('tokens', (tokens) => {
    void writeTokenCache(path, {
      ...login,
      ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      ...(tokens.access_token ? { accessToken: tokens.access_token } : {}),
      ...(tokens.expiry_date ? { expiryDate: tokens.expiry_date } : {}),
    }).catch(() => {});
  });
  return client;
}

/** The credentials in force: a service-account key file when GOOGLE_APPLICATION_CREDENTIALS is set, else the desktop login. */
export async function authClientFor(env: NodeJS.ProcessEnv, transporter: Gaxios): Promise<OAuth2Client> {
  const keyFile = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
  if (keyFile) return serviceAccountClient(keyFile, transporter);
  const cache = tokenCachePath(env);
  try {
    return await desktopLoginClient(env, transporter);
  } catch (error) {
    if (error instanceof CoopError && error.message === T.tokenCacheMissing(cache)) throw new CoopError('GOOGLE', T.noCredentials);
    throw error;
  }
}

export async function createGoogleClients(options: ClientOptions = {}): Promise<GoogleClients> {
  const env = options.env ?? process.env;
  const transport = createTransport(env);
  const auth = await authClientFor(env, transport);
  // retry: false — the libraries' own retries would resend non-idempotent calls; ours decide per call.
  const common = { auth, retry: false } as const;
  const retry = { ...defaultRetryPolicy(), ...options.retry };
  return {
    drive: new drive_v3.Drive(common),
    docs: new docs_v1.Docs(common),
    sheets: new sheets_v4.Sheets(common),
    retry,
    call: (what, callOptions, fn) => withRetry(what, callOptions, retry, fn),
  };
}
