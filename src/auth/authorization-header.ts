// Flask-JWT's reading of the Authorization header, kept to the letter so its clients see the same errors.
import { jwtError } from '../errors.js';

/** Prefixes we accept, compared case-insensitively: the original's `JWT` and the standard `Bearer` (RFC 6750). */
const PREFIXES = new Set(['jwt', 'bearer']);

export const WWW_AUTHENTICATE = 'JWT realm="Login Required"';

/** Returns the token in `header`, or throws the contract's 401 for each way the header can be wrong. */
export function tokenFromAuthorizationHeader(header: string | undefined): string {
  // Python's str.split(): runs of whitespace separate, leading and trailing whitespace is dropped.
  const parts = header?.trim().split(/\s+/).filter(Boolean) ?? [];
  const [prefix, token] = parts;
  if (prefix === undefined) {
    throw jwtError('Authorization Required', 'Request does not contain an access token', {
      'www-authenticate': WWW_AUTHENTICATE,
    });
  }
  if (!PREFIXES.has(prefix.toLowerCase())) throw jwtError('Invalid JWT header', 'Unsupported authorization type');
  if (token === undefined) throw jwtError('Invalid JWT header', 'Token missing');
  if (parts.length > 2) throw jwtError('Invalid JWT header', 'Token contains spaces');
  return token;
}
