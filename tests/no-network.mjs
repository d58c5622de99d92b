// Fails anything that tries to reach a host other than this machine: no test, and no CLI process a test
// starts (loaded there with node --import), may touch the internet.
import net from 'node:net';

const LOCAL = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\]|::ffff:127\.\d+\.\d+\.\d+)$/i;

export function assertLocalHost(host) {
  if (host && !LOCAL.test(String(host))) throw new Error(`blocked: a test tried to reach the non-local host ${host}`);
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const [first, second] = args;
  const options = Array.isArray(first) ? first[0] : first;
  if (typeof options === 'object' && options !== null) {
    if (!options.path) assertLocalHost(options.host ?? 'localhost');
  } else if (typeof options === 'number' || (typeof options === 'string' && /^\d+$/.test(options))) {
    assertLocalHost(typeof second === 'string' ? second : 'localhost');
  }
  return originalConnect.apply(this, args);
};
