// Access and refresh tokens: Flask-JWT's claims (exp, iat, nbf, identity) plus sub, jti, type, ver and fam,
// signed and verified by fast-jwt with the keyring's keys.
import { createHash, randomUUID } from 'node:crypto';
import { createDecoder, createSigner, createVerifier, TokenError } from 'fast-jwt';
import type { Config } from '../config.js';
import { type AppError, jwtError } from '../errors.js';
import type { Keyring, KeyMaterial } from './keyring.js';

export type TokenType = 'access' | 'refresh';
/** What a token can be verified as: an access or refresh token, or an events ticket (GET /api/v2/events?ticket=). */
export type VerifiedType = TokenType | 'events';

export interface TokenClaims {
  exp: number;
  iat: number;
  nbf: number;
  /** The username, for the original's clients; never used to find the user when `sub` is there. */
  identity: string;
  /** The user's uid (see User.uid). Absent only in the original app's tokens. */
  sub?: string;
  /** Absent only in the original app's tokens. */
  jti?: string;
  /** `access`, `refresh` or `events` (a ticket); tokens without it (the original's) are access tokens. */
  type?: VerifiedType;
  /** The user's token version when issued: a password change or disable bumps it, ending older tokens. */
  ver?: number;
  /** The login (family) the token belongs to: every access and refresh token of one login and its rotations. */
  fam?: string;
  iss?: string;
  aud?: string;
}

export interface SignedToken {
  token: string;
  claims: TokenClaims & { sub: string; jti: string };
}

export interface VerifiedToken {
  claims: TokenClaims;
  /**
   * What the token is revoked by: its `jti`, or for the original app's tokens (which have none) a SHA-256 of
   * the token itself, so they can be revoked too.
   */
  id: string;
}

/** The user a token is for: its uid goes into `sub`, its username into `identity`. */
export interface TokenSubject {
  uid: string;
  username: string;
}

export interface TokenService {
  sign(type: TokenType, subject: TokenSubject, tokenVersion: number, family: string): SignedToken;
  /**
   * A ticket for one events stream: `type` `events`, so it is never accepted as an access token (nor an access
   * token as a ticket), and short-lived. It carries the user's token version, so a password change ends it too.
   */
  signTicket(subject: TokenSubject, tokenVersion: number, lifetimeSeconds: number): SignedToken;
  /** Verifies signature, key, algorithm, claims and type; throws the contract's `Invalid token` errors. */
  verify(token: string, expected: VerifiedType): Promise<VerifiedToken>;
  /** Until when (epoch ms) a token with these claims can be accepted: its `exp` plus the leeway. */
  acceptedUntil(claims: TokenClaims): number;
  /** Until when (epoch ms) any token issued up to now, access or refresh, can be accepted. */
  horizon(): number;
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
      return `The "${claim ?? 'time'}" claim must be a number`;
    case TokenError.codes.invalidClaimValue:
      return claim === 'iss' || claim === 'aud'
        ? `Invalid ${claim === 'iss' ? 'issuer' : 'audience'}`
        : `The "${claim ?? 'time'}" claim is invalid`;
    case TokenError.codes.invalidPayload:
      return 'Invalid payload string: must be a json object';
    case 'FAST_JWT_INVALID_CRIT_HEADER':
      return 'Unsupported critical header';
    default:
      return 'Malformed token';
  }
}

const MAX_HEADER_CACHE = 256;

const CACHE_KEY_WARNING = 'FAST_JWT_CACHE_KEY_BUILDER_SECURITY_RISK';

/**
 * Makes a verifier without fast-jwt's warning about custom cache keys (GHSA-rp9m-7r4c-75qg: a key builder that
 * maps two tokens to one key lets one pass as the other). Ours is the token itself, which cannot collide, so
 * the warning would only tell every operator, on every start, of a risk this code does not have.
 */
function withoutCacheKeyWarning<T>(make: () => T): T {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const options = rest[0];
    const code = typeof options === 'object' && options !== null ? (options as { code?: unknown }).code : rest[1];
    if (code === CACHE_KEY_WARNING) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = emitWarning;
  }
}

