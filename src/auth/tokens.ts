// Access tokens: Flask-JWT's claims (exp, iat, nbf, identity) plus sub and jti, signed and verified by fast-jwt.
import { randomUUID } from 'node:crypto';
import { createSigner, createVerifier, TokenError } from 'fast-jwt';
import type { Config } from '../config.js';
import { AppError, jwtError } from '../errors.js';

export interface AccessClaims {
  exp: number;
  iat: number;
  nbf: number;
  identity: string;
  sub: string;
  jti: string;
}

export interface TokenService {
  issue(username: string): string;
  /** Verifies signature, algorithm and time claims; throws the contract's `Invalid token` errors. */
  verify(token: string): AccessClaims;
}

const invalidToken = (description: string): AppError => jwtError('Invalid token', description);

/** fast-jwt's failures as short, PyJWT-style reasons (the original's wording where it had one). */
function describe(err: TokenError): string {
  const claim = /The (\w+) claim/.exec(err.message)?.[1];
  switch (err.code) {
    case TokenError.codes.expired:
      return 'Signature has expired';
    case TokenError.codes.inactive:
      return 'The token is not yet valid (nbf)';
    case TokenError.codes.invalidSignature:
      return 'Signature verification failed';
    case TokenError.codes.invalidAlgorithm:
    case TokenError.codes.missingSignature:
      return 'The specified alg value is not allowed';
    case TokenError.codes.missingRequiredClaim:
      return `Token is missing the "${claim ?? 'required'}" claim`;
    case TokenError.codes.invalidClaimType:
    case TokenError.codes.invalidClaimValue:
      return `The "${claim ?? 'time'}" claim must be a number`;
    case TokenError.codes.invalidPayload:
      return 'Invalid payload string: must be a json object';
    default:
      return 'Malformed token';
  }
}

export function createTokenService(jwt: Config['jwt'], secret: string, now: () => number = Date.now): TokenService {
  const sign = createSigner({ key: secret, algorithm: jwt.algorithm });
  const verify = createVerifier({
    key: secret,
    // The allow-list is exactly the configured algorithm (RFC 8725 §3.1): no `none`, no algorithm confusion.
    algorithms: [jwt.algorithm],
    requiredClaims: ['exp', 'iat', 'nbf'],
    clockTolerance: jwt.leewaySeconds * 1000,
    cache: 10_000,
  });

  return {
    issue(username) {
      const iat = Math.floor(now() / 1000);
      const claims: AccessClaims = {
        exp: iat + jwt.expirationSeconds,
        iat,
        nbf: iat + jwt.notBeforeSeconds,
        identity: username,
        sub: username,
        jti: randomUUID(),
      };
      return sign(claims);
    },
    verify(token) {
      let claims: Record<string, unknown>;
      try {
        claims = verify(token) as Record<string, unknown>;
      } catch (err) {
        if (err instanceof TokenError) throw invalidToken(describe(err));
        throw err;
      }
      if (typeof claims.identity !== 'string' || claims.identity === '') {
        throw invalidToken('Token is missing the "identity" claim');
      }
      if (typeof claims.iat !== 'number') throw invalidToken('The "iat" claim must be a number');
      return claims as unknown as AccessClaims;
    },
  };
}
