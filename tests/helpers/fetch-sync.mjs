// One HTTP request for the synchronous UrlFetchApp fake: reads {url, method, headers, payload, timeoutMs} on stdin,
// prints {status, body} or {error}. Run with execFileSync, so the script under test blocks as Apps Script does.
import './../no-network.mjs';

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', async () => {
  const r = JSON.parse(input);
  try {
    const response = await fetch(r.url, { method: r.method, headers: r.headers, body: r.payload, signal: AbortSignal.timeout(r.timeoutMs) });
    process.stdout.write(JSON.stringify({ status: response.status, body: await response.text() }));
  } catch (error) {
    process.stdout.write(JSON.stringify({ error: error.name === 'TimeoutError' ? 'Timeout' : String(error.cause?.code ?? error.message) }));
  }
});