export function createTokenService(jwt: Config['jwt'], keyring: Keyring, now: () => number = Date.now): TokenService {
  const decodeHeader = createDecoder({ complete: true });
  // Every token a key signs has the same header segment: remember its kid instead of decoding it each time.
  const kidOfHeader = new Map<string, string | null>();
  type Verify = (token: string) => Record<string, unknown>;
  let verifiers = new Map<string, Verify>();
  let verifiersGeneration = -1;
  const signers = new Map<string, (payload: Record<string, unknown>) => string>();

  const requiredClaims = ['exp', 'iat', 'nbf', ...(jwt.issuer ? ['iss'] : []), ...(jwt.audience ? ['aud'] : [])];

  function verifierFor(key: KeyMaterial): Verify {
    if (verifiersGeneration !== keyring.generation) {
      verifiers = new Map();
      verifiersGeneration = keyring.generation;
    }
    const id = key.kid ?? '';
    let verify = verifiers.get(id);
    if (!verify) {
      verify = withoutCacheKeyWarning(() =>
        createVerifier({
          key: key.verificationKey,
          // Each key verifies only its own algorithm (RFC 8725 §3.1): no `none`, no HMAC-with-a-public-key confusion.
          algorithms: [key.alg],
          requiredClaims,
          clockTolerance: jwt.leewaySeconds * 1000,
          cache: 10_000,
          // The token itself is the cache key: an exact match, no SHA-256 of it on every request (fast-jwt's
          // default key), and no collision to reason about. 10,000 tokens of ~300 bytes are ~3 MB at most.
          cacheKeyBuilder: (token: string) => token,
          ...(jwt.issuer ? { allowedIss: jwt.issuer } : {}),
          ...(jwt.audience ? { allowedAud: jwt.audience } : {}),
        }),
      ) as Verify;
      verifiers.set(id, verify);
    }
    return verify;
  }

  function kidOf(token: string): string | null {
    const headerSegment = token.slice(0, token.indexOf('.'));
    const cached = kidOfHeader.get(headerSegment);
    if (cached !== undefined) return cached;
    let header: Record<string, unknown>;
    try {
      header = (decodeHeader(token) as { header: Record<string, unknown> }).header;
    } catch (err) {
      throw err instanceof TokenError ? invalidToken(describe(err)) : err;
    }
    if (header.kid !== undefined && typeof header.kid !== 'string') throw invalidToken('Malformed token');
    const kid = (header.kid as string | undefined) ?? null;
    if (kidOfHeader.size >= MAX_HEADER_CACHE) kidOfHeader.clear();
    kidOfHeader.set(headerSegment, kid);
    return kid;
  }

  function signClaims(claims: SignedToken['claims']): SignedToken {
    const key = keyring.signing();
    let sign = signers.get(key.kid ?? '');
    if (!sign) {
      sign = createSigner({ key: key.signingKey, algorithm: key.alg, ...(key.kid ? { kid: key.kid } : {}) });
      signers.set(key.kid ?? '', sign);
    }
    return { token: sign(claims as unknown as Record<string, unknown>), claims };
  }

  const audience = () => ({
    ...(jwt.issuer ? { iss: jwt.issuer } : {}),
    ...(jwt.audience ? { aud: jwt.audience } : {}),
  });

  return {
    sign(type, subject, tokenVersion, family) {
      const iat = Math.floor(now() / 1000);
      const lifetime = type === 'access' ? jwt.expirationSeconds : jwt.refreshExpirationSeconds;
      return signClaims({
        exp: iat + lifetime,
        iat,
        nbf: iat + (type === 'access' ? jwt.notBeforeSeconds : 0),
        identity: subject.username,
        sub: subject.uid,
        jti: randomUUID(),
        type,
        ver: tokenVersion,
        fam: family,
        ...audience(),
      });
    },

    signTicket(subject, tokenVersion, lifetimeSeconds) {
      const iat = Math.floor(now() / 1000);
      return signClaims({
        exp: iat + lifetimeSeconds,
        iat,
        nbf: iat,
        identity: subject.username,
        sub: subject.uid,
        jti: randomUUID(),
        type: 'events',
        ver: tokenVersion,
        ...audience(),
      });
    },

    async verify(token, expected) {
      const kid = kidOf(token);
      let key = keyring.verification(kid);
      if (!key && kid !== null) {
        await keyring.reload(true);
        key = keyring.verification(kid);
      }
      if (!key) throw invalidToken(kid === null ? 'Token has no key id' : 'Unknown key id');
      let claims: Record<string, unknown>;
      try {
        claims = verifierFor(key)(token);
      } catch (err) {
        if (err instanceof TokenError) throw invalidToken(describe(err));
        throw err;
      }
      checkClaims(claims, expected);
      const verified = claims as unknown as TokenClaims;
      return { claims: verified, id: verified.jti ?? legacyTokenId(token) };
    },

    acceptedUntil(claims) {
      return (claims.exp + jwt.leewaySeconds) * 1000;
    },

    horizon() {
      return now() + (Math.max(jwt.expirationSeconds, jwt.refreshExpirationSeconds) + jwt.leewaySeconds) * 1000;
    },
  };
}

/** Our claims beside the signature's: anything of the wrong JSON type is refused here, never deeper down. */
const EXPECTED: Record<VerifiedType, string> = {
  access: 'Expected an access token',
  refresh: 'Expected a refresh token',
  events: 'Expected an events ticket',
};

function checkClaims(claims: Record<string, unknown>, expected: VerifiedType): void {
  if (typeof claims.identity !== 'string' || claims.identity === '') {
    throw invalidToken('Token is missing the "identity" claim');
  }
  for (const name of ['sub', 'jti', 'fam', 'type'] as const) {
    const value = claims[name];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw invalidToken(`The "${name}" claim must be a non-empty string`);
    }
  }
  if (claims.ver !== undefined && !(Number.isSafeInteger(claims.ver) && (claims.ver as number) >= 0)) {
    throw invalidToken('The "ver" claim must be a whole number');
  }
  if (typeof claims.iat !== 'number') throw invalidToken('The "iat" claim must be a number');
  const type = claims.type ?? 'access';
  if (type !== expected) throw invalidToken(EXPECTED[expected]);
  // Refresh tokens and tickets are only ever ours: each names its user and its record (a refresh token its login).
  if (type === 'refresh' || type === 'events') {
    for (const name of type === 'refresh' ? (['sub', 'jti', 'fam'] as const) : (['sub', 'jti'] as const)) {
      if (claims[name] === undefined) throw invalidToken(`Token is missing the "${name}" claim`);
    }
  }
}

/** The revocation id of a token without a `jti` (the original app's): a digest of the whole token. */
const legacyTokenId = (token: string): string => `sha256:${createHash('sha256').update(token).digest('base64url')}`;
