/**
 * Words for the socket errors native probes meet, as check_tcp/check_http users know them. The
 * message names host and port so an operator sees at once which endpoint failed.
 */
const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EHOSTDOWN: 'Host is down',
  ETIMEDOUT: 'Connection timed out',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EPIPE: 'Broken pipe',
};

const DNS_ERRORS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA']);

export function isDnsError(code: string | undefined): boolean {
  return code !== undefined && DNS_ERRORS.has(code);
}

/** "Connection refused (127.0.0.1 port 1)", "Cannot resolve host 'x' (ENOTFOUND) for port 80", ... */
export function describeSocketError(error: NodeJS.ErrnoException, host: string, port: number): string {
  const code = error.code;
  if (isDnsError(code)) {
    const why = code === 'EAI_AGAIN' ? 'temporary DNS failure' : 'no such host';
    return `Cannot resolve host '${host}' (${code}: ${why}) for port ${port} — check the name and DNS`;
  }
  const known = code ? SOCKET_ERRORS[code] : undefined;
  if (known) return `${known} (${host} port ${port})`;
  return `${error.message}${code && !error.message.includes(code) ? ` (${code})` : ''} (${host} port ${port})`;
}
