// The secrets of API keys and calendar feeds: 256 random bits in base62 behind a prefix that secret scanners
// can match (`hdk_` a key, `hdf_` a feed). With that much entropy a plain SHA-256 is a sound stored form: there
// is nothing to guess, so no slow hash is needed, and a lookup by hash stays one indexed equality.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CredentialKind } from '../store/types.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 256 bits in base62: 43 characters (62^43 > 2^256). */
const SECRET_CHARACTERS = 43;

export const SECRET_PREFIX: Record<CredentialKind, string> = { 'api-key': 'hdk_', feed: 'hdf_' };

const SHAPES: Record<CredentialKind, RegExp> = {
  'api-key': /^hdk_[0-9A-Za-z]{43}$/,
  feed: /^hdf_[0-9A-Za-z]{43}$/,
};

function base62(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  for (let i = 0; i < SECRET_CHARACTERS; i++) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

/** A new secret of this kind, from crypto.randomBytes. */
export const newSecret = (kind: CredentialKind): string => `${SECRET_PREFIX[kind]}${base62(randomBytes(32))}`;

/** Whether `value` looks like a secret of this kind (checked before any lookup). */
export const isSecretOf = (kind: CredentialKind, value: string): boolean => SHAPES[kind].test(value);

/** What is stored: the SHA-256 of the whole secret, hex. */
export const hashOfSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Compares two hashes in constant time (the store found the row by hash; this re-checks what came back). */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
