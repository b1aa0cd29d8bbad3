// Logging in with a username and password: the throttle, the password check, the audit log, a new token pair.
// POST /auth (the original's login) and POST /api/v2/session (the web page's) both go through here.
import { randomUUID } from 'node:crypto';
import type { PasswordHasher } from '../auth/passwords.js';
import type { TokenService } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { AppError, invalidCredentials } from '../errors.js';
import type { Store, User } from '../store/types.js';
import { authenticate } from './authenticate.js';
import { createLoginThrottle, type LoginAttempt, type LoginThrottle } from './login-throttle.js';
import { issueTokenPair, type TokenPair } from './sessions.js';
import { MAX_PASSWORD_BYTES } from './users.js';

/** Where the audit lines go (a pino logger will do). */
export interface AuditLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface LoginDeps {
  store: Store;
  hasher: PasswordHasher;
  tokens: TokenService;
  throttle: Config['throttle'];
  upgradeLegacyPasswords: boolean;
}

/** A login that went through: whose, its family (what ends it), and its first token pair. */
export interface Login {
  user: User;
  family: string;
  pair: TokenPair;
}

export interface Logins {
  logIn(credentials: { username: string; password: string }, ip: string, log: AuditLog): Promise<Login>;
}

/** One throttle for every login route, so its per-account queue is one queue. */
export function createLogins(deps: LoginDeps): Logins {
  const throttle: LoginThrottle = createLoginThrottle({ store: deps.store, limits: deps.throttle });

  async function logIn({ username, password }: { username: string; password: string }, ip: string, log: AuditLog) {
    const audit = { event: 'auth.login', username, ip };
    let attempt: LoginAttempt;
    try {
      // Counted before the password is checked, so a burst of guesses cannot outrun the count.
      attempt = await throttle.attempt(username, ip);
    } catch (err) {
      const outcome = err instanceof AppError && err.status === 429 ? 'throttled' : 'unavailable';
      log.warn(
        { ...audit, outcome },
        outcome === 'throttled' ? 'login throttled' : 'login refused: throttle unavailable',
      );
      throw err;
    }
    let user: User;
    try {
      if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) throw invalidCredentials();
      user = await authenticate(
        {
          store: deps.store,
          hasher: deps.hasher,
          upgradeLegacyPasswords: deps.upgradeLegacyPasswords,
          onUpgrade: (name) => log.info({ username: name }, 'legacy plain-text password upgraded to Argon2id'),
        },
        username,
        password,
      );
      if (user.extra?.disabled === true) throw invalidCredentials();
    } catch (err) {
      if (err instanceof AppError && err.status === 401) {
        log.warn({ ...audit, outcome: 'failure' }, 'login failed');
        await attempt.failed();
      } else {
        await attempt.abandoned().catch((cause: unknown) => log.error({ err: cause }, 'throttle slot not given back'));
      }
      throw err;
    }
    await attempt.succeeded();
    log.info({ ...audit, outcome: 'success' }, 'login succeeded');
    const family = randomUUID();
    return { user, family, pair: await issueTokenPair({ store: deps.store, tokens: deps.tokens }, user, family) };
  }

  return { logIn };
}
