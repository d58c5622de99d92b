// A loopback stand-in for 企业微信 group robots and 钉钉 custom robots, run in a worker thread so that a caller
// blocked in a synchronous request (the UrlFetchApp fake) can still be answered. It checks each payload as the
// services document it, verifies 钉钉's timestamp/sign, enforces 20 messages a minute, and answers with the
// services' own error codes. Test control: POST /_robots (configure), GET /_received (what arrived).
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { parentPort } from 'node:worker_threads';

/** key/token → { type, secret?, mode: 'ok' | 'rateLimitOnce' | 'hang' | 'http500' } */
let robots = {};
/** The receiver's clock: real time, or a test's pinned instant moving on from when it was set. */
let clockOffset = 0;
const clock = () => Date.now() + clockOffset;
const received = [];
const sentAt = new Map();
const hanging = new Set();

const json = (res, status, body) => {
  // No keep-alive: a client must never reuse a socket this server is about to drop.
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body));
};

function checkWecom(body) {
  const problems = [];
  if (body.msgtype !== 'markdown') problems.push(`msgtype=${body.msgtype}`);
  const content = body.markdown?.content;
  if (typeof content !== 'string' || !content) problems.push('markdown.content missing');
  else if (Buffer.byteLength(content, 'utf8') > 4096) problems.push('markdown.content over 4096 bytes');
  return problems;
}

function checkDingtalk(body) {
  const problems = [];
  if (body.msgtype !== 'markdown') problems.push(`msgtype=${body.msgtype}`);
  if (typeof body.markdown?.title !== 'string' || !body.markdown.title) problems.push('markdown.title missing');
  if (typeof body.markdown?.text !== 'string' || !body.markdown.text) problems.push('markdown.text missing');
  const at = body.at?.atMobiles ?? [];
  if (!Array.isArray(at)) problems.push('at.atMobiles not an array');
  for (const m of at) if (!String(body.markdown?.text ?? '').includes(`@${m}`)) problems.push(`@${m} not in text`);
  return problems;
}

function rateLimited(key) {
  const now = Date.now();
  const times = (sentAt.get(key) ?? []).filter((t) => t > now - 60_000);
  const limited = times.length >= 20;
  if (!limited) times.push(now);
  sentAt.set(key, times);
  return limited;
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const raw = Buffer.concat(chunks).toString('utf8');
    if (url.pathname === '/_robots') {
      const config = JSON.parse(raw);
      robots = config.robots;
      clockOffset = config.nowMs ? config.nowMs - Date.now() : 0;
      sentAt.clear();
      received.length = 0;
      return json(res, 200, { ok: true });
    }
    if (url.pathname === '/_received') return json(res, 200, received);
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
    const contentType = req.headers['content-type'] ?? '';
    if (url.pathname === '/cgi-bin/webhook/send') {
      const key = url.searchParams.get('key') ?? '';
      const robot = robots[key];
      const record = { type: 'wecom', key, body, problems: body ? checkWecom(body) : ['body is not JSON'], answer: null };
      if (!contentType.includes('application/json')) record.problems.push(`content-type ${contentType}`);
      received.push(record);
      if (robot?.type !== 'wecom') return json(res, 200, (record.answer = { errcode: 93000, errmsg: 'invalid webhook url, hint: [1700000000_1_x]' }));
      if (robot.mode === 'hang') return void hanging.add(res);
      if (robot.mode === 'http500') return json(res, 500, { errcode: -1, errmsg: 'system busy' });
      if ((robot.mode === 'rateLimitOnce' && !robot.limited && (robot.limited = true)) || rateLimited(key)) {
        return json(res, 200, (record.answer = { errcode: 45009, errmsg: 'api freq out of limit' }));
      }
      if (record.problems.length) return json(res, 200, (record.answer = { errcode: 40008, errmsg: `invalid message type: ${record.problems.join('; ')}` }));
      return json(res, 200, (record.answer = { errcode: 0, errmsg: 'ok' }));
    }
    if (url.pathname === '/robot/send') {
      const token = url.searchParams.get('access_token') ?? '';
      const robot = robots[token];
      const record = { type: 'dingtalk', key: token, body, problems: body ? checkDingtalk(body) : ['body is not JSON'], signed: false, answer: null };
      received.push(record);
      if (robot?.type !== 'dingtalk') return json(res, 200, (record.answer = { errcode: 300001, errmsg: 'token is not exist' }));
      if (robot.secret) {
        const timestamp = url.searchParams.get('timestamp') ?? '';
        const sign = url.searchParams.get('sign') ?? '';
        const expected = createHmac('sha256', robot.secret).update(`${timestamp}\n${robot.secret}`, 'utf8').digest('base64');
        // 钉钉 accepts a timestamp within an hour of its own clock.
        if (!timestamp || Math.abs(clock() - Number(timestamp)) > 3_600_000 || sign !== expected) {
          return json(res, 200, (record.answer = { errcode: 310000, errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]' }));
        }
        record.signed = true;
      }
      if (robot.mode === 'hang') return void hanging.add(res);
      if ((robot.mode === 'rateLimitOnce' && !robot.limited && (robot.limited = true)) || rateLimited(token)) {
        return json(res, 200, (record.answer = { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' }));
      }
      if (record.problems.length) return json(res, 200, (record.answer = { errcode: 40035, errmsg: `缺少参数 json: ${record.problems.join('; ')}` }));
      return json(res, 200, (record.answer = { errcode: 0, errmsg: 'ok' }));
    }
    json(res, 404, { error: 'not found' });
  });
});

server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => {
  if (m === 'close') {
    for (const res of hanging) res.destroy();
    server.closeAllConnections?.();
    server.close(() => parentPort.postMessage('closed'));
  }
});
