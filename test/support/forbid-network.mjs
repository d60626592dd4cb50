// Preloaded with `node --import` into a process under test: any attempt to open a network
// connection to a host other than loopback is recorded in NETWORK_ACCESS_LOG and refused,
// so a test can prove a command works offline and never tries to reach the internet.
import { appendFileSync } from 'node:fs';
import dns from 'node:dns';
import net from 'node:net';

const log = process.env.NETWORK_ACCESS_LOG;
const loopback = /^(127\.|::1$|localhost$|::ffff:127\.)/;

function record(what) {
  if (log) appendFileSync(log, `${what}\n`);
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  const options = typeof args[0] === 'object' && args[0] !== null ? args[0] : { port: args[0], host: args[1] };
  const host = options.host ?? (options.path ? 'unix-socket' : 'localhost');
  if (!options.path && !loopback.test(String(host))) {
    record(`connect ${host}:${options.port}`);
    throw new Error(`network access to ${host} is forbidden in this test`);
  }
  return originalConnect.apply(this, args);
};

const originalLookup = dns.lookup;
dns.lookup = function lookup(hostname, ...rest) {
  if (!loopback.test(String(hostname))) {
    record(`dns ${hostname}`);
    const callback = rest[rest.length - 1];
    if (typeof callback === 'function') return process.nextTick(() => callback(new Error(`DNS lookup of ${hostname} is forbidden in this test`)));
  }
  return originalLookup.call(this, hostname, ...rest);
};

const originalFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  if (!loopback.test(url.hostname) && url.protocol !== 'file:' && url.protocol !== 'data:') {
    record(`fetch ${url.href}`);
    throw new Error(`fetch of ${url.href} is forbidden in this test`);
  }
  return originalFetch(input, init);
};
