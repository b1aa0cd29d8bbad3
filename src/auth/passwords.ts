// Password hashing: Argon2id (OWASP minimum m=19 MiB, t=2, p=1 or stronger), on libuv's thread pool.
import { createHash, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Algorithm } from '@node-rs/argon2';
import type { Config } from '../config.js';
import { concurrencyLimit } from './concurrency-limit.js';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** True when `password` matches `stored`, which is an Argon2id hash or the original's plain text. */
  verify(stored: string, password: string): Promise<boolean>;
  /** Same work as a real verification, for a username that does not exist. */
  burn(password: string): Promise<void>;
}

// A PHC string as @node-rs/argon2 writes it: $argon2id$v=19$m=…,t=…,p=…$salt$hash
const ARGON2_PHC = /^\$argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

export const isPasswordHash = (stored: string): boolean => ARGON2_PHC.test(stored);

/** Compares plain-text passwords without leaking their length or the first differing byte through timing. */
function plainTextMatches(stored: string, password: string): boolean {
  const a = createHash('sha256').update(stored, 'utf8').digest();
  const b = createHash('sha256').update(password, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * Hashes at once: one per core, at most libuv's default pool of 4. More only share the same cores, each with
 * its own m (19 MiB) of memory, and crowd the event loop's thread off them, so other requests wait.
 */
export const defaultHashingSlots = (): number => Math.min(availableParallelism(), 4);

/** `Algorithm.Argon2id`: a const enum, so there is no value to take from the lazily loaded module. */
const ARGON2ID = 2 as Algorithm;

export async function createPasswordHasher(
  settings: Config['passwords'],
  slots = defaultHashingSlots(),
): Promise<PasswordHasher> {
  // Loaded with the first hasher: commands that never hash never load the native module.
  const { hash: argon2Hash, verify: argon2Verify } = await import('@node-rs/argon2');
  const limited = concurrencyLimit(slots);
  const hash = (password: string, options: Parameters<typeof argon2Hash>[1]) =>
    limited(() => argon2Hash(password, options));
  const verify = (stored: string, password: string) => limited(() => argon2Verify(stored, password));
  const options = {
    algorithm: ARGON2ID,
    memoryCost: settings.argon2MemoryKiB,
    timeCost: settings.argon2Iterations,
    parallelism: settings.argon2Parallelism,
  };
  const hashPassword = (password: string) => hash(password, options);
  // A hash of a random password with the current cost: verifying against it costs what a real check costs.
  const decoy = await hashPassword(createHash('sha256').update(String(Math.random())).digest('base64'));

  return {
    hash: hashPassword,
    async verify(stored, password) {
      if (!isPasswordHash(stored)) {
        // The original stored plain text. Spend the same hashing work, so timing does not tell which kind it was.
        await verify(decoy, password).catch(() => false);
        return plainTextMatches(stored, password);
      }
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
    async burn(password) {
      await verify(decoy, password).catch(() => false);
    },
  };
}

/** A hasher that builds the real one (and its decoy) on first use: for commands that may never hash. */
export function lazyPasswordHasher(settings: Config['passwords']): PasswordHasher {
  let real: Promise<PasswordHasher> | undefined;
  const get = () => {
    real ??= createPasswordHasher(settings);
    return real;
  };
  return {
    hash: async (password) => (await get()).hash(password),
    verify: async (stored, password) => (await get()).verify(stored, password),
    burn: async (password) => (await get()).burn(password),
  };
}
