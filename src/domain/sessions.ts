// Sessions: a login gives an access and a refresh token; refresh rotates; logout and account changes revoke.
import { randomUUID } from 'node:crypto';
import type { SignedToken, TokenService, VerifiedToken } from '../auth/tokens.js';
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

type WithExtra = Pick<User, 'extra'>;

export const tokenVersionOf = (user: WithExtra): number =>
  typeof user.extra?.token_version === 'number' ? user.extra.token_version : 0;
export const roleOf = (user: WithExtra): 'admin' | 'user' => (user.extra?.role === 'admin' ? 'admin' : 'user');
export const isDisabled = (user: WithExtra): boolean => user.extra?.disabled === true;

/** A login's revocation id, beside the tokens' own (a `jti` is a UUID, a digest `sha256:…`, so they cannot meet). */
const familyRevocationId = (family: string): string => `fam:${family}`;

/**
 * What revokes this token: its login when it has one, since logout and reuse end whole logins, so the check
 * on every request stays one primary-key lookup; otherwise (the original app's tokens) the token itself.
 */
const revocationIdOf = (token: VerifiedToken): string =>
  token.claims.fam === undefined ? token.id : familyRevocationId(token.claims.fam);

const userDisabled = () => jwtError('Invalid JWT', 'User is disabled');
const userGone = () => jwtError('Invalid JWT', 'User does not exist');
const revoked = () => jwtError('Invalid token', 'Token has been revoked');

/** A new pair in `family` (a new family for a fresh login); the refresh token is recorded for rotation. */
export async function issueTokenPair(deps: SessionDeps, user: User, family: string = randomUUID()): Promise<TokenPair> {
  const version = tokenVersionOf(user);
  const access = deps.tokens.sign('access', user, version, family);
  const refresh = deps.tokens.sign('refresh', user, version, family);
  await deps.store.auth.saveRefreshToken({
    jti: refresh.claims.jti,
    family,
    userId: user.uid,
    username: user.username,
    expiresAt: deps.tokens.acceptedUntil(refresh.claims),
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

/**
 * The user an original app's token (no `sub`) names by username, if that user already existed when the token
 * was issued: a user made later under the same name is someone else. Users from the original's database
 * carry no creation time and count as existing all along.
 */
async function userOfLegacyToken(store: Store, { claims }: VerifiedToken): Promise<User | null> {
  const user = await store.users.findByUsername(claims.identity);
  if (!user || (user.createdAt !== undefined && Math.floor(user.createdAt / 1000) > claims.iat)) return null;
  return user;
}

/**
 * The checks every token gets after its signature: its user (by `sub`, the uid) exists and is enabled, and the
 * token is current: its login (or itself) not revoked, not issued before the user's last password change or
 * disable.
 */
export async function userOfToken(store: Store, token: VerifiedToken): Promise<User> {
  const { claims } = token;
  const [user, isRevoked] = await Promise.all([
    claims.sub === undefined ? userOfLegacyToken(store, token) : store.users.findByUid(claims.sub),
    store.auth.isAccessTokenRevoked(revocationIdOf(token)),
  ]);
  if (!user) throw userGone();
  if (isRevoked) throw revoked();
  if (isDisabled(user)) throw userDisabled();
  if ((claims.ver ?? 0) !== tokenVersionOf(user)) throw revoked();
  return user;
}

/**
 * Ends a login: every access and refresh token issued in it. The revocation outlives the login's refresh
 * tokens, so a refresh racing the logout cannot carry the login on with a token issued meanwhile.
 */
async function revokeFamily(deps: SessionDeps, family: string): Promise<void> {
  await Promise.all([
    deps.store.auth.revokeRefreshFamily(family),
    deps.store.auth.revokeAccessToken(familyRevocationId(family), deps.tokens.horizon()),
  ]);
}

/**
 * Exchanges a refresh token for a new pair, once. A refresh token presented a second time means it was
 * stolen or replayed: the whole login is revoked, so neither the thief nor the owner can go on with it.
 */
export async function refreshSession(deps: SessionDeps, refreshToken: string): Promise<TokenPair> {
  return (await refreshLogin(deps, await deps.tokens.verify(refreshToken, 'refresh'))).pair;
}

/** refreshSession for a refresh token already verified: the new pair, with its user and login family. */
export async function refreshLogin(
  deps: SessionDeps,
  token: VerifiedToken,
): Promise<{ user: User; family: string; pair: TokenPair }> {
  const { jti, fam } = token.claims as { jti: string; fam: string };
  const user = await userOfToken(deps.store, token);
  const use = await deps.store.auth.useRefreshToken(jti, user.uid);
  if (use !== 'fresh') {
    await revokeFamily(deps, fam);
    throw jwtError(
      'Invalid token',
      use === 'reused' ? 'Refresh token reused; the session is revoked' : 'Token has been revoked',
    );
  }
  return { user, family: fam, pair: await issueTokenPair(deps, user, fam) };
}

/** Ends a login by its family (the web page's sign-out, which holds the refresh token, not an access token). */
export async function endLogin(deps: SessionDeps, family: string): Promise<void> {
  await revokeFamily(deps, family);
}

/** Ends the login of the access token presented (every token of it); a token of no login ends alone. */
export async function logout(deps: SessionDeps, token: VerifiedToken): Promise<void> {
  if (token.claims.fam !== undefined) await revokeFamily(deps, token.claims.fam);
  else await deps.store.auth.revokeAccessToken(token.id, deps.tokens.acceptedUntil(token.claims));
}
