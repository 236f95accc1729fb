import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import ssh2 from 'ssh2';
import { keyFingerprint } from './users.ts';

export interface HostKey {
  /** OpenSSH private key text, handed to the SSH server */
  privateKey: string;
  /** `ssh-ed25519 AAAA...` line, for known_hosts */
  publicLine: string;
  fingerprint: string;
}

interface KeyPair {
  private: string;
  public: string;
}

function generateEd25519(): KeyPair {
  return ssh2.utils.generateKeyPairSync('ed25519', { comment: 'steward-gateway' });
}

/**
 * ssh2 1.17's generateKeyPairSync drops the leading zero bytes of an ed25519 public key, so about
 * one key in 200 is 31 bytes long and unreadable (by ssh2 and ssh-keygen): the gateway would not
 * start, ever, until the file is deleted. Such a pair is thrown away and another one made.
 */
function usableKeyPair(generate: () => KeyPair): KeyPair {
  for (let attempt = 0; attempt < 16; attempt++) {
    const pair = generate();
    const parsed = ssh2.utils.parseKey(pair.private);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!(key instanceof Error) && key?.isPrivateKey() && key.getPublicSSH().length === 51) return pair;
  }
  throw new Error('could not generate a readable ed25519 host key (16 attempts)');
}

/**
 * Loads the gateway's host key, generating an ed25519 key on first start. The key must survive
 * restarts: a new key would make every operator's ssh refuse the bastion as a possible MITM.
 */
export function loadOrCreateHostKey(file: string, generate: () => KeyPair = generateEd25519): HostKey {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`cannot read the gateway host key ${file}: ${(err as Error).message}`);
    }
    const pair = usableKeyPair(generate);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // 'wx': if two gateways start at once, one of them fails instead of both overwriting the key.
    writeFileSync(file, pair.private, { mode: 0o600, flag: 'wx' });
    writeFileSync(`${file}.pub`, `${pair.public}\n`, { mode: 0o644 });
    text = pair.private;
  }
  const mode = statSync(file).mode & 0o077;
  if (mode !== 0) chmodSync(file, 0o600); // readable by others would let them impersonate the bastion
  const parsed = ssh2.utils.parseKey(text);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || key === undefined || !key.isPrivateKey()) {
    throw new Error(
      `the gateway host key ${file} is not an unencrypted OpenSSH private key; ` +
        'restore it from backup, or delete it to generate a new one (operators must then re-accept the key)',
    );
  }
  const blob = key.getPublicSSH();
  return {
    privateKey: text,
    publicLine: `${key.type} ${blob.toString('base64')}`,
    fingerprint: keyFingerprint(blob),
  };
}
