import type { Server } from 'node:net';
import { operatorNetworkFilter, type SourceFilter, unmapIpv4 } from '../../auth/index.ts';

export interface SourceGuardOptions {
  /** The operators' networks, read on every connection so a spec reload applies at once. */
  operatorNetworks: () => readonly string[];
  /** Reverse proxies whose connections are let through (their X-Forwarded-For is then checked). */
  trustedProxies: readonly string[];
  /** Called for every refused connection (count it, log it). */
  onRefused: (address: string) => void;
}

/**
 * Closes connections from outside the operators' networks on the bare TCP socket, before the TLS
 * handshake: a scanner from elsewhere learns nothing, not even the certificate.
 * Returns the filter that decides, for requests, whether a (proxied) client address is allowed.
 */
export function guardSockets(server: Server, opts: SourceGuardOptions): { allows(address: string): boolean } {
  let cached: { key: string; filter: SourceFilter } | null = null;
  const operators = (): SourceFilter => {
    const networks = opts.operatorNetworks();
    const key = networks.join(',');
    if (cached?.key !== key) cached = { key, filter: operatorNetworkFilter(networks) };
    return cached.filter;
  };
  const proxies = operatorNetworkFilter(opts.trustedProxies);
  // prependListener: before the TLS layer's own listener starts reading the ClientHello.
  server.prependListener('connection', (socket) => {
    const address = unmapIpv4(socket.remoteAddress ?? '');
    if (operators().allows(address) || proxies.allows(address)) return;
    opts.onRefused(address);
    socket.destroy();
  });
  return { allows: (address) => operators().allows(unmapIpv4(address)) };
}
