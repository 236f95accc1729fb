import type { Algorithms } from 'ssh2';

/**
 * Modern algorithms only, the same set current OpenSSH hardening guides keep. Anything older
 * (SHA-1 key exchange, CBC or CTR ciphers, ssh-rsa signatures) is not offered, so a client that
 * only speaks those fails at key exchange. AES-GCM is listed first because it runs on Node's native
 * AES code; the client's order decides, so the generated ssh config also prefers it.
 */
export const GATEWAY_ALGORITHMS = {
  kex: ['curve25519-sha256', 'curve25519-sha256@libssh.org'],
  serverHostKey: [
    'ssh-ed25519',
    'ecdsa-sha2-nistp256',
    'ecdsa-sha2-nistp384',
    'rsa-sha2-512',
    'rsa-sha2-256',
  ],
  cipher: ['aes256-gcm@openssh.com', 'aes128-gcm@openssh.com', 'chacha20-poly1305@openssh.com'],
  // AEAD ciphers carry their own MAC; this list only matters to the negotiation's shape.
  hmac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com'],
  compress: ['none'],
} satisfies Algorithms;

/** The `Ciphers` line for operators' ssh config: the fastest through the gateway first. */
export const PREFERRED_CLIENT_CIPHERS =
  'aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com';
