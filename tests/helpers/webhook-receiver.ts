// Starts the loopback robot receiver (webhook-receiver-worker.mjs) in a worker thread and talks to it over HTTP.
import { Worker } from 'node:worker_threads';

export interface RobotSetup {
  type: 'wecom' | 'dingtalk';
  secret?: string;
  mode?: 'ok' | 'rateLimitOnce' | 'hang' | 'http500';
}

export interface Received {
  type: 'wecom' | 'dingtalk';
  key: string;
  body: { msgtype?: string; markdown?: { content?: string; title?: string; text?: string }; at?: { atMobiles?: string[]; isAtAll?: boolean } } | null;
  problems: string[];
  signed?: boolean;
  answer: { errcode: number; errmsg: string } | null;
}

export interface Receiver {
  url: string;
  wecom(key: string): string;
  dingtalk(token: string): string;
  /** Replaces the robots and forgets what arrived; `nowMs` pins the receiver's clock (for a script whose clock is pinned). */
  configure(robots: Record<string, RobotSetup>, nowMs?: number): Promise<void>;
  received(): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const worker = new Worker(new URL('./webhook-receiver-worker.mjs', import.meta.url));
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve(m.port));
    worker.once('error', reject);
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    wecom: (key) => `${url}/cgi-bin/webhook/send?key=${key}`,
    dingtalk: (token) => `${url}/robot/send?access_token=${token}`,
    async configure(robots, nowMs) {
      await fetch(`${url}/_robots`, { method: 'POST', body: JSON.stringify({ robots, nowMs }) });
    },
    async received() {
      return (await (await fetch(`${url}/_received`)).json()) as Received[];
    },
    async close() {
      const closed = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}
