// Sessions: a login gives an access and a refresh token; refresh rotates; logout and account changes revoke.
import { randomUUID } from 'node:crypto';
import type { SignedToken, TokenClaims, TokenService } from '../auth/tokens.js';
import { jwtError } from '../errors.js';
import type { Store, User } from '../store/types.js';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface SessionDeps {
  store: Store;
  tokens: TokenService;
}

export const tokenVersionOf = (user: User): number =>
  typeof user.extra?.token_version === 'number' ? user.extra.token_version : 0;
export const roleOf = (user: User): 'admin' | 'user' => (user.extra?.role === 'admin' ? 'admin' : 'user');
export const isDisabled = (user: User): boolean => user.extra?.disabled === true;

const userDisabled = () => jwtError('Invalid JWT', 'User is disabled');

/** A new pair in `family` (a new family for a fresh login); the refresh token is recorded for rotation. */
export async function issueTokenPair(deps: SessionDeps, user: User, family: string = randomUUID()): Promise<TokenPair> {
  const version = tokenVersionOf(user);
  const access = deps.tokens.sign('access', user.username, version, family);
  const refresh = deps.tokens.sign('refresh', user.username, version, family);
  await deps.store.auth.saveRefreshToken({
    jti: refresh.claims.jti,
    family,
    username: user.username,
    expiresAt: refresh.claims.exp * 1000,
  });
  return pairOf(access, refresh);
}

function pairOf(access: SignedToken, refresh: SignedToken): TokenPair {
  return {
    access_token: access.token,
    refresh_token: refresh.token,
    token_type: 'Bearer',
    expires_in: access.claims.exp - access.claims.iat,
  };
}

/** The checks every token gets after its signature: the user exists, is enabled, and the token is current. */
export async function userOfClaims(store: Store, claims: TokenClaims): Promise<User> {
  const [user, revoked] = await Promise.all([
    store.users.findByUsername(claims.identity),
    claims.type === 'refresh' ? Promise.resolve(false) : store.auth.isAccessTokenRevoked(claims.jti),
  ]);
  if (!user) throw jwtError('Invalid JWT', 'User does not exist');
  if (revoked) throw jwtError('Invalid token', 'Token has been revoked');
  if (isDisabled(user)) throw userDisabled();
  if ((claims.ver ?? 0) !== tokenVersionOf(user)) throw jwtError('Invalid token', 'Token has been revoked');
  return user;
}

/**
 * Exchanges a refresh token for a new pair, once. A refresh token presented a second time means it was
 * stolen or replayed: the whole family is revoked, so neither the thief nor the owner can go on with it.
 */
export async function refreshSession(deps: SessionDeps, refreshToken: string): Promise<TokenPair> {
  const claims = await deps.tokens.verify(refreshToken, 'refresh');
  const user = await userOfClaims(deps.store, claims);
  const use = await deps.store.auth.useRefreshToken(claims.jti);
  if (use !== 'fresh') {
    const family = claims.fam ?? (await deps.store.auth.familyOf(claims.jti));
    if (family) await deps.store.auth.revokeRefreshFamily(family);
    throw jwtError(
      'Invalid token',
      use === 'reused' ? 'Refresh token reused; the session is revoked' : 'Token has been revoked',
    );
  }
  return issueTokenPair(deps, user, claims.fam ?? randomUUID());
}

/** Revokes the access token presented and every refresh token of its login. */
export async function logout(store: Store, claims: TokenClaims): Promise<void> {
  await store.auth.revokeAccessToken(claims.jti, claims.exp * 1000);
  if (claims.fam) await store.auth.revokeRefreshFamily(claims.fam);
}
