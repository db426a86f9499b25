import type { MiddlewareHandler } from 'hono';
import { edgeError, quoted } from './errors';
import { requestHost } from './request';

interface HostOptions {
  /** The port the server listens on, known once it has bound (tests ask for port 0). */
  port: () => number;
  /** RETRACE_HOST: a specific address it binds to is a name it answers to as well. */
  bindHost: string;
  /** RETRACE_PUBLIC_URL: the host browsers use when it is not loopback. */
  publicUrl?: URL | undefined;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);

/** Every `host:port` the server answers to. */
function allowedHosts({ port, bindHost, publicUrl }: HostOptions): Set<string> {
  const names = [...LOOPBACK_NAMES];
  if (!WILDCARD_ADDRESSES.has(bindHost)) {
    names.push(bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost);
  }
  const hosts = new Set(names.map((name) => `${name.toLowerCase()}:${port()}`));
  if (publicUrl) hosts.add(publicUrl.host);
  return hosts;
}

/**
 * A Host allowlist against DNS rebinding: a page of attacker.example whose name is made to
 * point at 127.0.0.1 reaches this port with `Host: attacker.example:8787`, and is refused.
 */
export function requireKnownHost(options: HostOptions): MiddlewareHandler {
  // Built again only when the port changes (it is 0 until the server has bound).
  let known = { port: Number.NaN, hosts: new Set<string>() };
  const hostsAtPort = (port: number) => {
    if (known.port !== port) known = { port, hosts: allowedHosts({ ...options, port: () => port }) };
    return known.hosts;
  };
  return async (c, next) => {
    const host = requestHost(c);
    const allowed = hostsAtPort(options.port());
    if (allowed.has(host)) return next();
    return edgeError(
      c,
      421,
      'FORBIDDEN',
      `Host ${quoted(host)} is not a name this server answers to (${[...allowed].join(', ')}); set RETRACE_PUBLIC_URL to the URL browsers use to reach it`,
    );
  };
}
