// The web page's CSRF tokens (OWASP's signed double-submit cookie): an HMAC of the login's family, keyed by the
// key that signed the login's refresh token. So every instance sharing the keys checks it, a key rotation keeps
// it valid as long as the refresh token is, and a token of one login never passes for another.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createDecoder } from 'fast-jwt';
import type { Keyring } from './keyring.js';

export interface CsrfTokens {
  /** The token for the login `family` whose (already verified) refresh token is `refreshToken`. */
  issue(refreshToken: string, family: string): string;
  /** Whether `presented` is that token, compared in constant time. */
  matches(refreshToken: string, family: string, presented: string | undefined): boolean;
}

const decodeComplete = createDecoder({ complete: true });

/** The `kid` in an (already verified) JWT's header, read by fast-jwt's decoder (null: none, or unreadable). */
function kidOf(token: string): string | null {
  try {
    const { header } = decodeComplete(token) as { header: { kid?: unknown } };
    return typeof header.kid === 'string' ? header.kid : null;
  } catch {
    return null;
  }
}

export function createCsrfTokens(keyring: Keyring): CsrfTokens {
  // Derived, never the signing key itself: an HMAC under it must never double as a token signature.
  const keyFor = (refreshToken: string): Buffer | null => {
    const material = keyring.verification(kidOf(refreshToken));
    return material === undefined
      ? null
      : createHash('sha256').update(`holodule csrf\0${material.signingKey}`).digest();
  };
  const tokenOf = (key: Buffer, family: string): string =>
    createHmac('sha256', key).update(`login\0${family}`).digest('base64url');

  return {
    issue(refreshToken, family) {
      const key = keyFor(refreshToken);
      if (key === null) throw new Error('the key that signed this refresh token is not in the keyring');
      return tokenOf(key, family);
    },
    matches(refreshToken, family, presented) {
      const key = keyFor(refreshToken);
      if (key === null || presented === undefined) return false;
      const expected = Buffer.from(tokenOf(key, family));
      const given = Buffer.from(presented);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
