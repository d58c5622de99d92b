import http from 'node:http';
import { describe, expect, it } from 'vitest';

describe('network guard', () => {
  it('refuses a connection to a non-local host before any packet leaves', () => {
    expect(() => http.get('http://example.com/')).toThrow(/non-local host example.com/);
  });

  it('lets loopback through', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const body = await new Promise<string>((resolve, reject) =>
      http
        .get(`http://127.0.0.1:${port}/`, (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve(text));
        })
        .on('error', reject),
    );
    server.close();
    expect(body).toBe('ok');
  });
});
