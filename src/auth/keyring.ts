// The keys tokens are signed and verified with: one signing key, several verification keys, chosen by `kid`.
// Keys live in the store, so every instance sees a rotation; the configured secret is the key for tokens without a kid.
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { Config, JwtAlgorithm } from '../config.js';
import type { Store, StoredKey } from '../store/types.js';

export interface KeyMaterial {
  kid: string | null;
  alg: JwtAlgorithm;
  /** What fast-jwt signs with: an HMAC secret, or a private key PEM. */
  signingKey: string;
  /** What fast-jwt verifies with: the same secret, or the public key PEM. */
  verificationKey: string;
  publicJwk: Record<string, unknown> | null;
}

export const isAsymmetric = (alg: string): boolean => alg === 'EdDSA' || alg === 'ES256';

/** A kid for the configured secret: a short digest, so rotating JWT_SECRET_KEY also changes the kid. */
const kidOfSecret = (secret: string): string =>
  `cfg-${createHash('sha256').update(secret).digest('base64url').slice(0, 12)}`;

export function generateKey(alg: JwtAlgorithm, now: number): StoredKey {
  const kid = `${now.toString(36)}-${randomUUID().slice(0, 8)}`;
  if (!isAsymmetric(alg)) {
    return {
      kid,
      alg,
      secret: randomBytes(32).toString('base64url'),
      publicJwk: null,
      createdAt: now,
      retiredAt: null,
      expiresAt: null,
    };
  }
  const { privateKey, publicKey } =
    alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  return {
    kid,
    alg,
    secret: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicJwk: JSON.stringify(jwk),
    createdAt: now,
    retiredAt: null,
    expiresAt: null,
  };
}

function materialOf(key: StoredKey): KeyMaterial {
  const publicJwk = key.publicJwk === null ? null : (JSON.parse(key.publicJwk) as Record<string, unknown>);
  return {
    kid: key.kid,
    alg: key.alg as JwtAlgorithm,
    signingKey: key.secret,
    verificationKey: publicJwk
      ? createPublicKey(key.secret).export({ format: 'pem', type: 'spki' }).toString()
      : key.secret,
    publicJwk,
  };
}

export interface Keyring {
  signing(): KeyMaterial;
  /** The key a token's `kid` names (null: the configured secret). Only ever a map lookup. */
  verification(kid: string | null): KeyMaterial | undefined;
  /** Public keys for /.well-known/jwks.json. */
  jwks(): Array<Record<string, unknown>>;
  /** Reads the keys from the store again (after a rotation elsewhere); rate-limited when `onMiss`. */
  reload(onMiss?: boolean): Promise<void>;
  /** Bumped on every reload that changed the set of keys (so verifiers can be rebuilt). */
  readonly generation: number;
}

export interface KeyringOptions {
  jwt: Config['jwt'];
  store: Store;
  /** The configured (or generated) HMAC secret, if the algorithm is HMAC. */
  secret: string | undefined;
  now?: () => number;
  /** Minimum time between reloads caused by an unknown kid. */
  missReloadMs?: number;
}

/** Loads the keyring; with an asymmetric algorithm and no key of it in the store yet, makes the first one. */
export async function loadKeyring(options: KeyringOptions): Promise<Keyring> {
  const now = options.now ?? Date.now;
  const { jwt, store } = options;
  const configured: KeyMaterial | null =
    options.secret !== undefined && !isAsymmetric(jwt.algorithm)
      ? { kid: null, alg: jwt.algorithm, signingKey: options.secret, verificationKey: options.secret, publicJwk: null }
      : null;
  const configuredKid = options.secret === undefined ? null : kidOfSecret(options.secret);

  let byKid = new Map<string, KeyMaterial>();
  let signingKey: KeyMaterial | null = null;
  let lastMissReload = 0;
  let fingerprint = '';
  let generation = 0;

  async function read(): Promise<void> {
    const live = (await store.auth.listKeys()).filter((k) => k.expiresAt === null || k.expiresAt > now());
    const next = new Map<string, KeyMaterial>();
    for (const key of live) next.set(key.kid, materialOf(key));
    if (configured && configuredKid) next.set(configuredKid, { ...configured, kid: configuredKid });
    const active = live.filter((k) => k.retiredAt === null && k.alg === jwt.algorithm).at(-1);
    const print = `${[...next.keys()].sort().join(',')}|${active?.kid ?? ''}`;
    if (print !== fingerprint) {
      fingerprint = print;
      generation++;
    }
    byKid = next;
    signingKey = active
      ? materialOf(active)
      : configured && configuredKid
        ? { ...configured, kid: configuredKid }
        : null;
  }

  await read();
  if (!signingKey && isAsymmetric(jwt.algorithm)) {
    const first = generateKey(jwt.algorithm, now());
    await store.auth.addKey(first, now(), now() + (jwt.refreshExpirationSeconds + jwt.leewaySeconds) * 1000);
    await read();
  }
  if (!signingKey) throw new Error(`no signing key for ${jwt.algorithm}`);

  return {
    get generation() {
      return generation;
    },
    signing: () => signingKey as KeyMaterial,
    verification(kid) {
      if (kid === null) return configured ?? undefined;
      return byKid.get(kid);
    },
    jwks() {
      return [...byKid.values()].flatMap((k) => (k.publicJwk ? [k.publicJwk] : []));
    },
    async reload(onMiss = false) {
      if (onMiss) {
        if (now() - lastMissReload < (options.missReloadMs ?? 5000)) return;
        lastMissReload = now();
      }
      await read();
    },
  };
}

/** `holodule keys rotate`: a new signing key; the others stop signing and stay valid until every token they signed has expired. */
export async function rotateSigningKey(store: Store, jwt: Config['jwt'], now = Date.now()): Promise<StoredKey> {
  const key = generateKey(jwt.algorithm, now);
  const longest = Math.max(jwt.expirationSeconds, jwt.refreshExpirationSeconds) + jwt.leewaySeconds;
  await store.auth.addKey(key, now, now + longest * 1000);
  return key;
}
