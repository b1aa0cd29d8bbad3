// Where the HMAC signing secret comes from: JWT_SECRET_KEY, or one generated once and kept in the data directory.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from '../config.js';
import { isAsymmetric } from './keyring.js';

export const SECRET_FILE = 'jwt-secret';

export interface SigningSecret {
  secret: string;
  /** Where it came from, for the start-up log line. */
  source: 'JWT_SECRET_KEY' | 'generated' | 'data directory';
  path?: string;
}

/** Null for EdDSA/ES256 without a configured secret: their keys live in the store. */
export function resolveSigningSecret(config: Config): SigningSecret | null {
  if (config.jwt.secret !== undefined) return { secret: config.jwt.secret, source: 'JWT_SECRET_KEY' };
  if (isAsymmetric(config.jwt.algorithm)) return null;
  if (config.store !== 'sqlite') {
    throw new ConfigError(
      'JWT_SECRET_KEY',
      'is required with the MongoDB store: every instance must sign and verify with the same secret (32+ bytes)',
    );
  }
  const path = join(config.dataDir, SECRET_FILE);
  try {
    const secret = readFileSync(path, 'utf8').trim();
    if (Buffer.byteLength(secret) >= 32) return { secret, source: 'data directory', path };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  // 'wx': never overwrite a secret another process wrote in the meantime.
  try {
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return resolveSigningSecret(config);
    throw err;
  }
  return { secret, source: 'generated', path };
}
