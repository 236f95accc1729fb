import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** Where it came from, for the startup log. */
  source: 'given' | 'generated' | 'data-dir';
}

/**
 * The server's certificate: the operator's own (--tls-cert/--tls-key), or a self-signed one made
 * once in the data directory and kept, so clients can pin it across restarts.
 */
export async function ensureTlsMaterial(
  dataDir: string,
  certFile?: string,
  keyFile?: string,
): Promise<TlsMaterial> {
  if (certFile || keyFile) {
    if (!certFile || !keyFile)
      throw new Error(
        '--tls-cert and --tls-key go together: give both files, or neither for a self-signed certificate',
      );
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), source: 'given' };
  }
  const certPath = join(dataDir, 'tls', 'cert.pem');
  const keyPath = join(dataDir, 'tls', 'key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), source: 'data-dir' };
  }
  const name = hostname();
  const pems = await selfsigned.generate([{ name: 'commonName', value: `steward ${name}` }], {
    keyType: 'ec',
    curve: 'P-256',
    days: 825,
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 2, value: name },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  } as Parameters<typeof selfsigned.generate>[1]);
  mkdirSync(join(dataDir, 'tls'), { recursive: true, mode: 0o700 });
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  writeFileSync(certPath, pems.cert, { mode: 0o644 });
  return { cert: pems.cert, key: pems.private, source: 'generated' };
}
