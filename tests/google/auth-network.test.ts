import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGoogleClients, rewriteGoogleUrl, apiRoot } from '../../sync/src/google/clients.js';
import { readTokenCache, writeTokenCache } from '../../sync/src/google/token-cache.js';
import { COOP, coop, coopAsync } from '../helpers/cli.js';
import { makeDocx, startHarness, type Harness } from './harness.js';

const posix = process.platform !== 'win32';

describe('token cache', () => {
  let h: Harness;
  beforeEach(async () => (h = await startHarness()));
  afterEach(() => h.emulator.stop());

  it.skipIf(!posix)('is created mode 0600 even under a permissive umask, and refused once others can read it', async () => {
    const path = join(h.dir, 'sub', 'token.json');
    const old = process.umask(0);
    try {
      await writeTokenCache(path, { clientId: 'c', refreshToken: 'r-secret' });
    } finally {
      process.umask(old);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await expect(readTokenCache(path)).resolves.toMatchObject({ refreshToken: 'r-secret' });
    chmodSync(path, 0o644);
    await expect(readTokenCache(path)).rejects.toMatchObject({ code: 'GOOGLE', message: expect.stringContaining('chmod 600') });
    chmodSync(path, 0o600);
    writeFileSync(path, '{not json');
    await expect(readTokenCache(path)).rejects.toMatchObject({ message: expect.stringContaining('已损坏') });
  });

  it.skipIf(!posix)('coop google login: consent → loopback redirect → 0600 cache; later commands use it; a readable cache is refused', async () => {
    const clientFile = join(h.dir, 'client_secret.json');
    writeFileSync(
      clientFile,
      JSON.stringify({ installed: { client_id: 'desktop-client.apps.googleusercontent.com', client_secret: 'GOCSPX-desktop-secret' } }),
    );
    const cache = join(h.dir, 'cache', 'google-token.json');
    const env = { COOP_GOOGLE_API_ROOT: h.emulator.url, COOP_GOOGLE_TOKEN_CACHE: cache, GOOGLE_APPLICATION_CREDENTIALS: '' };
    const child = spawn(process.execPath, [COOP, 'google', 'login', '--client', clientFile], {
      env: { ...process.env, ...env, NODE_OPTIONS: `--import=${pathToFileURL(resolve('tests/no-network.mjs')).href}` },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const consent = await new Promise<URL>((done) =>
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        stdout += c;
        const m = /https:\/\/accounts\.google\.com\/\S+/.exec(stdout);
        if (m) done(new URL(m[0]));
      }),
    );
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    expect(consent.searchParams.get('access_type')).toBe('offline');
    const redirect = new URL(consent.searchParams.get('redirect_uri')!);
    expect(redirect.hostname).toBe('127.0.0.1');
    h.emulator.addAuthorizationCode('consent-code-1');
    const stray = await fetch(`${redirect.href}?code=forged&state=wrong`);
    expect(stray.status).toBe(404);
    const page = await fetch(`${redirect.href}?code=consent-code-1&state=${consent.searchParams.get('state')}`);
    expect(await page.text()).toContain('登录成功');
    const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? -1)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(cache, 'utf8')) as { refreshToken: string };
    expect(saved.refreshToken).toMatch(/^refresh-/);
    expect(stdout).not.toContain(saved.refreshToken);
    expect(stdout).not.toContain('GOCSPX-desktop-secret');

    const registry = join(h.dir, 'registry.xlsx');
    expect(coop(['init', '--registry', registry]).code).toBe(0);
    mkdirSync(join(h.dir, 'templates'));
    writeFileSync(join(h.dir, 'templates', '通用.docx'), await makeDocx(['{{学校名称}}']));
    const folder = h.emulator.addFolder('模板');
    const args = ['templates', 'upload', '--dir', join(h.dir, 'templates'), '--folder', folder, '--registry', registry];
    const used = await coopAsync(args, { env });
    expect(used.stderr).toBe('');
    expect(used.code).toBe(0);
    expect(h.emulator.liveFiles(folder)).toHaveLength(1);
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    expect(used.stdout + used.stderr).not.toContain(saved.refreshToken);

    chmodSync(cache, 0o644);
    const refused = await coopAsync(args, { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('chmod 600');
    expect(h.emulator.liveFiles(folder)).toHaveLength(1);
  });
});

describe('network settings', () => {
  it('COOP_GOOGLE_API_ROOT replaces the root of every Google host, keeping any gateway path', () => {
    const root = apiRoot({ COOP_GOOGLE_API_ROOT: 'http://127.0.0.1:8089/gw/' });
    const cases: [string, string][] = [
      ['https://sheets.googleapis.com/v4/spreadsheets/x/values:batchGet?ranges=a', 'http://127.0.0.1:8089/gw/v4/spreadsheets/x/values:batchGet?ranges=a'],
      ['https://www.googleapis.com/upload/drive/v3/files?uploadType=multipart', 'http://127.0.0.1:8089/gw/upload/drive/v3/files?uploadType=multipart'],
      ['https://docs.googleapis.com/v1/documents/d:batchUpdate', 'http://127.0.0.1:8089/gw/v1/documents/d:batchUpdate'],
      ['https://oauth2.googleapis.com/token', 'http://127.0.0.1:8089/gw/token'],
      ['http://127.0.0.1:9/elsewhere', 'http://127.0.0.1:9/elsewhere'],
    ];
    for (const [from, to] of cases) expect(rewriteGoogleUrl(new URL(from), root).href).toBe(to);
    expect(() => apiRoot({ COOP_GOOGLE_API_ROOT: 'not a url' })).toThrow(/COOP_GOOGLE_API_ROOT/);
  });

  it('HTTPS_PROXY is honoured: token and API requests tunnel through the proxy with CONNECT', async () => {
    const h = await startHarness();
    const tunnels: string[] = [];
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client, head) => {
      tunnels.push(String(req.url));
      const [host, port] = String(req.url).split(':');
      const upstream = net.connect(Number(port), host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const clients = await createGoogleClients({
        env: { ...h.env, HTTPS_PROXY: `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}` },
        retry: { sleep: async () => {} },
      });
      const folder = h.emulator.addFolder('f');
      const res = await clients.call('list', { idempotent: true }, () => clients.drive.files.list({ q: `'${folder}' in parents` }));
      expect(res.data.files).toEqual([]);
      const emulatorHost = new URL(h.emulator.url).host;
      expect(tunnels.length).toBeGreaterThanOrEqual(1);
      expect(tunnels.every((t) => t === emulatorHost)).toBe(true);
      expect(h.emulator.counts()).toMatchObject({ 'oauth.token': 1, 'drive.files.list': 1 });

      const bypass = await createGoogleClients({
        env: { ...h.env, HTTPS_PROXY: `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`, NO_PROXY: '127.0.0.1' },
        retry: { sleep: async () => {} },
      });
      const before = tunnels.length;
      await bypass.call('list', { idempotent: true }, () => bypass.drive.files.list({ q: `'${folder}' in parents` }));
      expect(tunnels.length).toBe(before);
    } finally {
      proxy.closeAllConnections();
      proxy.close();
      await h.emulator.stop();
    }
  });

  it('an unreachable API root is retried twice, not for minutes, then reported with the proxy hint', async () => {
    const h = await startHarness();
    const closed = h.emulator.url;
    await h.emulator.stop();
    const sleeps: number[] = [];
    const clients = await createGoogleClients({ env: { ...h.env, COOP_GOOGLE_API_ROOT: closed }, retry: { sleep: async (ms) => void sleeps.push(ms) } });
    await expect(clients.call('列出文件', { idempotent: true }, () => clients.drive.files.list({}))).rejects.toMatchObject({
      code: 'GOOGLE',
      message: expect.stringContaining('HTTPS_PROXY'),
    });
    expect(sleeps).toHaveLength(2);
  });

  it('coop --help loads no Google module (Google clients load only with Google commands)', () => {
    const probe = join(startTemp(), 'probe.cjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache))));");
    const result = coop(['--help'], { env: { NODE_OPTIONS: `--require=${probe} --import=${pathToFileURL(resolve('tests/no-network.mjs')).href}` } });
    expect(result.code).toBe(0);
    const loaded = JSON.parse(/LOADED (.*)$/m.exec(result.stderr)![1]!) as string[];
    expect(loaded.filter((p) => /googleapis|google-auth-library|gaxios|gtoken|https-proxy-agent/.test(p))).toEqual([]);
    expect(loaded.length).toBeGreaterThan(0);
    // The same probe sees them once a Google command runs.
    const google = coop(['templates', 'upload', '--folder', 'x', '--dir', 'no-such-dir'], {
      env: { NODE_OPTIONS: `--require=${probe}`, GOOGLE_APPLICATION_CREDENTIALS: '' },
    });
    expect(google.stderr).toMatch(/googleapis/);
  });
});

function startTemp(): string {
  return mkdtempSync(join(tmpdir(), 'coop-probe-'));
}
